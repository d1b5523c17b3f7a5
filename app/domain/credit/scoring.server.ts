/**
 * Scoring an application through the scorecard (scorecard.ts) with the day's policy
 * rows, FX table and, for an existing account, its payment history. Kept apart from the
 * rest of the application flow so the demo seed scores its applications the same way.
 */
import { db } from "../../utils/db.server";
import { accountSummary } from "../accounts/account-summary.server";
import { convertWithRate, latestRate } from "../fx/fx-rates.server";
import { scoreApplication, type CreditPolicy, type StoredScore } from "./scorecard";

export type ScoringInput = {
  yearsInBusiness: number;
  annualRevenueMinor: number;
  requestedLimitMinor: number;
  requestedTermsDays: number;
  currency: string;
  references: unknown[];
  bankName: string;
};

export async function loadCreditPolicy(): Promise<CreditPolicy> {
  const rows = await db().policySetting.findMany({ where: { key: { startsWith: "credit." } } });
  const get = (key: string) => {
    const row = rows.find((r) => r.key === `credit.${key}`);
    if (!row) throw new Error(`Missing policy setting credit.${key}`);
    return row.value;
  };
  return {
    policyCurrency: String(get("policyCurrency")),
    autoApproveCeilingMinor: Number(get("autoApproveCeilingMinor")),
    autoApproveMinScore: Number(get("autoApproveMinScore")),
    declineBelowScore: Number(get("declineBelowScore")),
    reviewSlaHours: Number(get("reviewSlaHours")),
  };
}

async function toPolicyCurrency(amountMinor: number, currency: string, policyCurrency: string) {
  if (currency === policyCurrency) return { amountMinor, rate: null, effectiveOn: null };
  const rate = await latestRate(currency, policyCurrency, new Date());
  if (!rate) throw new Error(`No FX rate from ${currency} to ${policyCurrency}`);
  return { amountMinor: convertWithRate(amountMinor, rate), rate: rate.rate, effectiveOn: rate.effectiveOn };
}

async function historyOf(accountId: string | null) {
  if (!accountId) return undefined;
  const summary = await accountSummary(accountId);
  if (!summary) return undefined;
  const a = summary.aging;
  const oldestPastDueDays =
    a.over90.amountMinor > 0 ? 91 : a.days61to90.amountMinor > 0 ? 61 : a.days31to60.amountMinor > 0 ? 31 : a.days1to30.amountMinor > 0 ? 1 : 0;
  return { openBalanceMinor: summary.openBalance.amountMinor, pastDueMinor: summary.pastDue.amountMinor, oldestPastDueDays };
}

/** Scores an application and keeps, with the result, the thresholds and the FX conversion it was judged by. */
export async function scoreFor(input: ScoringInput, accountId: string | null): Promise<StoredScore> {
  const policy = await loadCreditPolicy();
  const inPolicy = await toPolicyCurrency(input.requestedLimitMinor, input.currency, policy.policyCurrency);
  const result = scoreApplication(
    {
      yearsInBusiness: input.yearsInBusiness,
      annualRevenueMinor: input.annualRevenueMinor,
      requestedLimitMinor: input.requestedLimitMinor,
      requestedTermsDays: input.requestedTermsDays,
      requestedLimitInPolicyMinor: inPolicy.amountMinor,
      tradeReferences: input.references.length,
      hasBankReference: Boolean(input.bankName),
      history: await historyOf(accountId),
    },
    policy,
  );
  return {
    ...result,
    policyCheck: {
      minScore: policy.autoApproveMinScore,
      ceiling: { amountMinor: policy.autoApproveCeilingMinor, currency: policy.policyCurrency },
      requested: { amountMinor: input.requestedLimitMinor, currency: input.currency },
      requestedInPolicy: { amountMinor: inPolicy.amountMinor, currency: policy.policyCurrency },
      rate: inPolicy.rate,
      effectiveOn: inPolicy.effectiveOn,
    },
  };
}
