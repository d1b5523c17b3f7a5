import type { Money } from "../money/money";
import { db } from "../../utils/db.server";
import { convertWithRate, latestRate, type AppliedRate } from "./fx-rates.server";

export type Conversion = { from: Money; to: Money; rate: string; effectiveOn: string };

/**
 * An amount in another currency with the dated rate used, so a converted figure always
 * says where it came from. Null when no conversion is needed or no rate is on file.
 */
export async function convertWithDisclosure(amount: Money, quote: string, asOf = new Date()): Promise<Conversion | null> {
  if (amount.currency === quote) return null;
  const rate: AppliedRate | null = await latestRate(amount.currency, quote, asOf);
  if (!rate) return null;
  return { from: amount, to: { amountMinor: convertWithRate(amount.amountMinor, rate), currency: quote }, rate: rate.rate, effectiveOn: rate.effectiveOn };
}

/** The currency authority limits are kept in (the AuthorityLimit rows'), converted into for every authority check. */
export async function authorityCurrency(): Promise<string> {
  const row = await db().authorityLimit.findFirst({ orderBy: { rank: "asc" }, select: { currency: true } });
  return row?.currency ?? "USD";
}
