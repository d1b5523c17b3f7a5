import { createInstance, type TFunction } from "i18next";
import { createCookie } from "react-router";
import { RemixI18Next } from "remix-i18next/server";
import { FALLBACK_LANGUAGE, i18nOptions, isLanguage, SUPPORTED_LANGUAGES, type Language } from "./config";

export const languageCookie = createCookie("lng", {
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

const instances = new Map<Language, Promise<TFunction>>();

/** A translate function fixed to one language (emails, server-side messages). */
export function translatorFor(language: Language): Promise<TFunction> {
  let t = instances.get(language);
  if (!t) {
    const instance = createInstance();
    t = instance.init({ ...i18nOptions, lng: language }).then(() => instance.t);
    instances.set(language, t);
  }
  return t;
}
