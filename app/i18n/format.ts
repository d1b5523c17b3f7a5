import { createContext, useContext } from "react";
import { useTranslation } from "react-i18next";
import { useRouteLoaderData } from "react-router";
import { formatMoney, type Money } from "../domain/money/money";
import { isLanguage } from "./config";
import { formattingFor, isFormattingLocale, type Formatting } from "./locale";

type Formats = {
  date: Intl.DateTimeFormat;
  dateTime: Intl.DateTimeFormat;
  zoned: Intl.DateTimeFormat;
  number: Intl.NumberFormat;
  /** Calendar days already written in this locale: a list shows the same few days over and over. */
  days: Map<string, string>;
};
const MAX_KEPT_DAYS = 5_000;

function formattedDay(formats: Formats, day: string): string {
  let text = formats.days.get(day);
  if (text === undefined) {
    text = formats.date.format(new Date(day));
    if (formats.days.size >= MAX_KEPT_DAYS) formats.days.clear();
    formats.days.set(day, text);
  }
  return text;
}

// Intl formatters are expensive to build and cheap to use: one set per locale and zone.
const formatsByKey = new Map<string, Formats>();
function formatsFor({ locale, timeZone }: Formatting): Formats {
  const key = `${locale}|${timeZone}`;
  let formats = formatsByKey.get(key);
  if (!formats) {
    formats = {
      // Dates are calendar days (due dates, statement days) stored as UTC midnight: no zone shift.
      date: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }),
      // Moments are shown in the reader's zone, the same on the server render and in the browser.
      dateTime: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }),
      // The same moment naming its zone, for text read away from the portal (a transcript in a mailbox).
      zoned: new Intl.DateTimeFormat(locale, {
        year: "numeric",
        month: "short",
        day: "numeric",
        hour: "numeric",
        minute: "2-digit",
        timeZone,
        timeZoneName: "short",
      }),
      number: new Intl.NumberFormat(locale),
      days: new Map(),
    };
    formatsByKey.set(key, formats);
  }
  return formats;
}

/** Locale-aware formatting for plain code (emails, PDFs, server messages): the same rules as `useFormat`. */
export function formatterFor(formatting: Formatting) {
  const formats = formatsFor(formatting);
  return {
    ...formatting,
    money: (value: Money) => formatMoney(value, formatting.locale),
    date: (value: string | Date) => (typeof value === "string" ? formattedDay(formats, value) : formats.date.format(value)),
    dateTime: (value: string | Date) => formats.dateTime.format(typeof value === "string" ? new Date(value) : value),
    dateTimeWithZone: (value: string | Date) => formats.zoned.format(typeof value === "string" ? new Date(value) : value),
    number: (value: number) => formats.number.format(value),
  };
}

const PageFormatting = createContext<Formatting | null>(null);

/**
 * Figures and times of a page about someone other than its reader's own account, in
 * theirs: a new company's status page is read by a signed-out visitor, whose own
 * formatting says nothing about the company (see `applicantFormattingFor`).
 */
export const PageFormattingProvider = PageFormatting.Provider;

/**
 * Locale-aware formatting for components: money, dates, numbers. The locale and time
 * zone are the reader's, resolved once by the root loader (account locale, else the
 * language's default).
 */
export function useFormat() {
  const { i18n } = useTranslation();
  const root = useRouteLoaderData("root") as { language?: string; locale?: string; timeZone?: string } | undefined;
  const own = useContext(PageFormatting);
  if (own) return formatterFor(own);
  const language = isLanguage(root?.language) ? root.language : isLanguage(i18n.language) ? i18n.language : "en";
  const formatting =
    isFormattingLocale(root?.locale) && root.timeZone ? formattingFor(language, { locale: root.locale, timeZone: root.timeZone }) : formattingFor(language);
  return formatterFor(formatting);
}
