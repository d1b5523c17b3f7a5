import { FALLBACK_LANGUAGE, isLanguage, resources } from "./config";

type MatchLike = { id: string; data?: unknown } | undefined;

/**
 * A translated <title> for a route's `meta` export. Meta runs outside React, so it
 * reads the language the root loader resolved and looks the key up directly.
 */
export function pageTitle(matches: MatchLike[], key: keyof (typeof resources)["en"]["common"]["titles"]): { title: string }[] {
  const rootData = matches.find((m) => m?.id === "root")?.data as { language?: string } | undefined;
  const language = isLanguage(rootData?.language) ? rootData.language : FALLBACK_LANGUAGE;
  const titles = resources[language].common.titles;
  return [{ title: `${titles[key]} · ${resources[language].common.app.name}` }];
}
