import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Every translation key the code uses exists in English and in Spanish. The keys are read
// from the sources the way i18next will resolve them:
//  - `t("ns:key")` and any "ns:key" string literal (zod messages, `error: "…"` results,
//    `{ key: "…" }` reasons, acks) name their namespace;
//  - `t("key")` inside a component uses the first namespace of the nearest
//    `useTranslation(…)` above it (react-i18next fixes `t` to that one namespace;
//    `useTranslation()` is "common"); on the server `translatorFor(…)` gives "common";
//  - `t(cond ? "a" : "b")` uses both literals;
//  - `t(\`prefix.${value}\`)` is checked by its fixed prefix, which must be a group of keys.
const LOCALES = path.resolve("locales");
const LANGUAGES = ["en", "es"] as const;
const NAMESPACES = fs
  .readdirSync(path.join(LOCALES, "en"))
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.replace(/\.json$/, ""));
const DEFAULT_NS = "common";

// Dynamic keys whose fixed part is too short to say anything, each with why it is safe.
const DYNAMIC_ALLOWLIST = [
  // outbox.server.ts builds `mail:<template>.subject|text|hidden…` from the MailTemplate union;
  // every template is sent by an integration test, which renders its subject and text.
  "mail:",
];

function keysOf(value: unknown, prefix = ""): string[] {
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
  return [prefix];
}

const known = Object.fromEntries(
  LANGUAGES.map((language) => [
    language,
    new Set(NAMESPACES.flatMap((ns) => keysOf(JSON.parse(fs.readFileSync(path.join(LOCALES, language, `${ns}.json`), "utf8"))).map((key) => `${ns}:${key}`))),
  ]),
) as Record<(typeof LANGUAGES)[number], Set<string>>;

const PLURAL = /_(zero|one|two|few|many|other)$/;
function exists(language: (typeof LANGUAGES)[number], qualified: string): boolean {
  const keys = known[language];
  return keys.has(qualified) || [...keys].some((k) => k.startsWith(`${qualified}_`) && PLURAL.test(k.slice(qualified.length)));
}
function groupExists(language: (typeof LANGUAGES)[number], qualifiedPrefix: string): boolean {
  return [...known[language]].some((k) => k.startsWith(qualifiedPrefix));
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sources(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** The text of a call's first argument, from just after its "(" to the "," or ")" that ends it. */
function firstArgument(source: string, from: number): string {
  let depth = 0;
  let quote: string | null = null;
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      if (depth === 0) return source.slice(from, i);
      depth--;
    } else if (c === "," && depth === 0) return source.slice(from, i);
  }
  return source.slice(from);
}

type Use = { file: string; line: number; key: string; kind: "key" | "group" };

const NS_ALTERNATION = NAMESPACES.join("|");
const QUALIFIED_LITERAL = new RegExp(`["'\`]((?:${NS_ALTERNATION}):[\\w.]+)["'\`]`, "g");
const USE_TRANSLATION = /useTranslation\(\s*(?:\[\s*)?(?:["'](\w+)["'])?/g;
const T_CALL = /(?<![\w.$])(?:t|en)\(/g;

function usesIn(file: string): Use[] {
  const source = fs.readFileSync(file, "utf8");
  const relative = path.relative(process.cwd(), file);
  const lineOf = (index: number) => source.slice(0, index).split("\n").length;
  const uses: Use[] = [];

  for (const match of source.matchAll(QUALIFIED_LITERAL)) uses.push({ file: relative, line: lineOf(match.index), key: match[1], kind: "key" });
  for (const match of source.matchAll(/i18nKey=["']([\w.:]+)["']/g)) uses.push({ file: relative, line: lineOf(match.index), key: match[1], kind: "key" });

  const scopes = [...source.matchAll(USE_TRANSLATION)].map((m) => ({ at: m.index, ns: m[1] ?? DEFAULT_NS }));
  const namespaceAt = (index: number): string[] => {
    const above = scopes.filter((s) => s.at < index).at(-1);
    if (above) return [above.ns];
    // A helper above every component that is handed `t`: any of the file's namespaces.
    return scopes.length ? [...new Set(scopes.map((s) => s.ns))] : [DEFAULT_NS];
  };
  const qualify = (key: string, index: number): string[] => (key.includes(":") ? [key] : namespaceAt(index).map((ns) => `${ns}:${key}`));

  for (const match of source.matchAll(T_CALL)) {
    const start = match.index + match[0].length;
    const argument = firstArgument(source, start).trim();
    const line = lineOf(match.index);
    const literal = /^(["'])([^"'`]+)\1$/.exec(argument);
    const template = /^`([^`]*)`$/.exec(argument);
    if (literal) {
      uses.push(...alternatives(qualify(literal[2], start), relative, line, "key"));
    } else if (template) {
      const fixed = template[1].split("${")[0];
      const kind = template[1].includes("${") ? "group" : "key";
      if (kind === "group" && DYNAMIC_ALLOWLIST.includes(fixed)) continue;
      uses.push(...alternatives(qualify(fixed, start), relative, line, kind));
    } else {
      // A choice between literal keys (`cond ? "a" : "b"`); other expressions carry keys checked where they are written.
      for (const choice of argument.matchAll(/[?:]\s*(["'])([\w.:]+)\1/g)) uses.push(...alternatives(qualify(choice[2], start), relative, line, "key"));
    }
  }
  return uses;
}

/** A key read in a helper that serves several namespaces: one use, satisfied by any of them. */
function alternatives(candidates: string[], file: string, line: number, kind: Use["kind"]): Use[] {
  return [{ file, line, key: candidates.join(" | "), kind }];
}

describe("translation keys used in the code", () => {
  const files = [...sources(path.resolve("app")), ...sources(path.resolve("server"))];
  const uses = files.flatMap(usesIn);

  it("finds the keys (the scan itself still works)", () => {
    expect(uses.length).toBeGreaterThan(300);
    expect(uses.some((u) => u.kind === "group")).toBe(true);
  });

  it.each(LANGUAGES)("every key the code uses exists in %s", (language) => {
    const missing = uses
      .filter((use) => !use.key.split(" | ").some((key) => (use.kind === "group" ? groupExists(language, key) : exists(language, key))))
      .map((use) => `${use.file}:${use.line}: ${use.key}${use.kind === "group" ? "…" : ""}`);
    expect([...new Set(missing)]).toEqual([]);
  });
});
