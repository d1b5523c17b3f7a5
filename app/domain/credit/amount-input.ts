import { minorUnitDigits, type Money } from "../money/money";

/** An amount as a plain "2500000.00" for an input's default value: string arithmetic, no floats. */
export function amountForInput(value: Money): string {
  const digits = minorUnitDigits(value.currency);
  const abs = String(Math.abs(value.amountMinor)).padStart(digits + 1, "0");
  const text = digits ? `${abs.slice(0, -digits)}.${abs.slice(-digits)}` : abs;
  return value.amountMinor < 0 ? `-${text}` : text;
}
