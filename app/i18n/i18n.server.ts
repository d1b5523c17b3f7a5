import { createInstance, type i18n, type TFunction } from "i18next";
import { initReactI18next } from "react-i18next";
import { RemixI18Next } from "remix-i18next/server";
import { portalCookie } from "../utils/cookies.server";
import { FALLBACK_LANGUAGE, i18nOptions, isLanguage, SUPPORTED_LANGUAGES, type Language } from "./config";
import { formattingFor, preferredFormatting, type Formatting } from "./locale";

export const languageCookie = portalCookie("lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

const detector = new RemixI18Next({
  detection: {
    supportedLanguages: [...SUPPORTED_LANGUAGES],
    fallbackLanguage: FALLBACK_LANGUAGE,
    cookie: languageCookie,
    order: ["cookie", "header"],
  },
});

/** Language rule: the user's profile, else the cookie, else Accept-Language. */
export async function resolveLanguage(request: Request, profileLanguage?: string | null): Promise<Language> {
  if (isLanguage(profileLanguage)) return profileLanguage;
  const detected = await detector.getLocale(request);
  return isLanguage(detected) ? detected : FALLBACK_LANGUAGE;
}

type Reader = Parameters<typeof preferredFormatting>[0] & { preferredLanguage?: string | null };

/**
 * How this request's reader gets pages: the language (profile, cookie, header) and the
 * formatting locale and time zone (their own or their account's, see `formattingFor`).
 * Every loader and action that formats or parses an amount asks this.
 */
export async function resolveReader(request: Request, user: Reader | null | undefined): Promise<Formatting & { language: Language }> {
  const language = await resolveLanguage(request, user?.preferredLanguage);
  return { language, ...formattingFor(language, preferredFormatting(user)) };
}

// One initialised i18next per language for the whole process: page renders, emails and
// server-side messages all use it. Initialising one per request cost more than
// rendering some pages, and nothing on the server ever changes an instance's language.
const instances = new Map<Language, Promise<i18n>>();

/** The shared i18next instance of one language (with react-i18next, for server renders). */
export function i18nFor(language: Language): Promise<i18n> {
  let instance = instances.get(language);
  if (!instance) {
    const created = createInstance();
    instance = created
      .use(initReactI18next)
      .init({ ...i18nOptions, lng: language })
      .then(() => created);
    instances.set(language, instance);
  }
  return instance;
}

/** A translate function fixed to one language (emails, server-side messages). */
export async function translatorFor(language: Language): Promise<TFunction> {
  return (await i18nFor(language)).t;
}
