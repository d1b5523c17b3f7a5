import { LOCALE_HOME_CURRENCY } from "../../i18n/locale";

/**
 * The one money type: an integer count of minor units and an ISO 4217 code.
 * Amounts are never floats; only formatting divides.
 */
export type Money = { amountMinor: number; currency: string };

export const SUPPORTED_CURRENCIES = ["USD", "MXN", "EUR", "CAD"] as const;
export type CurrencyCode = (typeof SUPPORTED_CURRENCIES)[number];

/** Reads a database BigInt as a safe integer of minor units. */
export function toMinor(value: bigint | number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === "bigint" ? Number(value) : value;
  if (!Number.isSafeInteger(n)) throw new RangeError(`Amount ${String(value)} is not a safe integer of minor units`);
  return n;
}

export function money(amountMinor: bigint | number, currency: string): Money {
  return { amountMinor: toMinor(amountMinor), currency };
}

// Building an Intl formatter costs far more than using one (a page of 50 invoices
// formats hundreds of amounts), so each locale/currency/display is built once.
const currencyFormats = new Map<string, Intl.NumberFormat>();
function currencyFormat(locale: string, currency: string, display: "narrowSymbol" | "symbol" | "code" = "symbol"): Intl.NumberFormat {
  const key = `${locale}|${currency}|${display}`;
  let format = currencyFormats.get(key);
  if (!format) {
    // Groups of three from 1.000 on in every locale: Spain's business documents write 1.234,56 €, where
    // es-ES's default would leave four digits bare (1234,56 €) and read differently from 12.345,60 €.
    format = new Intl.NumberFormat(locale, { style: "currency", currency, currencyDisplay: display, useGrouping: "always" } as Intl.NumberFormatOptions);
    currencyFormats.set(key, format);
  }
  return format;
}

const displayByLocaleCurrency = new Map<string, Intl.NumberFormat>();
/**
 * The one rule for currency symbols, so no amount is ambiguous on a portal that bills in
 * several dollar-like currencies: the short symbol (€, $) where it can only mean one
 * currency to this reader; a bare "$" only for the locale's own currency (USD in en-US,
 * MXN in es-MX); any other "$" currency is marked (MX$, CA$, US$) or, where the locale
 * has no marked symbol, written as its code (USD 1,250.00 in es-MX).
 */
function displayFormat(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = displayByLocaleCurrency.get(key);
  if (!format) {
    const symbolOf = (f: Intl.NumberFormat) => f.formatToParts(1).find((p) => p.type === "currency")?.value ?? "";
    const home = (LOCALE_HOME_CURRENCY as Record<string, string>)[locale];
    format = currencyFormat(locale, currency, "narrowSymbol");
    if (symbolOf(format).includes("$") && currency !== home) {
      format = currencyFormat(locale, currency, "symbol");
      if (symbolOf(format) === "$") format = currencyFormat(locale, currency, "code");
    }
    displayByLocaleCurrency.set(key, format);
  }
  return format;
}

const digitsByCurrency = new Map<string, number>();

/** Minor-unit digits of a currency (2 for USD/MXN/EUR, 0 for JPY …). */
export function minorUnitDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = currencyFormat("en", currency).resolvedOptions().maximumFractionDigits ?? 2;
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

export function formatMoney(value: Money, locale: string): string {
  return displayFormat(locale, value.currency).format(value.amountMinor / 10 ** minorUnitDigits(value.currency));
}

export function sumMoney(values: Money[], currency: string): Money {
  let total = 0;
  for (const v of values) {
    if (v.currency !== currency) throw new Error(`Cannot add ${v.currency} to ${currency} without an FX rate`);
    total += v.amountMinor;
  }
  return { amountMinor: total, currency };
}
