import { describe, expect, it } from "vitest";
import { isValidTaxId, validateStep } from "../../app/domain/credit/application-schema";
import { scoreApplication, WEIGHTS, type CreditPolicy, type ScorecardInput } from "../../app/domain/credit/scorecard";

// The seeded policy values (prisma/seed.ts POLICY).
const POLICY: CreditPolicy = { policyCurrency: "USD", autoApproveCeilingMinor: 1_000_000, autoApproveMinScore: 75, declineBelowScore: 35, reviewSlaHours: 48 };

const strong: ScorecardInput = {
  yearsInBusiness: 12,
  annualRevenueMinor: 500_000_00,
  requestedLimitMinor: 10_000_00,
  requestedTermsDays: 30,
  requestedLimitInPolicyMinor: 10_000_00,
  tradeReferences: 2,
  hasBankReference: true,
  history: { openBalanceMinor: 5_000_00, pastDueMinor: 0, oldestPastDueDays: 0 },
};

const points = (input: ScorecardInput, id: string) => scoreApplication(input, POLICY).factors.find((f) => f.id === id)!.points;

describe("scorecard weights", () => {
  it("adds up to 100 and a perfect applicant scores 100", () => {
    expect(Object.values(WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
    expect(scoreApplication(strong, POLICY).score).toBe(100);
  });

  it.each([
    [1, 0],
    [2, 10],
    [4, 10],
    [5, 18],
    [9, 18],
    [10, 25],
  ])("years in business %i → %i points", (years, expected) => {
    expect(points({ ...strong, yearsInBusiness: years }, "yearsInBusiness")).toBe(expected);
  });

  it.each([
    [20 * 10_000_00, 25],
    [20 * 10_000_00 - 1, 18],
    [10 * 10_000_00, 18],
    [10 * 10_000_00 - 1, 10],
    [5 * 10_000_00, 10],
    [5 * 10_000_00 - 1, 0],
  ])("revenue %i against a 10,000.00 request → %i points", (revenue, expected) => {
    expect(points({ ...strong, annualRevenueMinor: revenue }, "revenueToLimit")).toBe(expected);
  });

  it("references: two trade and a bank = 15, two trade = 10, one = 5", () => {
    expect(points(strong, "references")).toBe(15);
    expect(points({ ...strong, hasBankReference: false }, "references")).toBe(10);
    expect(points({ ...strong, tradeReferences: 1 }, "references")).toBe(5);
  });

  it("payment history by the oldest past-due bucket; a new company is neutral", () => {
    const h = (pastDueMinor: number, oldestPastDueDays: number) => ({ ...strong, history: { openBalanceMinor: 1, pastDueMinor, oldestPastDueDays } });
    expect(points(h(0, 0), "paymentHistory")).toBe(20);
    expect(points(h(100, 30), "paymentHistory")).toBe(12);
    expect(points(h(100, 31), "paymentHistory")).toBe(5);
    expect(points(h(100, 61), "paymentHistory")).toBe(0);
    expect(points({ ...strong, history: undefined }, "paymentHistory")).toBe(10);
  });

  it("past-due balance against the requested limit at 5% and 20%", () => {
    const p = (pastDueMinor: number) => points({ ...strong, history: { openBalanceMinor: 1, pastDueMinor, oldestPastDueDays: 10 } }, "pastDueBalance");
    expect(p(0)).toBe(15);
    expect(p(49_999)).toBe(10); // just under 5% of 10,000.00
    expect(p(50_000)).toBe(5);
    expect(p(199_999)).toBe(5);
    expect(p(200_000)).toBe(0);
  });
});

describe("decision thresholds from policy", () => {
  it("auto-approves at the ceiling, not one cent above", () => {
    expect(scoreApplication(strong, POLICY).autoApprove).toBe(true);
    const above = scoreApplication({ ...strong, requestedLimitInPolicyMinor: 1_000_001 }, POLICY);
    expect(above.autoApprove).toBe(false);
    expect(above.recommendation).toBe("approve");
    expect(above.reasons.map((r) => r.key)).toContain("credit:reasons.aboveCeiling");
  });

  it("approves at the minimum score and reviews one point below", () => {
    // 25 + 25 + 15 + 0 (60+ days late) + 10 = 75
    const at = { ...strong, history: { openBalanceMinor: 1, pastDueMinor: 10_000, oldestPastDueDays: 61 } };
    expect(scoreApplication(at, POLICY).score).toBe(75);
    expect(scoreApplication(at, POLICY).recommendation).toBe("approve");
    expect(scoreApplication(at, { ...POLICY, autoApproveMinScore: 76 }).recommendation).toBe("review");
  });

  it("declines below the decline score and recommends nothing", () => {
    const weak: ScorecardInput = {
      ...strong,
      yearsInBusiness: 1,
      annualRevenueMinor: 10_000_00,
      tradeReferences: 1,
      hasBankReference: false,
      history: undefined,
    };
    const r = scoreApplication(weak, POLICY);
    expect(r.score).toBe(0 + 0 + 5 + 10 + 10);
    expect(r.recommendation).toBe("decline");
    expect(r.recommendedLimitMinor).toBe(0);
    expect(r.recommendedTermsDays).toBe(0);
    expect(r.autoApprove).toBe(false);
  });

  it("in the review band caps the limit at 5% of revenue in whole thousands and terms at Net 30", () => {
    const mid: ScorecardInput = {
      ...strong,
      yearsInBusiness: 3,
      annualRevenueMinor: 123_456_00,
      requestedLimitMinor: 20_000_00,
      requestedTermsDays: 60,
      history: undefined,
    };
    const r = scoreApplication(mid, POLICY);
    expect(r.recommendation).toBe("review");
    expect(r.recommendedLimitMinor).toBe(6_000_00); // 5% of 123,456.00 = 6,172.80 → 6,000
    expect(r.recommendedTermsDays).toBe(30);
    expect(r.reasons.map((x) => x.key)).toEqual(expect.arrayContaining(["credit:reasons.limitReduced", "credit:reasons.termsShortened"]));
  });
});

describe("tax ids per country", () => {
  it.each([
    ["US", "84-2917365", true],
    ["US", "842917365", false],
    ["US", "84-291736", false],
    ["MX", "DNO980312KT4", true],
    ["MX", "GODE561231GR8", true],
    ["MX", "DNO981312KT4", false],
    ["MX", "DN980312KT4", false],
    // CIF: the last character is a check digit (B86543217 was a typo the old shape check let through).
    ["ES", "B86543212", true],
    ["ES", "B86543217", false],
    ["ES", "B12345678", false],
    ["ES", "B12345674", true],
    ["ES", "Q2826000H", true],
    ["ES", "P1234567D", true],
    ["ES", "P12345674", false],
    ["ES", "12345678Z", true],
    ["ES", "12345678A", false],
    ["ES", "X1234567L", true],
    ["ES", "I1234567A", false],
  ])("%s %s → %s", (country, id, ok) => {
    expect(isValidTaxId(country, id)).toBe(ok);
  });

  it("a bad tax id and an empty field become translated field errors", () => {
    const errors = validateStep(
      "company",
      {
        companyName: "Acme",
        country: "MX",
        currency: "MXN",
        taxId: "123",
        addressLine1: "",
        city: "x",
        region: "x",
        postalCode: "1",
        yearsInBusiness: "3",
        annualRevenue: "1,000.00",
      },
      { newCompany: false, locale: "es-MX" },
    );
    expect(errors).toEqual({ taxId: "credit:errors.taxIdInvalid.MX", addressLine1: "credit:errors.required" });
  });
});
