/**
 * Periodic credit reviews against the database: when each account is due (its
 * CreditReviewSchedule row, or — for an account never scheduled — its opening day plus the
 * medium interval), the scorecard re-run on current data, and the rep's decision. A new
 * limit goes through `changeAccountTerms`, so it follows the authority rules of an
 * application: within the rep's authority it applies, above it it becomes an escalated
 * request for the level that may. Either way the review is decided once (a unique row per
 * account and due date, inserted first) and the next date moves on by the risk class.
 */
import { db } from "../../utils/db.server";
import { CLAIM_TRANSACTION } from "../../utils/transactions.server";
import { accountSummary, type AccountSummary } from "../accounts/account-summary.server";
import { recordAudit } from "../audit/audit.server";
import type { SessionUser } from "../auth/session-user";
import { toMinor } from "../money/money";
import { isUniqueViolation } from "../payments/unique-violation";
import { changeAccountTerms } from "./change-account-terms.server";
import {
  isRiskClass,
  nextReviewOn,
  recommendReview,
  REVIEW_POLICY_DEFAULTS,
  riskClassOf,
  type ReviewAction,
  type ReviewPolicy,
  type ReviewRecommendation,
  type RiskClass,
} from "./periodic-review";
import type { StoredScore } from "./scorecard";
import { loadCreditPolicy, scoreFor } from "./scoring.server";

export async function reviewPolicy(): Promise<ReviewPolicy> {
  const rows = await db().policySetting.findMany({
    where: { key: { in: ["credit.reviewIntervalDays", "credit.reviewRaiseUtilizationPercent", "credit.reviewRaisePercent"] } },
  });
  const policy: ReviewPolicy = { ...REVIEW_POLICY_DEFAULTS, intervalDays: { ...REVIEW_POLICY_DEFAULTS.intervalDays } };
  for (const row of rows) {
    if (row.key === "credit.reviewIntervalDays" && row.value && typeof row.value === "object") {
      for (const [k, v] of Object.entries(row.value)) if (isRiskClass(k) && typeof v === "number" && v > 0) policy.intervalDays[k] = v;
    }
    if (row.key === "credit.reviewRaiseUtilizationPercent" && typeof row.value === "number") policy.raiseUtilizationPercent = row.value;
    if (row.key === "credit.reviewRaisePercent" && typeof row.value === "number") policy.raisePercent = row.value;
  }
  return policy;
}

export type ReviewDue = { accountId: string; dueOn: Date; riskClass: RiskClass };

