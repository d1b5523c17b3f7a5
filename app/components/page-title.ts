import { FALLBACK_LANGUAGE, isLanguage, resources } from "../i18n/config";

type MatchLike = { id: string; data?: unknown } | undefined;

/**
 * A translated <title> from the invoices/payments/disputes namespaces: meta runs
 * outside React, so it reads the language the root loader resolved and looks the key
 * ("invoices:title") up directly. `prefix` is shown first (an invoice number …).
 */
export function translatedTitle(matches: MatchLike[], key: string, prefix?: string): { title: string }[] {
  const rootData = matches.find((m) => m?.id === "root")?.data as { language?: string } | undefined;
  const language = isLanguage(rootData?.language) ? rootData.language : FALLBACK_LANGUAGE;
  const [ns, path] = key.split(":") as [keyof (typeof resources)["en"], string];
  const text = path.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], resources[language][ns]);
  const label = typeof text === "string" ? text.replace(/\{\{\s*\w+\s*\}\}/g, "").trim() : "";
  return [{ title: [prefix, label, resources[language].common.app.name].filter(Boolean).join(" · ") }];
}
