/**
 * Periodic credit reviews: the rules, free of the database. An account's risk class comes
 * from its scorecard re-run on current data (the application thresholds: at or above the
 * approve score is low risk, below the decline score high, between them medium); the
 * class sets when the next review falls (`credit.reviewIntervalDays`, policy data). The
 * recommended action reads the same scorecard:
 *
 * - hold: the scorecard would decline the account today;
 * - lower: it is in the review band and recommends a limit under the current one (that limit);
 * - raise: it would approve, and the account uses at least `credit.reviewRaiseUtilizationPercent`
 *   of its limit (the limit grown by `credit.reviewRaisePercent`, rounded down to a whole 1,000);
 * - keep: anything else.
 */
import type { CreditPolicy, Reason, ScoreResult } from "./scorecard";

export const RISK_CLASSES = ["high", "medium", "low"] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];
export const REVIEW_ACTIONS = ["keep", "raise", "lower", "hold"] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

export type ReviewPolicy = {
  intervalDays: Record<RiskClass, number>;
  raiseUtilizationPercent: number;
  raisePercent: number;
};

export const REVIEW_POLICY_DEFAULTS: ReviewPolicy = { intervalDays: { high: 90, medium: 180, low: 365 }, raiseUtilizationPercent: 80, raisePercent: 25 };

export function isRiskClass(value: unknown): value is RiskClass {
  return typeof value === "string" && (RISK_CLASSES as readonly string[]).includes(value);
}

export function riskClassOf(score: number, policy: Pick<CreditPolicy, "autoApproveMinScore" | "declineBelowScore">): RiskClass {
  return score >= policy.autoApproveMinScore ? "low" : score < policy.declineBelowScore ? "high" : "medium";
}

const THOUSAND_MINOR = 1_000_00;

export type ReviewRecommendation = { action: ReviewAction; proposedLimitMinor: number; reason: Reason };

export function recommendReview(
  result: Pick<ScoreResult, "recommendation" | "recommendedLimitMinor" | "score">,
  account: { limitMinor: number; exposureMinor: number },
  policy: Pick<ReviewPolicy, "raiseUtilizationPercent" | "raisePercent">,
): ReviewRecommendation {
  const { limitMinor, exposureMinor } = account;
  const utilization = limitMinor > 0 ? Math.floor((exposureMinor * 100) / limitMinor) : 0;
  if (result.recommendation === "decline")
    return { action: "hold", proposedLimitMinor: limitMinor, reason: { key: "watch:review.because.hold", values: { score: result.score } } };
  if (result.recommendation === "review" && result.recommendedLimitMinor < limitMinor)
    return {
      action: "lower",
      proposedLimitMinor: result.recommendedLimitMinor,
      reason: { key: "watch:review.because.lower", values: { score: result.score } },
    };
  if (result.recommendation === "approve" && limitMinor > 0 && utilization >= policy.raiseUtilizationPercent) {
    const raised = Math.floor((limitMinor * (100 + policy.raisePercent)) / 100 / THOUSAND_MINOR) * THOUSAND_MINOR;
    if (raised > limitMinor)
      return { action: "raise", proposedLimitMinor: raised, reason: { key: "watch:review.because.raise", values: { score: result.score, utilization } } };
  }
  return { action: "keep", proposedLimitMinor: limitMinor, reason: { key: "watch:review.because.keep", values: { score: result.score, utilization } } };
}

/** The next review date: `from` (a calendar day) plus the class's interval. */
export function nextReviewOn(from: Date, riskClass: RiskClass, policy: Pick<ReviewPolicy, "intervalDays">): Date {
  const day = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  return new Date(day + policy.intervalDays[riskClass] * 86_400_000);
}
