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

/** Minor-unit digits of a currency (2 for USD/MXN/EUR, 0 for JPY …). */
export function minorUnitDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatMoney(value: Money, locale: string): string {
  const digits = minorUnitDigits(value.currency);
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency: value.currency,
    currencyDisplay: "symbol",
  }).format(value.amountMinor / 10 ** digits);
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
