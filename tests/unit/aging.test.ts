import { describe, expect, it } from "vitest";
import { agingBucketFor, agingBuckets, agingWithDisputes, daysPastDue } from "../../app/domain/accounts/aging";

const asOf = new Date("2026-11-23T15:00:00Z");
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("aging buckets", () => {
  it("counts whole calendar days past the due date", () => {
    expect(daysPastDue(day("2026-11-23"), asOf)).toBe(0);
    expect(daysPastDue(day("2026-11-24"), asOf)).toBe(0);
    expect(daysPastDue(day("2026-11-22"), asOf)).toBe(1);
    expect(daysPastDue(day("2026-08-25"), asOf)).toBe(90);
  });

  it.each([
    [0, "current"],
    [1, "days1to30"],
    [30, "days1to30"],
    [31, "days31to60"],
    [60, "days31to60"],
    [61, "days61to90"],
    [90, "days61to90"],
    [91, "over90"],
  ] as const)("%i days past due is %s", (days, bucket) => {
    expect(agingBucketFor(days)).toBe(bucket);
  });

  it("sums open balances into buckets and ignores settled invoices", () => {
    const totals = agingBuckets(
      [
        { dueOn: day("2026-12-01"), balanceMinor: 100 },
        { dueOn: day("2026-11-22"), balanceMinor: 200 },
        { dueOn: day("2026-10-01"), balanceMinor: 300 },
        { dueOn: day("2026-09-01"), balanceMinor: 400 },
        { dueOn: day("2026-01-01"), balanceMinor: 500 },
        { dueOn: day("2026-01-01"), balanceMinor: 0 },
      ],
      asOf,
    );
    expect(totals).toEqual({ current: 100, days1to30: 200, days31to60: 300, days61to90: 400, over90: 500 });
  });

  it("keeps money under open dispute out of the buckets and reports it apart, never more than is owed", () => {
    const { buckets, inDispute } = agingWithDisputes(
      [
        { dueOn: day("2026-10-01"), balanceMinor: 300, disputedMinor: 120 },
        { dueOn: day("2026-09-01"), balanceMinor: 400, disputedMinor: 900 },
        { dueOn: day("2026-12-01"), balanceMinor: 100, disputedMinor: 0 },
        { dueOn: day("2026-01-01"), balanceMinor: 0, disputedMinor: 50 },
      ],
      asOf,
    );
    expect(buckets).toEqual({ current: 100, days1to30: 0, days31to60: 180, days61to90: 0, over90: 0 });
    expect(inDispute).toBe(520);
  });
});
