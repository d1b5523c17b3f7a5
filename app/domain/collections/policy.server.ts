import { db } from "../../utils/db.server";

/** Collections policy, kept as PolicySetting rows (`collections.*`); the defaults apply to a database seeded before they existed. */
export type CollectionsPolicy = {
  /** How far ahead a customer may promise to pay. */
  promiseMaxDaysAhead: number;
  /** Days after the promised date a payment still keeps the promise. */
  promiseGraceDays: number;
  /** No collection contact for this many days raises an account in the worklist. */
  noContactDays: number;
  /** A broken promise keeps the account at the top for this many days. */
  brokenPromiseLookbackDays: number;
  /** The currency the worklist ranks in (what "amount at risk" is compared in). */
  policyCurrency: string;
};

const DEFAULTS: CollectionsPolicy = { promiseMaxDaysAhead: 30, promiseGraceDays: 3, noContactDays: 14, brokenPromiseLookbackDays: 30, policyCurrency: "USD" };

export async function collectionsPolicy(): Promise<CollectionsPolicy> {
  const rows = await db().policySetting.findMany({
    where: { key: { in: [...Object.keys(DEFAULTS).map((k) => `collections.${k}`), "credit.policyCurrency"] } },
  });
  const policy = { ...DEFAULTS };
  for (const row of rows) {
    if (row.key === "credit.policyCurrency" && typeof row.value === "string") policy.policyCurrency = row.value;
    const key = row.key.replace("collections.", "") as keyof CollectionsPolicy;
    if (key !== "policyCurrency" && key in DEFAULTS && typeof row.value === "number") policy[key] = row.value;
  }
  return policy;
}

const DAY_MS = 86_400_000;

/** YYYY-MM-DD of a UTC day, `offsetDays` from `at`. */
export function isoDay(at: Date, offsetDays = 0): string {
  return new Date(at.getTime() + offsetDays * DAY_MS).toISOString().slice(0, 10);
}
