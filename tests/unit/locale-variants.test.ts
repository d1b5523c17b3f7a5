import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** A regional variant (locales/es-ES) only re-words keys its base language has, keeping their placeholders. */
function keysOf(value: unknown, prefix = ""): string[] {
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
  return [prefix];
}
const read = (dir: string, file: string) => JSON.parse(fs.readFileSync(path.resolve("locales", dir, file), "utf8"));
const get = (tree: unknown, key: string) => key.split(".").reduce<any>((node, part) => node?.[part], tree);
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe("locales/es-ES", () => {
  it.each(fs.readdirSync(path.resolve("locales", "es-ES")))("%s overrides only keys of locales/es, with the same placeholders", (file) => {
    const variant = read("es-ES", file);
    const base = read("es", file);
    for (const key of keysOf(variant)) {
      expect(typeof get(base, key), key).toBe("string");
      expect(get(variant, key), key).not.toBe("");
      expect(placeholders(get(variant, key)), key).toEqual(placeholders(get(base, key)));
    }
  });
});
