/**
 * The team dashboard's figures as plain arithmetic, so each formula lives in one place and
 * is checked against a hand-computed fixture (tests/unit/report-formulas.test.ts). Amounts
 * are minor units of one currency (the policy currency, already converted); durations are
 * seconds. A ratio with nothing to divide by is null ("no data"), never 0 or NaN.
 */

/** Days a period covers, both ends included: 2026-11-01 … 2026-11-30 is 30 days. */
export function daysInPeriod(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * Days sales outstanding: what is owed at the end of the period, expressed as days of the
 * period's credit sales. `(ending receivables / credit sales) × days`.
 */
export function dso(endingReceivablesMinor: number, creditSalesMinor: number, days: number): number | null {
  if (creditSalesMinor <= 0) return null;
  return (endingReceivablesMinor / creditSalesMinor) * days;
}

/**
 * Best possible DSO: the same ratio with only the receivables not yet due — what DSO would
 * be if every customer paid on its terms. The gap to DSO is what lateness costs.
 */
export function bestPossibleDso(endingCurrentMinor: number, creditSalesMinor: number, days: number): number | null {
  return dso(endingCurrentMinor, creditSalesMinor, days);
}

/**
 * Collection effectiveness index, in percent: of what could have been collected in the
 * period (opening receivables plus credit sales, less what is not yet due at the end), the
 * part that was. `(opening + sales − ending total) / (opening + sales − ending current) × 100`.
 */
export function collectionEffectiveness(input: {
  openingMinor: number;
  creditSalesMinor: number;
  endingTotalMinor: number;
  endingCurrentMinor: number;
}): number | null {
  const collectible = input.openingMinor + input.creditSalesMinor - input.endingCurrentMinor;
  if (collectible <= 0) return null;
  return ((input.openingMinor + input.creditSalesMinor - input.endingTotalMinor) / collectible) * 100;
}

/** Share of a whole, in percent; null when the whole is nothing. */
export function percentOf(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return (part / whole) * 100;
}

/**
 * Promises kept rate, in percent: of the promises whose outcome is known (kept or broken),
 * those kept. Open and cancelled promises say nothing about the customer's word yet.
 */
export function promisesKeptRate(statuses: readonly string[]): { kept: number; broken: number; rate: number | null } {
  const kept = statuses.filter((s) => s === "KEPT").length;
  const broken = statuses.filter((s) => s === "BROKEN").length;
  return { kept, broken, rate: percentOf(kept, kept + broken) };
}

/**
 * First response time of answered chats: seconds from when the customer started waiting
 * (joined the queue) to the first reply. Unanswered chats count in `total` only.
 */
export function firstResponseStats(chats: readonly { waitingSince: Date; firstResponseAt: Date | null }[]): {
  total: number;
  answered: number;
  averageSeconds: number | null;
  medianSeconds: number | null;
} {
  const waits = chats
    .filter((c) => c.firstResponseAt)
    .map((c) => Math.max(0, ((c.firstResponseAt as Date).getTime() - c.waitingSince.getTime()) / 1000))
    .sort((a, b) => a - b);
  if (waits.length === 0) return { total: chats.length, answered: 0, averageSeconds: null, medianSeconds: null };
  const middle = Math.floor(waits.length / 2);
  const median = waits.length % 2 ? waits[middle] : (waits[middle - 1] + waits[middle]) / 2;
  return {
    total: chats.length,
    answered: waits.length,
    averageSeconds: waits.reduce((sum, w) => sum + w, 0) / waits.length,
    medianSeconds: median,
  };
}

/** How many of some timed pieces of work finished within a target of hours (held orders released, applications decided). */
export function withinTarget(
  items: readonly { startedAt: Date; finishedAt: Date }[],
  targetHours: number,
): { total: number; within: number; rate: number | null } {
  const within = items.filter((i) => i.finishedAt.getTime() - i.startedAt.getTime() <= targetHours * 3_600_000).length;
  return { total: items.length, within, rate: percentOf(within, items.length) };
}

export const DISPUTE_AGES = ["days0to7", "days8to30", "days31to60", "over60"] as const;
export type DisputeAge = (typeof DISPUTE_AGES)[number];

/** Age band of a dispute opened `days` ago. */
export function disputeAgeOf(days: number): DisputeAge {
  if (days <= 7) return "days0to7";
  if (days <= 30) return "days8to30";
  if (days <= 60) return "days31to60";
  return "over60";
}

/** Weekdays (Monday–Friday) in a period, both ends included: what "per day" objectives divide by. */
export function workingDays(from: string, to: string): number {
  let count = 0;
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const weekday = new Date(t).getUTCDay();
    if (weekday !== 0 && weekday !== 6) count++;
  }
  return count;
}
