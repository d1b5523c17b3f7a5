/** The account notes a credit decision leaves behind, for reps of either language. */
import { formatMoney } from "../money/money";

/** Money for an account note, formatted (never divided by hand). */
export function noteMoney(amountMinor: number, currency: string | null) {
  return formatMoney({ amountMinor, currency: currency ?? "USD" }, "en-US");
}

export function noteBody(kind: string, values: Record<string, unknown>) {
  // Account notes are read by reps of either language: a compact, language-neutral line.
  return `${kind}: ${Object.entries(values)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(", ")}`;
}
