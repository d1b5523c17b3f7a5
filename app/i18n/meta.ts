import { FALLBACK_LANGUAGE, isLanguage, resources } from "./config";

type MatchLike = { id: string; data?: unknown } | undefined;

/**
 * A translated <title> for a route's `meta` export, from a namespaced key such as
 * "common:titles.account" or "invoices:title". Meta runs outside React, so it reads
 * the language the root loader resolved and looks the key up directly. `prefix`
 * (an invoice number …) is shown first.
 */
export function pageTitle(matches: MatchLike[], key: string, prefix?: string): { title: string }[] {
  const rootData = matches.find((m) => m?.id === "root")?.data as { language?: string; textLanguage?: string } | undefined;
  const language = isLanguage(rootData?.language) ? rootData.language : FALLBACK_LANGUAGE;
  const [ns, path] = key.split(":") as [keyof (typeof resources)["en"], string];
  const lookup = (tree: unknown) => path.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);
  // A regional variant's own word first (es-ES), else the language's.
  const variant = rootData?.textLanguage === "es-ES" ? (resources["es-ES"] as Record<string, unknown>)[ns] : undefined;
  const text = lookup(variant) ?? lookup(resources[language][ns]);
  const label = typeof text === "string" ? text.replace(/\{\{\s*\w+\s*\}\}/g, "").trim() : "";
  return [{ title: [prefix, label, resources[language].common.app.name].filter(Boolean).join(" · ") }];
}
