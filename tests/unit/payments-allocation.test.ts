import { describe, expect, it } from "vitest";
import { allocateLumpSum, allocatePayment, invoiceStatusFor } from "../../app/domain/payments/allocation";

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const invoices = [
  { id: "b", dueOn: d("2026-02-01"), balanceMinor: 500 },
  { id: "a", dueOn: d("2026-01-01"), balanceMinor: 300 },
  { id: "c", dueOn: d("2026-03-01"), balanceMinor: 1000 },
];

describe("allocatePayment", () => {
  it("pays each chosen invoice what was asked, oldest due first", () => {
    expect(
      allocatePayment(
        800,
        [
          { invoiceId: "b", amountMinor: 500 },
          { invoiceId: "a", amountMinor: 300 },
        ],
        invoices,
      ),
    ).toEqual({
      allocations: [
        { invoiceId: "a", amountMinor: 300 },
        { invoiceId: "b", amountMinor: 500 },
      ],
      unappliedMinor: 0,
    });
  });

  it("never applies more than an invoice's current balance; the rest stays unapplied", () => {
    const paidMeanwhile = invoices.map((i) => (i.id === "a" ? { ...i, balanceMinor: 100 } : i));
    expect(
      allocatePayment(
        800,
        [
          { invoiceId: "a", amountMinor: 300 },
          { invoiceId: "b", amountMinor: 500 },
        ],
        paidMeanwhile,
      ),
    ).toEqual({
      allocations: [
        { invoiceId: "a", amountMinor: 100 },
        { invoiceId: "b", amountMinor: 500 },
      ],
      unappliedMinor: 200,
    });
  });

  it("ignores invoices that were not chosen or are unknown", () => {
    expect(allocatePayment(100, [{ invoiceId: "zzz", amountMinor: 100 }], invoices)).toEqual({ allocations: [], unappliedMinor: 100 });
  });
});

describe("allocateLumpSum", () => {
  it("serves the oldest invoice first", () => {
    expect(allocateLumpSum(600, invoices)).toEqual({
      allocations: [
        { invoiceId: "a", amountMinor: 300 },
        { invoiceId: "b", amountMinor: 300 },
      ],
      unappliedMinor: 0,
    });
  });
  it("leaves any excess unapplied", () => {
    expect(allocateLumpSum(2000, invoices).unappliedMinor).toBe(200);
  });
});

describe("invoiceStatusFor", () => {
  it.each([
    [1000, 1000, "OPEN"],
    [1000, 1, "PARTIALLY_PAID"],
    [1000, 0, "PAID"],
  ] as const)("total %i, balance %i → %s", (total, balance, status) => {
    expect(invoiceStatusFor(total, balance)).toBe(status);
  });
});
