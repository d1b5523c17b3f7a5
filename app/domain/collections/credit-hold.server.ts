/**
 * Automatic credit hold: an account whose past due (undisputed, in the policy currency)
 * passes `collections.creditHoldPastDueMinor` goes on credit hold with a reason code,
 * and its open orders not yet released by a rep are held for credit; new orders are held
 * by the headroom check (app/domain/credit/holds.server.ts) while the account is on hold.
 * Brought current (nothing past due), the hold this put on is lifted — by the job, or at
 * once when a payment is applied. Only holds with AUTO_HOLD_REASON are lifted here: a
 * rep's own hold stays until a rep lifts it.
 *
 * Each flip is a conditional update on the account's status, so two runs at once flip it once.
 */
import { db } from "../../utils/db.server";
import { CLAIM_TRANSACTION } from "../../utils/transactions.server";
import { accountSummary } from "../accounts/account-summary.server";
import { recordAudit } from "../audit/audit.server";
import { policyValue } from "../policy/policy-value.server";
import { convertWithRate, latestRate } from "../fx/fx-rates.server";
import type { Job, JobResult } from "../jobs/runner.server";
import type { Money } from "../money/money";

/** The reason code stored on the account and rendered, translated, as `dunning:creditHold.reasons.<code>`. */
export const AUTO_HOLD_REASON = "past_due_over_threshold";

const DEFAULT_THRESHOLD: Money = { amountMinor: 500_000, currency: "USD" };

async function inCurrency(amount: Money, currency: string, asOf: Date): Promise<number | null> {
  if (amount.currency === currency) return amount.amountMinor;
  const rate = await latestRate(amount.currency, currency, asOf);
  return rate ? convertWithRate(amount.amountMinor, rate) : null;
}

/** Puts the account on hold, or lifts the automatic hold, as its past due now says. */
export async function reviewCreditHold(accountId: string, now = new Date(), options: { liftOnly?: boolean } = {}): Promise<"held" | "lifted" | null> {
  const summary = await accountSummary(accountId, now);
  if (!summary) return null;
  const status = summary.account.status;
  if (status === "ACTIVE" && !options.liftOnly) {
    const threshold = await policyValue<Money>("collections.creditHoldPastDueMinor", DEFAULT_THRESHOLD);
    const pastDue = await inCurrency(summary.pastDue, threshold.currency, now);
    if (pastDue === null || pastDue <= threshold.amountMinor) return null;
    const done = await db().$transaction(async (tx) => {
      const claimed = await tx.account.updateMany({
        where: { id: accountId, status: "ACTIVE" },
        data: { status: "CREDIT_HOLD", statusReason: AUTO_HOLD_REASON },
      });
      if (claimed.count !== 1) return false;
      const held = await tx.order.updateMany({
        where: { accountId, status: "OPEN", releasedAt: null },
        data: { status: "ON_HOLD", holdReason: "ACCOUNT_ON_HOLD", heldAt: now },
      });
      await recordAudit(
        {
          actorId: null,
          accountId,
          entity: "Account",
          entityId: accountId,
          action: "credit_hold_placed",
          before: { status },
          after: {
            status: "CREDIT_HOLD",
            reason: AUTO_HOLD_REASON,
            pastDueMinor: summary.pastDue.amountMinor,
            currency: summary.pastDue.currency,
            thresholdMinor: threshold.amountMinor,
            thresholdCurrency: threshold.currency,
            ordersHeld: held.count,
          },
        },
        tx,
      );
      return true;
    }, CLAIM_TRANSACTION);
    return done ? "held" : null;
  }
  if (status === "CREDIT_HOLD" && summary.pastDue.amountMinor <= 0) {
    const done = await db().$transaction(async (tx) => {
      const claimed = await tx.account.updateMany({
        where: { id: accountId, status: "CREDIT_HOLD", statusReason: AUTO_HOLD_REASON },
        data: { status: "ACTIVE", statusReason: null },
      });
      if (claimed.count !== 1) return false;
      const released = await tx.order.updateMany({
        where: { accountId, status: "ON_HOLD", holdReason: "ACCOUNT_ON_HOLD" },
        data: { status: "OPEN", holdReason: null, releasedAt: now, releaseNote: AUTO_HOLD_REASON },
      });
      await recordAudit(
        {
          actorId: null,
          accountId,
          entity: "Account",
          entityId: accountId,
          action: "credit_hold_lifted",
          before: { status: "CREDIT_HOLD", reason: AUTO_HOLD_REASON },
          after: { status: "ACTIVE", ordersReleased: released.count },
        },
        tx,
      );
      return true;
    }, CLAIM_TRANSACTION);
    return done ? "lifted" : null;
  }
  return null;
}

/** After a payment: lift the automatic hold if the account is now current (placing holds is the job's). */
export async function liftCreditHoldIfCurrent(accountId: string, now = new Date()) {
  // Only a hold this rule placed can be lifted here; an account without one needs no summary.
  const onAutoHold = await db().account.count({ where: { id: accountId, status: "CREDIT_HOLD", statusReason: AUTO_HOLD_REASON } });
  return onAutoHold ? reviewCreditHold(accountId, now, { liftOnly: true }) : null;
}

/** The job: accounts with anything past due that are not on hold, and accounts this rule put on hold. */
export async function runCreditHolds({ now }: { now: Date }): Promise<JobResult> {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const accounts = await db().account.findMany({
    where: {
      OR: [
        { status: "ACTIVE", invoices: { some: { status: { in: ["OPEN", "PARTIALLY_PAID"] }, balanceMinor: { gt: 0 }, dueOn: { lt: today } } } },
        { status: "CREDIT_HOLD", statusReason: AUTO_HOLD_REASON },
      ],
    },
    select: { id: true },
  });
  const result: JobResult = { held: 0, lifted: 0 };
  for (const account of accounts) {
    const outcome = await reviewCreditHold(account.id, now);
    if (outcome) result[outcome]++;
  }
  return result;
}

export const creditHoldJob: Job = { name: "credit_hold", run: ({ now }) => runCreditHolds({ now: now() }) };
