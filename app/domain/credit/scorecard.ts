/**
 * The credit scorecard — the one place that answers "why this score?".
 *
 * Five factors, 100 points in all:
 *
 * | factor            | weight | full points when …                                        |
 * |-------------------|-------:|-----------------------------------------------------------|
 * | yearsInBusiness   |     25 | 10+ years (5+ → 18, 2+ → 10, less → 0)                    |
 * | revenueToLimit    |     25 | annual revenue ≥ 20× the requested limit (10× → 18, 5× → 10) |
 * | references        |     15 | two trade references with contacts and a bank reference (two without bank → 10) |
 * | paymentHistory    |     20 | existing account with nothing past due (1–30 days only → 12, 31–60 → 5, older → 0); a new company scores a neutral 10 |
 * | pastDueBalance    |     15 | no past-due balance (under 5% of the requested limit → 10, under 20% → 5); new company → 10 |
 *
 * Decision thresholds come from PolicySetting rows (data, not code):
 * `credit.autoApproveMinScore`, `credit.declineBelowScore`, `credit.autoApproveCeilingMinor`
 * (in `credit.policyCurrency`). The recommended limit is the requested limit capped by a
 * share of annual revenue (10% at or above the approve score, 5% in the review band,
 * nothing below the decline score), rounded down to a whole 1,000; the recommended terms
 * are the requested terms at or above the approve score, at most Net 30 in the review band,
 * and none (cash in advance) below the decline score.
 *
 * Reasons are translation keys with values, so the applicant and the rep read them in
 * their own language.
 */

export type CreditPolicy = {
  policyCurrency: string;
  autoApproveCeilingMinor: number;
  autoApproveMinScore: number;
  declineBelowScore: number;
  reviewSlaHours: number;
};

export type ScorecardInput = {
  yearsInBusiness: number;
  annualRevenueMinor: number;
  requestedLimitMinor: number;
  requestedTermsDays: number;
  /** Requested limit in the policy currency (for the auto-approve ceiling). */
  requestedLimitInPolicyMinor: number;
  tradeReferences: number;
  hasBankReference: boolean;
  /** Present only when the applicant already has an account with us. */
  history?: { openBalanceMinor: number; pastDueMinor: number; oldestPastDueDays: number };
};

export type Reason = { key: string; values?: Record<string, string | number> };
export type FactorId = "yearsInBusiness" | "revenueToLimit" | "references" | "paymentHistory" | "pastDueBalance";
export type Factor = { id: FactorId; weight: number; points: number; reason: Reason };
export type Recommendation = "approve" | "review" | "decline";

export type ScoreResult = {
  score: number;
  factors: Factor[];
  recommendation: Recommendation;
  recommendedLimitMinor: number;
  recommendedTermsDays: number;
  autoApprove: boolean;
  reasons: Reason[];
};

export const WEIGHTS: Record<FactorId, number> = {
  yearsInBusiness: 25,
  revenueToLimit: 25,
  references: 15,
  paymentHistory: 20,
  pastDueBalance: 15,
};

function yearsFactor(years: number): Factor {
  const points = years >= 10 ? 25 : years >= 5 ? 18 : years >= 2 ? 10 : 0;
  const key = points >= 18 ? "credit:reasons.yearsStrong" : points > 0 ? "credit:reasons.yearsModerate" : "credit:reasons.yearsShort";
  return { id: "yearsInBusiness", weight: WEIGHTS.yearsInBusiness, points, reason: { key, values: { years } } };
}

function revenueFactor(revenueMinor: number, requestedMinor: number): Factor {
  // Integer comparison: revenue ≥ k × requested, no floats.
  const at = (k: number) => revenueMinor >= k * requestedMinor;
  const points = requestedMinor <= 0 ? 25 : at(20) ? 25 : at(10) ? 18 : at(5) ? 10 : 0;
  const ratio = requestedMinor > 0 ? Math.floor(revenueMinor / requestedMinor) : 0;
  const key = points >= 18 ? "credit:reasons.revenueStrong" : points > 0 ? "credit:reasons.revenueModerate" : "credit:reasons.revenueWeak";
  return { id: "revenueToLimit", weight: WEIGHTS.revenueToLimit, points, reason: { key, values: { ratio } } };
}

function referencesFactor(trade: number, bank: boolean): Factor {
  const points = trade >= 2 && bank ? 15 : trade >= 2 ? 10 : trade === 1 ? 5 : 0;
  const key = points === 15 ? "credit:reasons.referencesComplete" : "credit:reasons.referencesIncomplete";
  return { id: "references", weight: WEIGHTS.references, points, reason: { key, values: { count: trade } } };
}

function historyFactor(history: ScorecardInput["history"]): Factor {
  if (!history) return { id: "paymentHistory", weight: WEIGHTS.paymentHistory, points: 10, reason: { key: "credit:reasons.historyNone" } };
  const d = history.pastDueMinor > 0 ? history.oldestPastDueDays : 0;
  const points = d === 0 ? 20 : d <= 30 ? 12 : d <= 60 ? 5 : 0;
  const key = points === 20 ? "credit:reasons.historyClean" : points > 0 ? "credit:reasons.historyLate" : "credit:reasons.historySeverelyLate";
  return { id: "paymentHistory", weight: WEIGHTS.paymentHistory, points, reason: { key, values: { days: d } } };
}

