import enAccount from "../../locales/en/account.json";
import enAuth from "../../locales/en/auth.json";
import enChat from "../../locales/en/chat.json";
import enCollections from "../../locales/en/collections.json";
import enCommon from "../../locales/en/common.json";
import enDisputes from "../../locales/en/disputes.json";
import enDunning from "../../locales/en/dunning.json";
import enCredit from "../../locales/en/credit.json";
import enFiles from "../../locales/en/files.json";
import enInvoices from "../../locales/en/invoices.json";
import enMail from "../../locales/en/mail.json";
import enPayments from "../../locales/en/payments.json";
import enRep from "../../locales/en/rep.json";
import enReports from "../../locales/en/reports.json";
import enMyday from "../../locales/en/myday.json";
import enWatch from "../../locales/en/watch.json";
import esAccount from "../../locales/es/account.json";
import esAuth from "../../locales/es/auth.json";
import esChat from "../../locales/es/chat.json";
import esCollections from "../../locales/es/collections.json";
import esCommon from "../../locales/es/common.json";
import esDisputes from "../../locales/es/disputes.json";
import esDunning from "../../locales/es/dunning.json";
import esCredit from "../../locales/es/credit.json";
import esFiles from "../../locales/es/files.json";
import esInvoices from "../../locales/es/invoices.json";
import esMail from "../../locales/es/mail.json";
import esPayments from "../../locales/es/payments.json";
import esRep from "../../locales/es/rep.json";
import esReports from "../../locales/es/reports.json";
import enDelivery from "../../locales/en/delivery.json";
import esDelivery from "../../locales/es/delivery.json";
import esMyday from "../../locales/es/myday.json";
import esWatch from "../../locales/es/watch.json";
import esESCommon from "../../locales/es-ES/common.json";
import esESDisputes from "../../locales/es-ES/disputes.json";
import esESInvoices from "../../locales/es-ES/invoices.json";
import esESAccount from "../../locales/es-ES/account.json";
import esESPayments from "../../locales/es-ES/payments.json";
import esESChat from "../../locales/es-ES/chat.json";
import esESMail from "../../locales/es-ES/mail.json";
import esESDunning from "../../locales/es-ES/dunning.json";
import esESCollections from "../../locales/es-ES/collections.json";
import esESCredit from "../../locales/es-ES/credit.json";

/** The one i18n setup, shared by the server render, the browser and emails. */
export const SUPPORTED_LANGUAGES = ["en", "es"] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];
export const FALLBACK_LANGUAGE: Language = "en";

/**
 * The words a reader gets: their language, or a regional variant of it where the words
 * differ (Spain says "reclamación" and "extracto" where Mexico says "aclaración" and
 * "estado de cuenta"). A variant holds only the keys that differ; i18next falls back to
 * the base language for the rest (`locales/es-ES` over `locales/es`).
 */
export const TEXT_VARIANTS = ["es-ES"] as const;
export type TextLanguage = Language | (typeof TEXT_VARIANTS)[number];

/** The words for a reader of `language` whose formatting locale is `locale`. */
export function textLanguageFor(language: Language, locale?: string | null): TextLanguage {
  return (TEXT_VARIANTS as readonly string[]).includes(locale ?? "") && locale!.startsWith(`${language}-`) ? (locale as TextLanguage) : language;
}

export function isTextLanguage(value: unknown): value is TextLanguage {
  return isLanguage(value) || (TEXT_VARIANTS as readonly unknown[]).includes(value);
}

/** The base language of a text language ("es-ES" → "es"). */
export function baseLanguage(value: TextLanguage): Language {
  return value.slice(0, 2) as Language;
}

export const resources = {
  en: {
    common: enCommon,
    auth: enAuth,
    account: enAccount,
    rep: enRep,
    mail: enMail,
    files: enFiles,
    invoices: enInvoices,
    payments: enPayments,
    disputes: enDisputes,
    chat: enChat,
    credit: enCredit,
    collections: enCollections,
    dunning: enDunning,
    reports: enReports,
    delivery: enDelivery,
    myday: enMyday,
    watch: enWatch,
  },
  es: {
    common: esCommon,
    auth: esAuth,
    account: esAccount,
    rep: esRep,
    mail: esMail,
    files: esFiles,
    invoices: esInvoices,
    payments: esPayments,
    disputes: esDisputes,
    chat: esChat,
    credit: esCredit,
    collections: esCollections,
    dunning: esDunning,
    reports: esReports,
    delivery: esDelivery,
    myday: esMyday,
    watch: esWatch,
  },
  "es-ES": {
    common: esESCommon,
    disputes: esESDisputes,
    invoices: esESInvoices,
    account: esESAccount,
    payments: esESPayments,
    chat: esESChat,
    mail: esESMail,
    dunning: esESDunning,
    collections: esESCollections,
    credit: esESCredit,
  },
} as const;

export const NAMESPACES = Object.keys(resources.en) as (keyof (typeof resources)["en"])[];

export const i18nOptions = {
  supportedLngs: [...SUPPORTED_LANGUAGES, ...TEXT_VARIANTS],
  fallbackLng: { "es-ES": ["es", FALLBACK_LANGUAGE], default: [FALLBACK_LANGUAGE] },
  defaultNS: "common",
  ns: NAMESPACES,
  resources,
  interpolation: { escapeValue: false },
} as const;

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (SUPPORTED_LANGUAGES as readonly string[]).includes(value);
}
