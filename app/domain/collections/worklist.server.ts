/**
 * The collections worklist: every account with undisputed money past due, with the facts
 * a collector weighs, ranked by priority.ts. Amounts are ranked in the policy currency
 * (converted at the dated rate, which the page states); each row keeps its own currency too.
 */
import { z } from "zod";
import { Prisma } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { agingBucketFor, type AgingBucket } from "../accounts/aging";
import { OPEN_DISPUTE_STATUSES } from "../disputes/dispute-schemas";
import { convertWithRate, latestRate, type AppliedRate } from "../fx/fx-rates.server";
import { toMinor, type Money } from "../money/money";
import { rankAccounts, type Priority, type PriorityFacts } from "./priority";
import { collectionsPolicy, isoDay } from "./policy.server";

import { PAST_DUE_BUCKETS } from "./codes";

export const worklistFilterSchema = z.object({
  owner: z.string().max(64).optional().catch(undefined),
  language: z.enum(["en", "es"]).optional().catch(undefined),
  bucket: z.enum(PAST_DUE_BUCKETS).optional().catch(undefined),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional()
    .catch(undefined),
});
export type WorklistFilters = z.infer<typeof worklistFilterSchema>;

export function filtersFrom(params: URLSearchParams): WorklistFilters {
  const raw = Object.fromEntries(["owner", "language", "bucket", "currency"].map((k) => [k, params.get(k) || undefined]));
  return worklistFilterSchema.parse(raw);
}

export function filterQuery(filters: WorklistFilters): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  return params.toString();
}

export type WorklistRow = {
  accountId: string;
  number: string;
  legalName: string;
  currency: string;
  language: string;
  status: string;
  ownerRep: string | null;
  pastDue: Money;
  pastDuePolicy: Money;
  oldestDaysPastDue: number;
  oldestBucket: AgingBucket;
  lastContactAt: string | null;
  facts: PriorityFacts;
  priority: Priority;
};

type PastDueRow = {
  accountId: string;
  currency: string;
  past_due: bigint;
  dollar_days: bigint;
  oldest: number;
  b1: bigint;
  b2: bigint;
  b3: bigint;
  b4: bigint;
};

