/**
 * Aging: how far past its due date each open invoice's balance is, grouped into the
 * buckets credit teams use. Pure, so the rule lives in one place and is tested at
 * its boundaries; the SQL in account-summary.server.ts mirrors it.
 */
export const AGING_BUCKETS = ["current", "days1to30", "days31to60", "days61to90", "over90"] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

const DAY_MS = 86_400_000;

/** Whole days an invoice due on `dueOn` is past due on `asOf` (0 when not yet due). */
export function daysPastDue(dueOn: Date, asOf: Date): number {
  const due = Date.UTC(dueOn.getUTCFullYear(), dueOn.getUTCMonth(), dueOn.getUTCDate());
  const today = Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate());
  return Math.max(0, Math.round((today - due) / DAY_MS));
}

export function agingBucketFor(daysPast: number): AgingBucket {
  if (daysPast <= 0) return "current";
  if (daysPast <= 30) return "days1to30";
  if (daysPast <= 60) return "days31to60";
  if (daysPast <= 90) return "days61to90";
  return "over90";
}

/** `disputedMinor`: what open disputes on the invoice claim (may exceed what is still owed). */
export type AgingInput = { dueOn: Date; balanceMinor: number; disputedMinor?: number };

/** The part of an invoice's balance under open dispute: never more than is still owed. */
export function inDisputeOf(invoice: AgingInput): number {
  return Math.max(0, Math.min(invoice.balanceMinor, invoice.disputedMinor ?? 0));
}

/**
 * Undisputed balances by bucket. Money under an open dispute is not aged: it is owed
 * but not pressed for while the dispute runs, so it is reported apart (`agingWithDisputes`).
 */
export function agingBuckets(invoices: AgingInput[], asOf: Date): Record<AgingBucket, number> {
  return agingWithDisputes(invoices, asOf).buckets;
}

export function agingWithDisputes(invoices: AgingInput[], asOf: Date): { buckets: Record<AgingBucket, number>; inDispute: number } {
  const buckets: Record<AgingBucket, number> = { current: 0, days1to30: 0, days31to60: 0, days61to90: 0, over90: 0 };
  let inDispute = 0;
  for (const invoice of invoices) {
    if (invoice.balanceMinor <= 0) continue;
    const disputed = inDisputeOf(invoice);
    inDispute += disputed;
    buckets[agingBucketFor(daysPastDue(invoice.dueOn, asOf))] += invoice.balanceMinor - disputed;
  }
  return { buckets, inDispute };
}
