import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { amountErrorKey, type AmountInputError } from "../../app/domain/money/amount-input";

const LOCALES = path.resolve("locales");

function keysOf(value: unknown, prefix = ""): string[] {
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

function load(language: string) {
  const files = fs
    .readdirSync(path.join(LOCALES, language))
    .filter((f) => f.endsWith(".json"))
    .sort();
  return Object.fromEntries(files.map((f) => [f, JSON.parse(fs.readFileSync(path.join(LOCALES, language, f), "utf8"))]));
}

describe("locales", () => {
  const en = load("en");
  const es = load("es");

  it("has the same files in every language", () => {
    expect(Object.keys(es)).toEqual(Object.keys(en));
  });

  it.each(Object.keys(en))("%s has the same keys in English and Spanish", (file) => {
    expect(keysOf(es[file]).sort()).toEqual(keysOf(en[file]).sort());
  });

  it("has no empty strings and keeps every {{placeholder}} in the translation", () => {
    for (const file of Object.keys(en)) {
      for (const key of keysOf(en[file])) {
        const get = (tree: unknown) => key.split(".").reduce<any>((node, part) => node?.[part], tree);
        const english: string = get(en[file]);
        const spanish: string = get(es[file]);
        expect(spanish, `${file}:${key}`).toBeTruthy();
        const placeholders = (s: string) => [...s.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();
        expect(placeholders(spanish), `${file}:${key}`).toEqual(placeholders(english));
      }
    }
  });

  it("every translation key used in the app exists in English", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory() && entry.name !== "generated") walk(full);
        else if (/\.(ts|tsx)$/.test(entry.name)) files.push(full);
      }
    };
    walk(path.resolve("app"));
    const flat = new Set(Object.entries(en).flatMap(([file, tree]) => keysOf(tree).map((k) => `${file.replace(".json", "")}:${k}`)));
    const missing: string[] = [];
    for (const file of files) {
      const source = fs.readFileSync(file, "utf8");
      // Fully qualified literal keys ("ns:path.to.key") — the form zod messages use.
      for (const match of source.matchAll(/["'`]((common|auth|account|rep|mail|files|credit|invoices|payments|disputes|chat|dunning):[\w.]+)["'`]/g)) {
        const key = match[1];
        const plural = [...flat].some((k) => k === key || k.startsWith(`${key}_`));
        if (!plural) missing.push(`${path.relative(process.cwd(), file)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("has a sentence, in both languages, for every refusal of a typed amount in every locale", () => {
    const errors: AmountInputError[] = ["required", "invalid", "ambiguous", "decimals", "too_large"];
    for (const locale of ["en-US", "es-MX", "es-ES"]) {
      for (const error of errors) {
        const [ns, key] = amountErrorKey(error, locale).split(":");
        for (const tree of [en, es]) {
          const text = key.split(".").reduce<any>((node, part) => node?.[part], tree[`${ns}.json`]);
          expect(typeof text, `${locale} ${error}`).toBe("string");
        }
      }
    }
  });

  it("writes Spanish that reads the same in Mexico and Spain (enlace, not liga)", () => {
    // Words a reader in Spain takes for something else or for slang; the neutral word is in brackets.
    const mexicoOnly = /\b(ligas?|platicar|checar|ahorita|celular|computadora)\b/i; // enlace, hablar, revisar, ahora, móvil, equipo
    const found = Object.entries(es).flatMap(([file, tree]) =>
      keysOf(tree).flatMap((key) => {
        const text = String(key.split(".").reduce<any>((node, part) => node?.[part], tree));
        return mexicoOnly.test(text) ? [`${file}:${key}: ${text}`] : [];
      }),
    );
    expect(found).toEqual([]);
  });
});
