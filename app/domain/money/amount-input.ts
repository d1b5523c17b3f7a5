import { minorUnitDigits, type Money } from "./money";

/**
 * The one reader of typed amounts (pay, promise to pay, dispute, credit request, headroom,
 * credit limit, credit memo, refunds, payment splits). A misread amount is charged, so
 * it refuses what it cannot read one way only:
 *
 * - the decimal mark is the locale's: "." in en-US and es-MX (as Mexico writes), "," in es-ES;
 * - the other mark is read as grouping only where it groups: every three digits, from
 *   the first group of one to three digits ("1,250" and "12,500,000.50" in en-US);
 * - anything else with the other mark ("12,5" or "100,50" on an English page, "12.5" on
 *   a page for Spain) is refused as ambiguous — the message shows the locale's way —
 *   never guessed, since "100,50" is 100.50 to one reader and 10,050 to another;
 * - more decimals than the currency has are refused, not rounded;
 * - a currency sign or code of the amount's own currency may stand before or after.
 */
export type AmountInputError = "required" | "invalid" | "ambiguous" | "decimals" | "too_large";
export type AmountInput = { ok: true; amountMinor: number } | { ok: false; error: AmountInputError };

type Marks = { decimal: string; group: string };
const marksByLocale = new Map<string, Marks>();
export function numberMarks(locale: string): Marks {
  let marks = marksByLocale.get(locale);
  if (!marks) {
    const parts = new Intl.NumberFormat(locale, { useGrouping: "always" } as Intl.NumberFormatOptions).formatToParts(12345.6);
    marks = { decimal: parts.find((p) => p.type === "decimal")?.value ?? ".", group: parts.find((p) => p.type === "group")?.value ?? "," };
    marksByLocale.set(locale, marks);
  }
  return marks;
}

// Above this a typed amount is a slip of the finger, and still a safe integer in minor units.
const MAX_MINOR = 1_000_000_000_000_00;

const CURRENCY_SIGNS: Record<string, string[]> = {
  USD: ["US$", "USD", "$"],
  MXN: ["MX$", "MXN", "$"],
  CAD: ["CA$", "CAD", "$"],
  EUR: ["EUR", "€"],
};

function withoutCurrencySign(text: string, currency: string): string {
  const signs = CURRENCY_SIGNS[currency] ?? [currency];
  for (const sign of signs) {
    if (text.toUpperCase().startsWith(sign)) return text.slice(sign.length).trim();
    if (text.toUpperCase().endsWith(sign)) return text.slice(0, -sign.length).trim();
  }
  return text;
}

export function parseAmountInput(text: string, locale: string, currency: string): AmountInput {
  const raw = text.trim();
  if (raw === "") return { ok: false, error: "required" };
  if (raw.length > 40) return { ok: false, error: "invalid" };
  const { decimal, group } = numberMarks(locale);
  // Spaces (plain, no-break, narrow no-break) group digits in many places; they never mark decimals.
  const compact = withoutCurrencySign(raw, currency).replace(/[\s\u00a0\u202f]/g, group);
  if (!/^[0-9.,]+$/.test(compact)) return { ok: false, error: "invalid" };

  const pieces = compact.split(decimal);
  if (pieces.length > 2) return { ok: false, error: compact.includes(group) ? "ambiguous" : "invalid" };
  const [whole, fraction] = pieces as [string, string | undefined];
  if (fraction !== undefined && !/^[0-9]+$/.test(fraction)) return { ok: false, error: /[.,]/.test(fraction) ? "ambiguous" : "invalid" };
  let digits = whole;
  if (whole.includes(group)) {
    // Grouping counts only as grouping: 1,250 · 12,500 · 1,250,000 — never 12,5 or 1,25.
    if (!new RegExp(`^[0-9]{1,3}(?:${escape(group)}[0-9]{3})+$`).test(whole)) return { ok: false, error: "ambiguous" };
    digits = whole.split(group).join("");
  }
  if (!/^[0-9]*$/.test(digits) || (digits === "" && !fraction)) return { ok: false, error: "invalid" };

  const places = minorUnitDigits(currency);
  if ((fraction ?? "").length > places) return { ok: false, error: "decimals" };
  const wholeDigits = digits.replace(/^0+(?=[0-9])/, "") || "0";
  if (wholeDigits.length > 15) return { ok: false, error: "too_large" };
  const amountMinor = Number(wholeDigits) * 10 ** places + Number((fraction ?? "").padEnd(places, "0") || "0");
  if (!Number.isSafeInteger(amountMinor) || amountMinor > MAX_MINOR) return { ok: false, error: "too_large" };
  return { ok: true, amountMinor };
}

function escape(mark: string): string {
  return mark.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The translation key of a refused amount. The ambiguous-mark message is one per way of
 * writing decimals, so it can show the reader's own example (1,250.50 or 1.250,50).
 */
export function amountErrorKey(error: AmountInputError, locale: string): string {
  if (error === "ambiguous" || error === "invalid") return `common:amountInput.${error}_${numberMarks(locale).decimal === "," ? "comma" : "point"}`;
  return `common:amountInput.${error}`;
}

/** An amount as a typed value for an input's default, in the reader's locale, without grouping ("2500000.00" / "2500000,00"). */
export function amountForInput(value: Money, locale: string): string {
  const digits = minorUnitDigits(value.currency);
  const abs = String(Math.abs(value.amountMinor)).padStart(digits + 1, "0");
  const text = digits ? `${abs.slice(0, -digits)}${numberMarks(locale).decimal}${abs.slice(-digits)}` : abs;
  return value.amountMinor < 0 ? `-${text}` : text;
}

/** An example amount for a field's hint, as this reader writes one (1,250.00 · 1.250,00). */
export function amountExample(locale: string): string {
  const { decimal, group } = numberMarks(locale);
  return `1${group}250${decimal}00`;
}
