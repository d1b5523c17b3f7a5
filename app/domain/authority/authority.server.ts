/**
 * Applies what each staff level may do without asking a higher level — "can a Rep II
 * approve this?". Limits are rows in AuthorityLimit (seeded from the table in
 * approval-limits.ts), in the policy currency; amounts in other currencies are converted with the
 * dated FX table first. Above the limit the answer names the lowest level that may
 * act, so the caller turns the action into an escalation, never a silent approval.
 */
import type { AuthorityLimit, Prisma, StaffLevel } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { convertWithRate, latestRate } from "../fx/fx-rates.server";
import { toMinor, type Money } from "../money/money";

export type AuthorityAction = "credit_limit" | "write_off" | "credit_memo" | "over_limit_release" | "payment_terms" | "refund";

const COLUMN = {
  credit_limit: "maxCreditLimitMinor",
  write_off: "maxWriteOffMinor",
  credit_memo: "maxCreditMemoMinor",
  over_limit_release: "maxOverLimitReleaseMinor",
  refund: "maxRefundMinor",
} as const;

/** The period a level's cumulative credit-memo cap per account counts over, when no policy row says otherwise. */
const DEFAULT_CREDIT_PERIOD_DAYS = 30;

export type AuthorityDecision =
  { allowed: true; level: StaffLevel } | { allowed: false; level: StaffLevel | null; requiredLevel: StaffLevel | null; limit: Money | null };

/** Reads go through `client`, so a check made inside a transaction sees (and waits for) what it has locked. */
type Reader = Pick<Prisma.TransactionClient, "authorityLimit" | "fxRate" | "adjustment" | "policySetting">;

async function inPolicyCurrency(amount: Money, policyCurrency: string, asOf: Date, client: Reader): Promise<number> {
  if (amount.currency === policyCurrency) return amount.amountMinor;
  const rate = await latestRate(amount.currency, policyCurrency, asOf, client);
  if (!rate) throw new Error(`No FX rate from ${amount.currency} to ${policyCurrency}`);
  return convertWithRate(amount.amountMinor, rate);
}

/** Own level if it fits, else the lowest higher level that does (null: nobody may). */
async function decide(
  limits: AuthorityLimit[],
  level: StaffLevel | null | undefined,
  fits: (row: AuthorityLimit) => Promise<boolean>,
  limitOf: (row: AuthorityLimit) => Money | null,
): Promise<AuthorityDecision> {
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
  return { allowed: false, level: own?.level ?? null, requiredLevel, limit: own ? limitOf(own) : null };
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
  client: Reader = db(),
): Promise<AuthorityDecision> {
  const limits = await client.authorityLimit.findMany({ orderBy: { rank: "asc" } });
  return decide(
    limits,
    level,
    async (row) => {
      if (action === "payment_terms") return "days" in value && value.days <= row.maxPaymentTermsDays;
      if (!("amount" in value)) return false;
      return (await inPolicyCurrency(value.amount, row.currency, asOf, client)) <= toMinor(row[COLUMN[action]]);
    },
    (row) => (action === "payment_terms" ? null : { amountMinor: toMinor(row[COLUMN[action]]), currency: row.currency }),
  );
}

async function creditPeriodDays(client: Reader): Promise<number> {
  const row = await client.policySetting.findUnique({ where: { key: "authority.creditPeriodDays" } });
  const days = Number(row?.value);
  return Number.isInteger(days) && days > 0 ? days : DEFAULT_CREDIT_PERIOD_DAYS;
}

/**
 * May `level` post a credit memo of `amount` on this invoice? Three caps, all in the
 * policy currency: the memo itself, every posted memo on the invoice with this one
 * (so several disputes on one invoice never add up past the per-memo cap), and every
 * posted memo on the account within the policy period with this one. Call it inside
 * the transaction that posts the memo, with the invoice locked, so two memos at once
 * cannot both count only what was there before.
 */
