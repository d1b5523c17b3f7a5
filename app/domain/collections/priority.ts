/**
 * Which past-due account a collector calls first, and why. Pure, so the ranking rule
 * lives in one place and is tested on its own; the worklist query only gathers facts.
 *
 * The base is money at risk weighted by how late it is ("dollar-days": every unit of
 * the policy currency past due, times the days it is past due), because a large old
 * balance is both likelier to be lost and costlier to lose. Then what a collector knows
 * moves it: a broken promise comes first (the customer went back on their word), a
 * follow-up that has come due is owed a call, nobody having spoken to them lately
 * raises it, and orders waiting on a credit hold give the call leverage. A promise
 * still running lowers it: chasing a customer who promised and is on time helps no one.
 */
export type PriorityFacts = {
  /** Undisputed past-due balance in the policy currency (minor units). */
  pastDuePolicyMinor: number;
  /** Σ past-due balance × its days past due, in the policy currency (minor units × days). */
  dollarDaysPolicyMinor: number;
  oldestDaysPastDue: number;
  /** Promises broken within the look-back window. */
  brokenPromises: number;
  /** A promise still open (not yet due plus grace). */
  openPromiseFor: string | null;
  onCreditHold: boolean;
  heldOrders: number;
  /** Days since the last collection contact; null when there never was one. */
  daysSinceContact: number | null;
  /** The earliest follow-up date a contact set that has not been acted on, as YYYY-MM-DD. */
  followUpOn: string | null;
};

export type PriorityPolicy = { noContactDays: number };

export type RankReason =
  | { code: "brokenPromise"; count: number }
  | { code: "followUpDue"; date: string }
  | { code: "neverContacted" }
  | { code: "noContact"; days: number }
  | { code: "creditHold"; orders: number }
  | { code: "oldest"; days: number }
  | { code: "openPromise"; date: string };

export type NextAction = { code: "callBrokenPromise" } | { code: "followUp"; date: string } | { code: "awaitPromise"; date: string } | { code: "call" };

export type Priority = { score: number; reasons: RankReason[]; nextAction: NextAction };

const BROKEN_PROMISE_TIER = 1_000_000_000;

export function priorityOf(facts: PriorityFacts, policy: PriorityPolicy, today: string): Priority {
  // Per unit of currency and day: 100 000 minor-unit-days is 1 000 of currency for 1 day.
  let score = facts.dollarDaysPolicyMinor / 100_000;
  const reasons: RankReason[] = [];
  if (facts.brokenPromises > 0) {
    // Above every account without one: the customer went back on their word, and the issue asks for it on top.
    score = score * 3 + BROKEN_PROMISE_TIER;
    reasons.push({ code: "brokenPromise", count: facts.brokenPromises });
  }
  const followUpDue = facts.followUpOn !== null && facts.followUpOn <= today;
  if (followUpDue) {
    score = score * 1.5 + 200;
    reasons.push({ code: "followUpDue", date: facts.followUpOn! });
  }
  if (facts.daysSinceContact === null) {
    score *= 1.5;
    reasons.push({ code: "neverContacted" });
  } else if (facts.daysSinceContact >= policy.noContactDays) {
    score *= 1.5;
    reasons.push({ code: "noContact", days: facts.daysSinceContact });
  }
  if (facts.onCreditHold || facts.heldOrders > 0) {
    score *= 1.25;
    reasons.push({ code: "creditHold", orders: facts.heldOrders });
  }
  if (facts.oldestDaysPastDue > 90) reasons.push({ code: "oldest", days: facts.oldestDaysPastDue });
  if (facts.openPromiseFor && facts.brokenPromises === 0) {
    score *= 0.3;
    reasons.push({ code: "openPromise", date: facts.openPromiseFor });
  }
  const nextAction: NextAction =
    facts.brokenPromises > 0
      ? { code: "callBrokenPromise" }
      : facts.followUpOn
        ? { code: "followUp", date: facts.followUpOn }
        : facts.openPromiseFor
          ? { code: "awaitPromise", date: facts.openPromiseFor }
          : { code: "call" };
  return { score: Math.round(score * 100) / 100, reasons, nextAction };
}

/** Highest priority first; ties go to the larger past-due amount, then to the account id (stable pages). */
export function rankAccounts<T extends { accountId: string; facts: PriorityFacts }>(
  rows: T[],
  policy: PriorityPolicy,
  today: string,
): (T & { priority: Priority })[] {
  return rows
    .map((row) => ({ ...row, priority: priorityOf(row.facts, policy, today) }))
    .sort((a, b) => b.priority.score - a.priority.score || b.facts.pastDuePolicyMinor - a.facts.pastDuePolicyMinor || a.accountId.localeCompare(b.accountId));
}