function dayOf(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/** When each account's next review falls (never-scheduled accounts: opening day plus the medium interval). */
export async function reviewsDue(accountIds: string[]): Promise<ReviewDue[]> {
  const [schedules, accounts, policy] = await Promise.all([
    db().creditReviewSchedule.findMany({ where: { accountId: { in: accountIds } } }),
    db().account.findMany({ where: { id: { in: accountIds }, status: { not: "CLOSED" } }, select: { id: true, createdAt: true } }),
    reviewPolicy(),
  ]);
  return accounts.map((a) => {
    const row = schedules.find((s) => s.accountId === a.id);
    if (row) return { accountId: a.id, dueOn: row.nextReviewOn, riskClass: isRiskClass(row.riskClass) ? row.riskClass : "medium" };
    return { accountId: a.id, dueOn: nextReviewOn(a.createdAt, "medium", policy), riskClass: "medium" as const };
  });
}

/** The scorecard's inputs from what the portal knows now: the latest application's company facts, else the account's own trading. */
async function currentScore(summary: AccountSummary, now: Date): Promise<StoredScore> {
  const accountId = summary.account.id;
  const application = await db().creditApplication.findFirst({
    where: { accountId, yearsInBusiness: { not: null }, annualRevenueMinor: { not: null } },
    orderBy: { submittedAt: "desc" },
    include: { references: { select: { id: true } } },
  });
  const account = await db().account.findUniqueOrThrow({ where: { id: accountId }, select: { createdAt: true } });
  const yearsSince = (from: Date) => Math.max(0, Math.floor((now.getTime() - from.getTime()) / (365.25 * 86_400_000)));
  let yearsInBusiness: number;
  let annualRevenueMinor: number;
  if (application?.yearsInBusiness != null && application.annualRevenueMinor != null) {
    yearsInBusiness = application.yearsInBusiness + yearsSince(application.submittedAt ?? application.createdAt);
    annualRevenueMinor = toMinor(application.annualRevenueMinor);
  } else {
    // No application on file: the years it has traded with us, and what it bought in the last twelve months (the least it turns over).
    yearsInBusiness = yearsSince(account.createdAt);
    const [row] = await db().$queryRaw<{ total: bigint | null }[]>`
      SELECT SUM("totalMinor")::bigint AS total FROM "Invoice"
      WHERE "accountId" = ${accountId} AND currency = ${summary.account.currency} AND status <> 'VOID' AND "issuedOn" >= ${new Date(now.getTime() - 365 * 86_400_000)}`;
    annualRevenueMinor = toMinor(row?.total ?? 0n);
  }
  return scoreFor(
    {
      yearsInBusiness,
      annualRevenueMinor,
      requestedLimitMinor: summary.creditLimit.amountMinor,
      requestedTermsDays: summary.account.paymentTermsDays,
      currency: summary.account.currency,
      references: application?.references ?? [],
      bankName: application?.bankName ?? "",
    },
    accountId,
  );
}

export type CreditReviewView = {
  summary: AccountSummary;
  due: { on: string; riskClass: RiskClass; isDue: boolean };
  score: StoredScore;
  riskClass: RiskClass;
  recommendation: ReviewRecommendation;
  intervalDays: ReviewPolicy["intervalDays"];
  history: { id: string; dueOn: string; decision: string; outcome: string; score: number; createdAt: string; applicationId: string | null }[];
};

export async function creditReviewOf(accountId: string, now = new Date()): Promise<CreditReviewView | null> {
  const summary = await accountSummary(accountId, now);
  if (!summary) return null;
  const [[due], policy, credit, score, history] = await Promise.all([
    reviewsDue([accountId]),
    reviewPolicy(),
    loadCreditPolicy(),
    currentScore(summary, now),
    db().creditReview.findMany({ where: { accountId }, orderBy: { createdAt: "desc" }, take: 10 }),
  ]);
  if (!due) return null;
  return {
    summary,
    due: { on: due.dueOn.toISOString(), riskClass: due.riskClass, isDue: due.dueOn.getTime() <= dayOf(now).getTime() },
    score,
    riskClass: riskClassOf(score.score, credit),
    recommendation: recommendReview(score, { limitMinor: summary.creditLimit.amountMinor, exposureMinor: summary.exposure.amountMinor }, policy),
    intervalDays: policy.intervalDays,
    history: history.map((h) => ({
      id: h.id,
      dueOn: h.dueOn.toISOString(),
      decision: h.decision,
      outcome: h.outcome,
      score: h.score,
      createdAt: h.createdAt.toISOString(),
      applicationId: h.applicationId,
    })),
  };
}

export type ReviewDecision = { action: ReviewAction; limitMinor: number; note: string };
export type ReviewDecisionResult =
  | { ok: true; outcome: "kept" | "changed" | "held"; nextReviewOn: string }
  | { ok: true; outcome: "escalated"; nextReviewOn: string; requiredLevel: string; applicationId: string }
  | { ok: false; error: "not_found" | "not_due" | "already_decided" | "unchanged" | "changed_meanwhile" | "already_requested" | "limit_direction" };

/**
 * Decides the account's due review. The review row is inserted first (unique by account
 * and due date) together with the next date, so two decisions sent at once decide once;
 * if the limit change is then refused, the claim is taken back and nothing has changed.
 */
export async function decideCreditReview(actor: SessionUser, accountId: string, decision: ReviewDecision, now = new Date()): Promise<ReviewDecisionResult> {
  const view = await creditReviewOf(accountId, now);
  if (!view) return { ok: false, error: "not_found" };
  if (!view.due.isDue) return { ok: false, error: "not_due" };
  const current = view.summary.creditLimit.amountMinor;
  if (decision.action === "raise" && decision.limitMinor <= current) return { ok: false, error: "limit_direction" };
  if (decision.action === "lower" && decision.limitMinor >= current) return { ok: false, error: "limit_direction" };
  const policy = await reviewPolicy();
  const riskClass: RiskClass = decision.action === "hold" ? "high" : view.riskClass;
  const next = nextReviewOn(now, riskClass, policy);
  const dueOn = new Date(view.due.on);
  const limitAfter = decision.action === "raise" || decision.action === "lower" ? decision.limitMinor : current;
  let reviewId: string;
  try {
    reviewId = await db().$transaction(async (tx) => {
      const review = await tx.creditReview.create({
        data: {
          accountId,
          dueOn,
          riskClass,
          score: view.score.score,
          recommendation: view.recommendation.action,
          decision: decision.action,
          limitBeforeMinor: BigInt(current),
          limitAfterMinor: BigInt(limitAfter),
          currency: view.summary.account.currency,
          outcome: "pending",
          decidedById: actor.id,
          note: decision.note || null,
          nextReviewOn: next,
        },
      });
      await tx.creditReviewSchedule.upsert({
        where: { accountId },
        create: { accountId, riskClass, nextReviewOn: next },
        update: { riskClass, nextReviewOn: next },
      });
      return review.id;
    }, CLAIM_TRANSACTION);
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, error: "already_decided" };
    throw error;
  }
  const undo = () =>
    db().$transaction([
      db().creditReview.delete({ where: { id: reviewId } }),
      db().creditReviewSchedule.update({ where: { accountId }, data: { riskClass: view.due.riskClass, nextReviewOn: dueOn } }),
    ]);
  let outcome: "kept" | "changed" | "held" | "escalated" = "kept";
  let escalation: { requiredLevel: string; applicationId: string } | null = null;
  if (decision.action === "raise" || decision.action === "lower") {
    const change = await changeAccountTerms(actor, accountId, {
      limitMinor: decision.limitMinor,
      termsDays: view.summary.account.paymentTermsDays,
      reason: decision.note || "Periodic credit review",
    });
    if (!change.ok) {
      await undo();
      return { ok: false, error: change.error };
    }
    outcome = change.outcome;
    if (change.outcome === "escalated") escalation = { requiredLevel: change.requiredLevel, applicationId: change.applicationId };
  } else if (decision.action === "hold") {
    const held = await db().account.updateMany({ where: { id: accountId, status: "ACTIVE" }, data: { status: "CREDIT_HOLD", statusReason: "credit_review" } });
    outcome = held.count === 1 ? "held" : "kept";
  }
  await db().$transaction(async (tx) => {
    await tx.creditReview.update({ where: { id: reviewId }, data: { outcome, applicationId: escalation?.applicationId ?? null } });
    await recordAudit(
      {
        actorId: actor.id,
        accountId,
        entity: "CreditReview",
        entityId: reviewId,
        action: "credit_review_decided",
        before: { dueOn: view.due.on, riskClass: view.due.riskClass, limitMinor: current, status: view.summary.account.status },
        after: { decision: decision.action, outcome, limitMinor: limitAfter, nextReviewOn: next.toISOString().slice(0, 10), riskClass },
      },
      tx,
    );
  });
  const nextOn = next.toISOString();
  if (escalation) return { ok: true, outcome: "escalated", nextReviewOn: nextOn, ...escalation };
  return { ok: true, outcome: outcome === "escalated" ? "kept" : outcome, nextReviewOn: nextOn };
}
