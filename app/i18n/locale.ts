import type { Language } from "./config";

/**
 * Formatting locales the portal writes numbers, money, dates and CSV files in. The
 * language (en/es) picks the words; the locale picks how figures look: a company in
 * Spain reads 120.000,00 €, one in Mexico $120,000.00.
 */
export const SUPPORTED_LOCALES = ["en-US", "es-MX", "es-ES"] as const;
export type FormattingLocale = (typeof SUPPORTED_LOCALES)[number];

/** Each language's locale when nobody's profile says otherwise (Spanish is written for the Americas). */
export const LANGUAGE_DEFAULT_LOCALE: Record<Language, FormattingLocale> = { en: "en-US", es: "es-MX" };

/** Where a locale's people usually are, for someone who has no time zone of their own. */
export const LOCALE_DEFAULT_TIME_ZONE: Record<FormattingLocale, string> = {
  "en-US": "America/Chicago",
  "es-MX": "America/Mexico_City",
  "es-ES": "Europe/Madrid",
};

/** The currency a locale's own "$" (or €) means: a bare symbol is only ever shown for it. */
export const LOCALE_HOME_CURRENCY: Record<FormattingLocale, string> = { "en-US": "USD", "es-MX": "MXN", "es-ES": "EUR" };

export function isFormattingLocale(value: unknown): value is FormattingLocale {
  return typeof value === "string" && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

const validTimeZones = new Map<string, boolean>();
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== "string" || value === "" || value.length > 64) return false;
  let valid = validTimeZones.get(value);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: value });
      valid = true;
    } catch {
      valid = false;
    }
    validTimeZones.set(value, valid);
  }
  return valid;
}

export function languageOfLocale(locale: FormattingLocale): Language {
  return locale.slice(0, 2) as Language;
}

/** How one reader sees figures and times. */
export type Formatting = { locale: FormattingLocale; timeZone: string };

/**
 * The reader's formatting: their own (or their account's) locale when it is a locale of
 * the language they read the page in, else that language's default. An es-ES account
 * reading the English pages gets en-US figures — English sentences with "120.000,00 €"
 * in them read as a mistake — while the time zone is theirs whatever the language,
 * because it says where they are, not how they write.
 */
export function formattingFor(language: Language, preferred: { locale?: string | null; timeZone?: string | null } = {}): Formatting {
  const locale = isFormattingLocale(preferred.locale) && languageOfLocale(preferred.locale) === language ? preferred.locale : LANGUAGE_DEFAULT_LOCALE[language];
  const timeZone = isTimeZone(preferred.timeZone)
    ? preferred.timeZone
    : LOCALE_DEFAULT_TIME_ZONE[isFormattingLocale(preferred.locale) ? preferred.locale : locale];
  return { locale, timeZone };
}

/** What a signed-in person prefers: their own settings, else their account's (customers). */
export function preferredFormatting(
  user: { locale?: string | null; timeZone?: string | null; account?: { locale?: string | null; timeZone?: string | null } | null } | null | undefined,
) {
  return { locale: user?.locale ?? user?.account?.locale ?? null, timeZone: user?.timeZone ?? user?.account?.timeZone ?? null };
}

const COUNTRY_TIME_ZONE: Record<string, string> = { US: "America/Chicago", MX: "America/Mexico_City", ES: "Europe/Madrid" };

/** A new account's locale and time zone, from where it is and the language it chose (the same rule as migration 20261201050600). */
export function accountFormattingFor(country: string, language: Language): Formatting {
  const locale: FormattingLocale = language === "es" ? (country === "ES" ? "es-ES" : "es-MX") : "en-US";
  return { locale, timeZone: COUNTRY_TIME_ZONE[country] ?? LOCALE_DEFAULT_TIME_ZONE[locale] };
}

/**
 * An applicant's formatting, before (or without) a sign-in of its own: the country its
 * company is in says how it writes figures and which clock it reads — a company in Spain
 * types and reads 50.000,00 € on Madrid time, one in Mexico $50,000.00 — in the language
 * of the page or mail. The same rule as the account it becomes (`accountFormattingFor`).
 */
export function applicantFormattingFor(country: string | null | undefined, language: Language): Formatting {
  return country ? accountFormattingFor(country, language) : formattingFor(language);
}
