import { db } from "../../utils/db.server";

/**
 * Watch-signal thresholds, kept as PolicySetting rows (`watch.*`); the defaults apply to a
 * database seeded before they existed. Each signal's sentence quotes the figure it fired on
 * and the threshold, so a rep can tell "why this" without opening the policy.
 */
export type WatchPolicy = {
  /** Exposure at or above this share of the limit (percent) fires; each further 10 points fires again. */
  utilizationPercent: number;
  /** How many of the latest paid invoices the days-to-pay trend reads (the newer half against the older half). */
  daysToPayInvoices: number;
  /** The newer half taking this many days longer on average fires. */
  daysToPayWorseningDays: number;
  /** An open or held order of at least this share of the limit (percent)… */
  largeOrderPercentOfLimit: number;
  /** …while the credit still available is under this share of the limit (percent). */
  lowHeadroomPercent: number;
  /** Broken promises and bounced emails this recent fire. */
  lookbackDays: number;
};

const DEFAULTS: WatchPolicy = {
  utilizationPercent: 90,
  daysToPayInvoices: 6,
  daysToPayWorseningDays: 7,
  largeOrderPercentOfLimit: 15,
  lowHeadroomPercent: 10,
  lookbackDays: 30,
};

export const WATCH_POLICY_DEFAULTS: Readonly<WatchPolicy> = DEFAULTS;

export async function watchPolicy(): Promise<WatchPolicy> {
  const rows = await db().policySetting.findMany({ where: { key: { in: Object.keys(DEFAULTS).map((k) => `watch.${k}`) } } });
  const policy = { ...DEFAULTS };
  for (const row of rows) {
    const key = row.key.slice("watch.".length) as keyof WatchPolicy;
    if (typeof row.value === "number" && Number.isFinite(row.value) && row.value > 0) policy[key] = row.value;
  }
  return policy;
}
