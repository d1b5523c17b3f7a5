import { useTranslation } from "react-i18next";
import { formatMoney, type Money } from "../domain/money/money";
import { formattingLocale } from "./config";

/** Locale-aware formatting for components: money, dates, numbers, percentages. */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = formattingLocale(i18n.language);
  return {
    locale,
    money: (value: Money) => formatMoney(value, locale),
    date: (value: string | Date) =>
      new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(typeof value === "string" ? new Date(value) : value),
    dateTime: (value: string | Date) =>
      new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(typeof value === "string" ? new Date(value) : value),
    number: (value: number) => new Intl.NumberFormat(locale).format(value),
  };
}
