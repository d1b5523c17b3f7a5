/** The worklist's ranking rule (app/domain/collections/priority.ts), on its own. */
import { describe, expect, it } from "vitest";
import { priorityOf, rankAccounts, type PriorityFacts } from "../../app/domain/collections/priority";

const today = "2026-12-01";
const policy = { noContactDays: 14 };
const base: PriorityFacts = {
  pastDuePolicyMinor: 1_000_000,
  dollarDaysPolicyMinor: 1_000_000 * 45,
  oldestDaysPastDue: 45,
  brokenPromises: 0,
  openPromiseFor: null,
  onCreditHold: false,
  heldOrders: 0,
  daysSinceContact: 3,
  followUpOn: null,
};
const row = (accountId: string, facts: Partial<PriorityFacts>) => ({ accountId, facts: { ...base, ...facts } });

describe("collections priority", () => {
  it("weighs money by how late it is: more money or older money ranks higher", () => {
    const small = priorityOf({ ...base, dollarDaysPolicyMinor: 500_000 * 45 }, policy, today);
    const big = priorityOf(base, policy, today);
    const old = priorityOf({ ...base, dollarDaysPolicyMinor: 1_000_000 * 120 }, policy, today);
    expect(big.score).toBeGreaterThan(small.score);
    expect(old.score).toBeGreaterThan(big.score);
  });

  it("puts a broken promise above a larger balance, and says so", () => {
    const ranked = rankAccounts([row("large", { dollarDaysPolicyMinor: 5_000_000 * 60 }), row("broken", { brokenPromises: 1 })], policy, today);
    expect(ranked[0].accountId).toBe("broken");
    expect(ranked[0].priority.reasons[0]).toEqual({ code: "brokenPromise", count: 1 });
    expect(ranked[0].priority.nextAction).toEqual({ code: "callBrokenPromise" });
  });

  it("raises silence, a due follow-up and a credit hold; lowers a promise still running", () => {
    const plain = priorityOf(base, policy, today).score;
    expect(priorityOf({ ...base, daysSinceContact: 20 }, policy, today).score).toBeGreaterThan(plain);
    expect(priorityOf({ ...base, daysSinceContact: null }, policy, today).reasons).toContainEqual({ code: "neverContacted" });
    expect(priorityOf({ ...base, followUpOn: "2026-11-30" }, policy, today).score).toBeGreaterThan(plain);
    expect(priorityOf({ ...base, followUpOn: "2026-12-05" }, policy, today).score).toBe(plain);
    expect(priorityOf({ ...base, onCreditHold: true, heldOrders: 2 }, policy, today).reasons).toContainEqual({ code: "creditHold", orders: 2 });
    const promised = priorityOf({ ...base, openPromiseFor: "2026-12-10" }, policy, today);
    expect(promised.score).toBeLessThan(plain);
    expect(promised.nextAction).toEqual({ code: "awaitPromise", date: "2026-12-10" });
  });

  it("the next action follows the facts: a set follow-up date, else a call", () => {
    expect(priorityOf({ ...base, followUpOn: "2026-12-05" }, policy, today).nextAction).toEqual({ code: "followUp", date: "2026-12-05" });
    expect(priorityOf(base, policy, today).nextAction).toEqual({ code: "call" });
  });

  it("breaks ties by past-due amount, then by account id, so pages are stable", () => {
    const ranked = rankAccounts([row("b", {}), row("a", {}), row("c", { pastDuePolicyMinor: 2_000_000 })], policy, today);
    expect(ranked.map((r) => r.accountId)).toEqual(["c", "a", "b"]);
  });
});