function pastDueFactor(history: ScorecardInput["history"], requestedMinor: number): Factor {
  if (!history) return { id: "pastDueBalance", weight: WEIGHTS.pastDueBalance, points: 10, reason: { key: "credit:reasons.pastDueNoAccount" } };
  const p = history.pastDueMinor;
  // p < 5% of requested ⇔ 100p < 5·requested (integers only).
  const points = p <= 0 ? 15 : 100 * p < 5 * requestedMinor ? 10 : 100 * p < 20 * requestedMinor ? 5 : 0;
  const key = points === 15 ? "credit:reasons.pastDueNone" : points > 0 ? "credit:reasons.pastDueSmall" : "credit:reasons.pastDueLarge";
  return { id: "pastDueBalance", weight: WEIGHTS.pastDueBalance, points, reason: { key } };
}

const THOUSAND_MINOR = 1_000_00;

export function scoreApplication(input: ScorecardInput, policy: CreditPolicy): ScoreResult {
  const factors = [
    yearsFactor(input.yearsInBusiness),
    revenueFactor(input.annualRevenueMinor, input.requestedLimitMinor),
    referencesFactor(input.tradeReferences, input.hasBankReference),
    historyFactor(input.history),
    pastDueFactor(input.history, input.requestedLimitMinor),
  ];
  const score = factors.reduce((sum, f) => sum + f.points, 0);
  const recommendation: Recommendation = score >= policy.autoApproveMinScore ? "approve" : score < policy.declineBelowScore ? "decline" : "review";

  const revenueShare =
    recommendation === "approve" ? Math.floor(input.annualRevenueMinor / 10) : recommendation === "review" ? Math.floor(input.annualRevenueMinor / 20) : 0;
  const capped = Math.min(input.requestedLimitMinor, revenueShare);
  const recommendedLimitMinor = Math.floor(capped / THOUSAND_MINOR) * THOUSAND_MINOR;
  const recommendedTermsDays =
    recommendation === "approve" ? input.requestedTermsDays : recommendation === "review" ? Math.min(input.requestedTermsDays, 30) : 0;

  const autoApprove =
    recommendation === "approve" &&
    input.requestedLimitInPolicyMinor <= policy.autoApproveCeilingMinor &&
    recommendedLimitMinor >= input.requestedLimitMinor &&
    recommendedTermsDays === input.requestedTermsDays;

  const reasons: Reason[] = factors.map((f) => f.reason);
  if (recommendedLimitMinor < input.requestedLimitMinor && recommendation !== "decline") reasons.push({ key: "credit:reasons.limitReduced" });
  if (recommendedTermsDays < input.requestedTermsDays && recommendation !== "decline") reasons.push({ key: "credit:reasons.termsShortened" });
  if (recommendation === "approve" && input.requestedLimitInPolicyMinor > policy.autoApproveCeilingMinor) reasons.push({ key: "credit:reasons.aboveCeiling" });

  return { score, factors, recommendation, recommendedLimitMinor, recommendedTermsDays, autoApprove, reasons };
}

/**
 * What the automatic decision was measured against, kept with the score so the rep sees
 * the same figures the applicant was judged by: the thresholds of the day and the
 * requested limit in the policy currency, with the dated rate used to convert it.
 */
export type PolicyCheck = {
  minScore: number;
  ceiling: { amountMinor: number; currency: string };
  requested: { amountMinor: number; currency: string };
  requestedInPolicy: { amountMinor: number; currency: string };
  rate: string | null;
  effectiveOn: string | null;
};

export type StoredScore = ScoreResult & { policyCheck?: PolicyCheck };

export type AutoApprovalBlocker =
  | { kind: "score"; score: number; minScore: number }
  | { kind: "ceiling"; check: PolicyCheck }
  | { kind: "limitReduced"; recommendedLimitMinor: number }
  | { kind: "termsShortened"; recommendedTermsDays: number };

/**
 * Why the scorecard did not approve an application at once — the same tests as
 * `autoApprove` above, one entry per test that failed. Empty when it qualified (a rep
 * still reviews it if, say, it would lower an existing limit; the events say so).
 */
export function autoApprovalBlockers(result: StoredScore, requestedLimitMinor: number, requestedTermsDays: number): AutoApprovalBlocker[] {
  if (result.autoApprove) return [];
  const blockers: AutoApprovalBlocker[] = [];
  const check = result.policyCheck;
  if (result.recommendation !== "approve" && check) blockers.push({ kind: "score", score: result.score, minScore: check.minScore });
  if (check && check.requestedInPolicy.amountMinor > check.ceiling.amountMinor) blockers.push({ kind: "ceiling", check });
  if (result.recommendation !== "decline" && result.recommendedLimitMinor < requestedLimitMinor)
    blockers.push({ kind: "limitReduced", recommendedLimitMinor: result.recommendedLimitMinor });
  if (result.recommendation !== "decline" && result.recommendedTermsDays < requestedTermsDays)
    blockers.push({ kind: "termsShortened", recommendedTermsDays: result.recommendedTermsDays });
  return blockers;
}
