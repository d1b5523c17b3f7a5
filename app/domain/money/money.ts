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
// formats hundreds of amounts), so each locale/currency pair is built once.
const currencyFormats = new Map<string, Intl.NumberFormat>();
function currencyFormat(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = currencyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency, currencyDisplay: "symbol" });
    currencyFormats.set(key, format);
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
  return currencyFormat(locale, value.currency).format(value.amountMinor / 10 ** minorUnitDigits(value.currency));
}

/**
 * Parses what a person typed ("1,234.56", "1.234,56", "1234") into minor units for
 * the given locale. Returns null for anything that is not an amount.
 */
export function parseMoneyInput(input: string, currency: string, locale: string): number | null {
  const digits = minorUnitDigits(currency);
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  const group = parts.find((p) => p.type === "group")?.value ?? ",";
  const decimal = parts.find((p) => p.type === "decimal")?.value ?? ".";
  const cleaned = input.trim().replace(/\s/g, "").split(group).join("").replace(decimal, ".");
  if (!/^\d+(\.\d+)?$/.test(cleaned)) return null;
  const [whole, fraction = ""] = cleaned.split(".");
  if (fraction.length > digits) return null;
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  return Number.isSafeInteger(minor) ? minor : null;
}

export function sumMoney(values: Money[], currency: string): Money {
  let total = 0;
  for (const v of values) {
    if (v.currency !== currency) throw new Error(`Cannot add ${v.currency} to ${currency} without an FX rate`);
    total += v.amountMinor;
  }
  return { amountMinor: total, currency };
}
