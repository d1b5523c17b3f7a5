/**
 * What each staff level may do without asking a higher level — the one place that
 * answers "can a Rep II approve this?". Limits are rows in AuthorityLimit (seeded
 * data), in the policy currency; amounts in other currencies are converted with the
 * dated FX table first. Above the limit the answer names the lowest level that may
 * act, so the caller turns the action into an escalation, never a silent approval.
 */
import type { StaffLevel } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { convertWithRate, latestRate } from "../fx/fx-rates.server";
import { toMinor, type Money } from "../money/money";

export type AuthorityAction = "credit_limit" | "write_off" | "credit_memo" | "over_limit_release" | "payment_terms";

const COLUMN = {
  credit_limit: "maxCreditLimitMinor",
  write_off: "maxWriteOffMinor",
  credit_memo: "maxCreditMemoMinor",
  over_limit_release: "maxOverLimitReleaseMinor",
} as const;

export type AuthorityDecision =
  | { allowed: true; level: StaffLevel }
  | { allowed: false; level: StaffLevel | null; requiredLevel: StaffLevel | null; limit: Money | null };

async function inPolicyCurrency(amount: Money, policyCurrency: string, asOf: Date): Promise<number> {
  if (amount.currency === policyCurrency) return amount.amountMinor;
  const rate = await latestRate(amount.currency, policyCurrency, asOf);
  if (!rate) throw new Error(`No FX rate from ${amount.currency} to ${policyCurrency}`);
  return convertWithRate(amount.amountMinor, rate);
}

/**
 * May `level` take `action` for `amount` (money) or `days` (payment terms)?
 * A null level (a customer, or a user without a staff level) may never act.
 */
export async function checkAuthority(
  level: StaffLevel | null | undefined,
  action: AuthorityAction,
  value: { amount: Money } | { days: number },
  asOf = new Date(),
): Promise<AuthorityDecision> {
  const limits = await db().authorityLimit.findMany({ orderBy: { rank: "asc" } });
  const fits = async (row: (typeof limits)[number]) => {
    if (action === "payment_terms") return "days" in value && value.days <= row.maxPaymentTermsDays;
    if (!("amount" in value)) return false;
    return (await inPolicyCurrency(value.amount, row.currency, asOf)) <= toMinor(row[COLUMN[action]]);
  };
  const own = limits.find((row) => row.level === level);
  if (own && (await fits(own))) return { allowed: true, level: own.level };
  let requiredLevel: StaffLevel | null = null;
  for (const row of limits) {
    if (own && row.rank <= own.rank) continue;
    if (await fits(row)) {
      requiredLevel = row.level;
      break;
    }
  }
  const limit = own && action !== "payment_terms" ? { amountMinor: toMinor(own[COLUMN[action]]), currency: own.currency } : null;
  return { allowed: false, level: own?.level ?? null, requiredLevel, limit };
}

/** Levels at or above `level`, lowest first — who sees an escalation in their queue. */
export async function levelsAtOrAbove(level: StaffLevel): Promise<StaffLevel[]> {
  const limits = await db().authorityLimit.findMany({ orderBy: { rank: "asc" }, select: { level: true, rank: true } });
  const rank = limits.find((row) => row.level === level)?.rank ?? Number.POSITIVE_INFINITY;
  return limits.filter((row) => row.rank >= rank).map((row) => row.level);
}