export async function collectionsWorklist(
  filters: WorklistFilters = {},
  now = new Date(),
): Promise<{ rows: WorklistRow[]; policyCurrency: string; conversions: AppliedRate[] }> {
  const policy = await collectionsPolicy();
  const today = isoDay(now);
  // Per account and currency: undisputed past-due money, its days-weighted total, the oldest item, and what sits in each bucket.
  const pastDue = await db().$queryRaw<PastDueRow[]>`
    WITH late AS (
      SELECT i."accountId", i.currency, (${today}::date - i."dueOn") AS days,
        i."balanceMinor" - LEAST(i."balanceMinor", COALESCE((
          SELECT SUM(x."amountMinor") FROM "Dispute" x WHERE x."invoiceId" = i.id AND x.status::text IN (${Prisma.join([...OPEN_DISPUTE_STATUSES])})
        ), 0)) AS undisputed
      FROM "Invoice" i
      WHERE i.status IN ('OPEN', 'PARTIALLY_PAID') AND i."balanceMinor" > 0 AND i."dueOn" < ${today}::date
    )
    SELECT "accountId", currency, SUM(undisputed)::bigint AS past_due, SUM(undisputed * days)::bigint AS dollar_days, MAX(days)::int AS oldest,
      COALESCE(SUM(undisputed) FILTER (WHERE days <= 30), 0)::bigint AS b1,
      COALESCE(SUM(undisputed) FILTER (WHERE days > 30 AND days <= 60), 0)::bigint AS b2,
      COALESCE(SUM(undisputed) FILTER (WHERE days > 60 AND days <= 90), 0)::bigint AS b3,
      COALESCE(SUM(undisputed) FILTER (WHERE days > 90), 0)::bigint AS b4
    FROM late WHERE undisputed > 0
    GROUP BY "accountId", currency`;
  const accountIds = [...new Set(pastDue.map((r) => r.accountId))];
  if (accountIds.length === 0) return { rows: [], policyCurrency: policy.policyCurrency, conversions: [] };

  const lookback = new Date(now.getTime() - policy.brokenPromiseLookbackDays * 86_400_000);
  const [accounts, broken, open, lastContacts, held] = await Promise.all([
    db().account.findMany({
      where: {
        id: { in: accountIds },
        ...(filters.owner ? { ownerRepId: filters.owner } : {}),
        ...(filters.language ? { preferredLanguage: filters.language } : {}),
        ...(filters.currency ? { currency: filters.currency } : {}),
      },
      select: { id: true, number: true, legalName: true, currency: true, preferredLanguage: true, status: true, ownerRep: { select: { name: true } } },
    }),
    db().promiseToPay.groupBy({
      by: ["accountId"],
      where: { accountId: { in: accountIds }, status: "BROKEN", resolvedAt: { gte: lookback } },
      _count: { _all: true },
    }),
    db().promiseToPay.groupBy({ by: ["accountId"], where: { accountId: { in: accountIds }, status: "OPEN" }, _min: { promisedFor: true } }),
    // The latest contact per account: when it was and the follow-up it set.
    db().$queryRaw<{ accountId: string; createdAt: Date; followUpOn: Date | null }[]>`
      SELECT DISTINCT ON ("accountId") "accountId", "createdAt", "followUpOn" FROM "CollectionContact"
      WHERE "accountId" IN (${Prisma.join(accountIds)}) ORDER BY "accountId", "createdAt" DESC`,
    db().order.groupBy({ by: ["accountId"], where: { accountId: { in: accountIds }, status: "ON_HOLD" }, _count: { _all: true } }),
  ]);

  const conversions: AppliedRate[] = [];
  const rates = new Map<string, AppliedRate | null>();
  const toPolicy = async (amountMinor: number, currency: string): Promise<number> => {
    if (currency === policy.policyCurrency || amountMinor === 0) return amountMinor;
    if (!rates.has(currency)) {
      const rate = await latestRate(currency, policy.policyCurrency, now);
      rates.set(currency, rate);
      if (rate) conversions.push(rate);
    }
    const rate = rates.get(currency);
    // Without a rate the amount still ranks, unconverted, rather than vanishing from the list.
    return rate ? convertWithRate(amountMinor, rate) : amountMinor;
  };

  const rows: Omit<WorklistRow, "priority">[] = [];
  for (const account of accounts) {
    const mine = pastDue.filter((r) => r.accountId === account.id);
    if (filters.bucket) {
      const column = { days1to30: "b1", days31to60: "b2", days61to90: "b3", over90: "b4" } as const;
      if (!mine.some((r) => toMinor(r[column[filters.bucket!]]) > 0)) continue;
    }
    let pastDuePolicyMinor = 0;
    let dollarDays = 0;
    let pastDueOwn = 0;
    for (const r of mine) {
      pastDuePolicyMinor += await toPolicy(toMinor(r.past_due), r.currency);
      dollarDays += await toPolicy(toMinor(r.dollar_days), r.currency);
      pastDueOwn += r.currency === account.currency ? toMinor(r.past_due) : 0;
    }
    const oldest = Math.max(...mine.map((r) => r.oldest));
    const contact = lastContacts.find((c) => c.accountId === account.id);
    const openPromise = open.find((o) => o.accountId === account.id)?._min.promisedFor ?? null;
    rows.push({
      accountId: account.id,
      number: account.number,
      legalName: account.legalName,
      currency: account.currency,
      language: account.preferredLanguage,
      status: account.status,
      ownerRep: account.ownerRep?.name ?? null,
      pastDue: { amountMinor: pastDueOwn, currency: account.currency },
      pastDuePolicy: { amountMinor: pastDuePolicyMinor, currency: policy.policyCurrency },
      oldestDaysPastDue: oldest,
      oldestBucket: agingBucketFor(oldest),
      lastContactAt: contact ? new Date(contact.createdAt).toISOString() : null,
      facts: {
        pastDuePolicyMinor,
        dollarDaysPolicyMinor: dollarDays,
        oldestDaysPastDue: oldest,
        brokenPromises: broken.find((b) => b.accountId === account.id)?._count._all ?? 0,
        openPromiseFor: openPromise ? openPromise.toISOString().slice(0, 10) : null,
        onCreditHold: account.status === "CREDIT_HOLD",
        heldOrders: held.find((h) => h.accountId === account.id)?._count._all ?? 0,
        daysSinceContact: contact ? Math.floor((now.getTime() - new Date(contact.createdAt).getTime()) / 86_400_000) : null,
        followUpOn: contact?.followUpOn ? new Date(contact.followUpOn).toISOString().slice(0, 10) : null,
      },
    });
  }
  return { rows: rankAccounts(rows, { noContactDays: policy.noContactDays }, today), policyCurrency: policy.policyCurrency, conversions };
}

/** The account after `afterId` in the ranked list with the same filters; the first one when `afterId` is not in it. */
export async function nextAccount(afterId: string | null, filters: WorklistFilters, now = new Date()): Promise<string | null> {
  const { rows } = await collectionsWorklist(filters, now);
  if (!afterId) return rows[0]?.accountId ?? null;
  const index = rows.findIndex((r) => r.accountId === afterId);
  if (index === -1) return rows[0]?.accountId ?? null;
  return rows[index + 1]?.accountId ?? null;
}

export async function worklistOwners() {
  return db().user.findMany({ where: { role: { in: ["REP", "MANAGER"] }, active: true }, select: { id: true, name: true }, orderBy: { name: "asc" } });
}

export async function worklistCurrencies(): Promise<string[]> {
  const rows = await db().account.findMany({ distinct: ["currency"], select: { currency: true }, orderBy: { currency: "asc" } });
  return rows.map((r) => r.currency);
}
