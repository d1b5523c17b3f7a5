/** The watch-signal rules and the periodic review's recommendation, on small hand-made facts. */
import { describe, expect, it } from "vitest";
import { signalsFor, type AccountFacts } from "../../app/domain/watch/signals";
import { WATCH_POLICY_DEFAULTS } from "../../app/domain/watch/watch-policy.server";
import { nextReviewOn, recommendReview, REVIEW_POLICY_DEFAULTS, riskClassOf } from "../../app/domain/credit/periodic-review";

const usd = (amountMinor: number) => ({ amountMinor, currency: "USD" });
const now = new Date("2026-12-01T12:00:00Z");
const base: AccountFacts = {
  limit: usd(100_000_00),
  exposure: usd(50_000_00),
  available: usd(50_000_00),
  paidInvoices: [],
  pendingOrders: [],
  brokenPromises: [],
  bouncedEmails: [],
  changeReports: [],
};
const policy = { ...WATCH_POLICY_DEFAULTS };

describe("watch signals", () => {
  it("fire nothing on a quiet account", () => {
    expect(signalsFor(base, policy, now)).toEqual([]);
  });

  it("fire on utilization at the threshold, one band per ten points, with the figures", () => {
    const [at90] = signalsFor({ ...base, exposure: usd(90_000_00), available: usd(10_000_00) }, policy, now);
    expect(at90.key).toBe("utilization:90");
    expect(at90.why.values.percent).toBe(90);
    const [at104] = signalsFor({ ...base, exposure: usd(104_000_00), available: usd(-4_000_00) }, policy, now);
    expect(at104.key).toBe("utilization:100");
  });

  it("fire when the newer half of paid invoices pays a week slower than the older half", () => {
    const paid = (days: number, i: number) => ({
      id: `i${i}`,
      issuedOn: "2026-01-01T00:00:00Z",
      paidAt: new Date(Date.parse("2026-01-01T00:00:00Z") + days * 86_400_000).toISOString(),
    });
    const slower = [40, 38, 36, 30, 30, 30].map(paid);
    const [signal] = signalsFor({ ...base, paidInvoices: slower }, policy, now);
    expect(signal.kind).toBe("days_to_pay");
    expect(signal.why.values).toMatchObject({ recent: 38, earlier: 30, count: 3 });
    expect(signalsFor({ ...base, paidInvoices: [34, 33, 32, 30, 30, 30].map(paid) }, policy, now)).toEqual([]);
  });

  it("fire on a large pending order only when headroom is little", () => {
    const order = { id: "o1", number: "SO-1", amount: usd(20_000_00), placedAt: "2026-11-30T00:00:00Z" };
    expect(signalsFor({ ...base, pendingOrders: [order] }, policy, now)).toEqual([]);
    const tight = signalsFor({ ...base, exposure: usd(85_000_00), available: usd(5_000_00), pendingOrders: [order] }, policy, now);
    expect(tight.map((s) => s.key)).toEqual(["large_order:o1"]);
  });

  it("fire on recent broken promises and bounced mail only, and on every unreviewed reported change", () => {
    const facts: AccountFacts = {
      ...base,
      brokenPromises: [
        { id: "p-old", amount: usd(1), promisedFor: "2026-09-01T00:00:00Z", resolvedAt: "2026-09-05T00:00:00Z" },
        { id: "p-new", amount: usd(1), promisedFor: "2026-11-20T00:00:00Z", resolvedAt: "2026-11-24T00:00:00Z" },
      ],
      bouncedEmails: [{ id: "e1", to: "ap@x.example", createdAt: "2026-11-29T00:00:00Z" }],
      changeReports: [{ id: "r1", kind: "tax_id", details: "New RFC", effectiveOn: null, createdAt: "2025-01-01T00:00:00Z" }],
    };
    expect(signalsFor(facts, policy, now).map((s) => s.key)).toEqual(["reported_change:r1", "broken_promise:p-new", "bounced_contact:e1"]);
  });
});

describe("periodic review recommendation", () => {
  const account = { limitMinor: 100_000_00, exposureMinor: 50_000_00 };
  it("holds what the scorecard would decline, lowers in the review band, raises a busy approved account, else keeps", () => {
    expect(recommendReview({ recommendation: "decline", recommendedLimitMinor: 0, score: 20 }, account, REVIEW_POLICY_DEFAULTS).action).toBe("hold");
    expect(recommendReview({ recommendation: "review", recommendedLimitMinor: 60_000_00, score: 50 }, account, REVIEW_POLICY_DEFAULTS)).toMatchObject({
      action: "lower",
      proposedLimitMinor: 60_000_00,
    });
    expect(
      recommendReview(
        { recommendation: "approve", recommendedLimitMinor: 100_000_00, score: 90 },
        { ...account, exposureMinor: 85_000_00 },
        REVIEW_POLICY_DEFAULTS,
      ),
    ).toMatchObject({
      action: "raise",
      proposedLimitMinor: 125_000_00,
    });
    expect(recommendReview({ recommendation: "approve", recommendedLimitMinor: 100_000_00, score: 90 }, account, REVIEW_POLICY_DEFAULTS).action).toBe("keep");
  });

  it("sets the risk class from the score and the next date by the class", () => {
    const thresholds = { autoApproveMinScore: 75, declineBelowScore: 35 };
    expect([riskClassOf(80, thresholds), riskClassOf(50, thresholds), riskClassOf(20, thresholds)]).toEqual(["low", "medium", "high"]);
    expect(nextReviewOn(new Date("2026-12-01T15:00:00Z"), "high", REVIEW_POLICY_DEFAULTS).toISOString()).toBe("2027-03-01T00:00:00.000Z");
  });
});