export async function checkCreditMemoAuthority(
  level: StaffLevel | null | undefined,
  memo: { amount: Money; invoiceId: string; accountId: string },
  client: Reader = db(),
  asOf = new Date(),
): Promise<AuthorityDecision> {
  const limits = await client.authorityLimit.findMany({ orderBy: { rank: "asc" } });
  const since = new Date(asOf.getTime() - (await creditPeriodDays(client)) * 86_400_000);
  const posted = { kind: "CREDIT_MEMO" as const, status: "POSTED" as const };
  const onInvoice = await client.adjustment.groupBy({ by: ["currency"], where: { ...posted, invoiceId: memo.invoiceId }, _sum: { amountMinor: true } });
  const onAccount = await client.adjustment.groupBy({
    by: ["currency"],
    where: { ...posted, accountId: memo.accountId, postedAt: { gte: since } },
    _sum: { amountMinor: true },
  });
  const total = async (rows: typeof onInvoice, currency: string) => {
    let sum = await inPolicyCurrency(memo.amount, currency, asOf, client);
    for (const row of rows) sum += await inPolicyCurrency({ amountMinor: toMinor(row._sum.amountMinor), currency: row.currency }, currency, asOf, client);
    return sum;
  };
  return decide(
    limits,
    level,
    async (row) =>
      (await inPolicyCurrency(memo.amount, row.currency, asOf, client)) <= toMinor(row.maxCreditMemoMinor) &&
      (await total(onInvoice, row.currency)) <= toMinor(row.maxInvoiceCreditMinor) &&
      (await total(onAccount, row.currency)) <= toMinor(row.maxAccountCreditPerPeriodMinor),
    (row) => ({ amountMinor: toMinor(row.maxCreditMemoMinor), currency: row.currency }),
  );
}

/**
 * May `level` cut a credit limit from `current` to `proposed` (same currency)? A cut
 * deeper than the level's percentage, or below the account's exposure (what it owes
 * and has on order), needs a level that may; a raise is not a cut and always fits here
 * (the new amount is checked as `credit_limit`).
 */
export async function checkLimitCut(
  level: StaffLevel | null | undefined,
  change: { currentMinor: number; proposedMinor: number; exposureMinor: number },
  client: Reader = db(),
): Promise<AuthorityDecision> {
  const limits = await client.authorityLimit.findMany({ orderBy: { rank: "asc" } });
  const cut = change.currentMinor - change.proposedMinor;
  return decide(
    limits,
    level,
    async (row) => {
      if (cut <= 0) return true;
      if (change.proposedMinor < change.exposureMinor && !row.mayCutBelowExposure) return false;
      // Whole-number arithmetic: cut / current <= percent / 100.
      return cut * 100 <= row.maxLimitCutPercent * change.currentMinor;
    },
    () => null,
  );
}

/** Levels at or above `level`, lowest first — who sees an escalation in their queue. */
export async function levelsAtOrAbove(level: StaffLevel): Promise<StaffLevel[]> {
  const limits = await db().authorityLimit.findMany({ orderBy: { rank: "asc" }, select: { level: true, rank: true } });
  const rank = limits.find((row) => row.level === level)?.rank ?? Number.POSITIVE_INFINITY;
  return limits.filter((row) => row.rank >= rank).map((row) => row.level);
}

/**
 * May `level` act on something escalated to `escalatedTo`? Only that level and those
 * above it; escalated to nobody (no level had the authority) means the top level only.
 */
export async function mayActOnEscalation(level: StaffLevel | null | undefined, escalatedTo: StaffLevel | null, client: Reader = db()): Promise<boolean> {
  if (!level) return false;
  const limits = await client.authorityLimit.findMany({ orderBy: { rank: "asc" }, select: { level: true, rank: true } });
  const own = limits.find((row) => row.level === level)?.rank;
  if (own === undefined) return false;
  const needed = escalatedTo ? limits.find((row) => row.level === escalatedTo)?.rank : limits.at(-1)?.rank;
  return needed !== undefined && own >= needed;
}

/** A level's rank (higher decides more); no level, or one without limits, ranks 0. */
export async function rankOf(level: StaffLevel | null | undefined): Promise<number> {
  if (!level) return 0;
  const row = await db().authorityLimit.findUnique({ where: { level } });
  return row?.rank ?? 0;
}
