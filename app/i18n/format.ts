import { useTranslation } from "react-i18next";
import { formatMoney, type Money } from "../domain/money/money";
import { formattingLocale } from "./config";

type Formats = { date: Intl.DateTimeFormat; dateTime: Intl.DateTimeFormat; number: Intl.NumberFormat };

// Intl formatters are expensive to build and cheap to use: one set per locale.
const formatsByLocale = new Map<string, Formats>();
function formatsFor(locale: string): Formats {
  let formats = formatsByLocale.get(locale);
  if (!formats) {
    formats = {
      date: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }),
      dateTime: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }),
      number: new Intl.NumberFormat(locale),
    };
    formatsByLocale.set(locale, formats);
  }
  return formats;
}

/** Locale-aware formatting for components: money, dates, numbers, percentages. */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = formattingLocale(i18n.language);
  const formats = formatsFor(locale);
  return {
    locale,
    money: (value: Money) => formatMoney(value, locale),
    date: (value: string | Date) => formats.date.format(typeof value === "string" ? new Date(value) : value),
    dateTime: (value: string | Date) => formats.dateTime.format(typeof value === "string" ? new Date(value) : value),
    number: (value: number) => formats.number.format(value),
  };
}
