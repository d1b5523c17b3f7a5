/**
 * Reads the team dashboard's figures for a period and a set of reps (null: the whole team)
 * from the ledger, promises, disputes, orders, applications and chats. The arithmetic is in
 * formulas.ts; here the rows are fetched, scoped to the reps' accounts, and every amount is
 * brought into the policy currency with the dated rate of the period's last day.
 */
import { db } from "../../utils/db.server";
import { AGING_BUCKETS, agingBucketFor, daysPastDue, type AgingBucket } from "../accounts/aging";
import { collectionsPolicy } from "../collections/policy.server";
import { loadCreditPolicy } from "../credit/scoring.server";
import { OPEN_DISPUTE_STATUSES } from "../disputes/dispute-schemas";
import { convertWithRate, latestRate, type AppliedRate } from "../fx/fx-rates.server";
import { toMinor } from "../money/money";
import {
  DISPUTE_AGES,
  bestPossibleDso,
  collectionEffectiveness,
  daysInPeriod,
  disputeAgeOf,
  dso,
  firstResponseStats,
  percentOf,
  promisesKeptRate,
  withinTarget,
  workingDays,
  type DisputeAge,
} from "./formulas";
import { objectiveProgress, type ObjectiveProgress, type Objectives } from "./objectives";
import type { Period } from "./period";

const DAY_MS = 86_400_000;
const startOf = (day: string) => new Date(`${day}T00:00:00Z`);
/** The first instant after a period's last day. */
const endOf = (day: string) => new Date(startOf(day).getTime() + DAY_MS);

/** The rate used for one currency, or null when none is on file (its amounts are then left out and the page says so). */
export type CurrencyRate = { currency: string; rate: AppliedRate | null };

export type TeamFigures = {
  period: Period;
  policyCurrency: string;
  rates: CurrencyRate[];
  receivables: {
    openingMinor: number;
    endingMinor: number;
    endingCurrentMinor: number;
    creditSalesMinor: number;
    dso: number | null;
    bestPossibleDso: number | null;
    cei: number | null;
    percentCurrent: number | null;
  };
  pastDueByBucket: { bucket: AgingBucket; amountMinor: number }[];
  pastDueByCurrency: { currency: string; amountMinor: number; convertedMinor: number | null; rate: string | null; effectiveOn: string | null }[];
  promises: { kept: number; broken: number; rate: number | null };
  disputesByAge: { age: DisputeAge; count: number }[];
  heldOrders: { total: number; within: number; rate: number | null; targetHours: number };
  applications: { total: number; within: number; rate: number | null; slaHours: number };
  chatsByLanguage: { language: string; total: number; answered: number; averageSeconds: number | null; medianSeconds: number | null }[];
  reps: { id: string; name: string; collectedMinor: number; contacts: number; progress: ObjectiveProgress[] }[];
};

type Scope = { repIds: string[] | null };

function accountScope(scope: Scope) {
  return scope.repIds ? { account: { ownerRepId: { in: scope.repIds } } } : {};
}

/** Converts per-currency totals into the policy currency; currencies without a rate stay out. */
function converter(rates: Map<string, AppliedRate | null>, policyCurrency: string) {
  return (amountMinor: number, currency: string): number | null => {
    if (currency === policyCurrency) return amountMinor;
    const rate = rates.get(currency);
    return rate ? convertWithRate(amountMinor, rate) : null;
  };
}

export async function teamFigures(period: Period, scope: Scope, objectives: Objectives): Promise<TeamFigures> {
  const [collections, credit] = await Promise.all([collectionsPolicy(), loadCreditPolicy()]);
  const policyCurrency = collections.policyCurrency;
  const opening = startOf(period.from);
  const closing = endOf(period.to);
  const asOf = startOf(period.to);

  const invoices = await db().invoice.findMany({
    where: { ...accountScope(scope), status: { not: "VOID" }, issuedOn: { lte: asOf } },
    select: {
      currency: true,
      issuedOn: true,
      dueOn: true,
      totalMinor: true,
      allocations: { where: { createdAt: { lt: closing } }, select: { amountMinor: true, createdAt: true } },
      adjustments: { where: { status: "POSTED", postedAt: { lt: closing } }, select: { kind: true, amountMinor: true, postedAt: true } },
    },
  });

  const currencies = new Set<string>(invoices.map((i) => i.currency));
  const payments = await collectedByRep(period, scope);
  for (const p of payments) currencies.add(p.currency);
  const rates = new Map<string, AppliedRate | null>();
  for (const currency of currencies) if (currency !== policyCurrency) rates.set(currency, await latestRate(currency, policyCurrency, asOf));
  const convert = converter(rates, policyCurrency);

  // Per-currency sums first, converted once each: rounding per invoice would drift.
  type Sums = { opening: number; ending: number; endingCurrent: number; sales: number; buckets: Record<AgingBucket, number> };
  const byCurrency = new Map<string, Sums>();
  for (const invoice of invoices) {
    let sums = byCurrency.get(invoice.currency);
    if (!sums) {
      sums = { opening: 0, ending: 0, endingCurrent: 0, sales: 0, buckets: { current: 0, days1to30: 0, days31to60: 0, days61to90: 0, over90: 0 } };
      byCurrency.set(invoice.currency, sums);
    }
    const balanceBefore = (instant: Date) => {
      if (invoice.issuedOn >= instant) return 0;
      let balance = toMinor(invoice.totalMinor);
      for (const a of invoice.allocations) if (a.createdAt < instant) balance -= toMinor(a.amountMinor);
      for (const a of invoice.adjustments) if (a.postedAt && a.postedAt < instant) balance += (a.kind === "DEBIT_MEMO" ? 1 : -1) * toMinor(a.amountMinor);
      return Math.max(0, balance);
    };
    sums.opening += balanceBefore(opening);
    const ending = balanceBefore(closing);
    sums.ending += ending;
    const bucket = agingBucketFor(daysPastDue(invoice.dueOn, asOf));
    sums.buckets[bucket] += ending;
    if (bucket === "current") sums.endingCurrent += ending;
    if (invoice.issuedOn >= opening) sums.sales += toMinor(invoice.totalMinor);
  }

  const total = { opening: 0, ending: 0, endingCurrent: 0, sales: 0 };
  const buckets: Record<AgingBucket, number> = { current: 0, days1to30: 0, days31to60: 0, days61to90: 0, over90: 0 };
  const pastDueByCurrency: TeamFigures["pastDueByCurrency"] = [];
  for (const [currency, sums] of [...byCurrency].sort(([a], [b]) => a.localeCompare(b))) {
    if (convert(0, currency) === null) continue;
    const c = (minor: number) => convert(minor, currency) as number;
    total.opening += c(sums.opening);
    total.ending += c(sums.ending);
    total.endingCurrent += c(sums.endingCurrent);
    total.sales += c(sums.sales);
    for (const bucket of AGING_BUCKETS) buckets[bucket] += c(sums.buckets[bucket]);
  }
  for (const [currency, sums] of [...byCurrency].sort(([a], [b]) => a.localeCompare(b))) {
    const pastDue = sums.ending - sums.endingCurrent;
    const rate = rates.get(currency) ?? null;
    pastDueByCurrency.push({
      currency,
      amountMinor: pastDue,
      convertedMinor: convert(pastDue, currency),
      rate: rate?.rate ?? null,
      effectiveOn: rate?.effectiveOn ?? null,
    });
  }
  const days = daysInPeriod(period.from, period.to);

  const [promiseRows, disputeRows, heldRows, applicationRows, chatRows] = await Promise.all([
    db().promiseToPay.findMany({
      where: { ...accountScope(scope), promisedFor: { gte: opening, lte: asOf } },
      select: { status: true, account: { select: { ownerRepId: true } } },
    }),
    db().dispute.findMany({
      where: {
        ...accountScope(scope),
        createdAt: { lt: closing },
        OR: [{ status: { in: [...OPEN_DISPUTE_STATUSES] } }, { resolvedAt: { gte: closing } }],
      },
      select: { createdAt: true },
    }),
    db().order.findMany({
      where: { ...accountScope(scope), heldAt: { not: null }, releasedAt: { gte: opening, lt: closing } },
      select: { heldAt: true, releasedAt: true },
    }),
    db().creditApplication.findMany({
      where: { ...(scope.repIds ? { decidedById: { in: scope.repIds } } : {}), submittedAt: { not: null }, decidedAt: { gte: opening, lt: closing } },
      select: { submittedAt: true, decidedAt: true },
    }),
    db().conversation.findMany({
      where: { ...(scope.repIds ? { assignedRepId: { in: scope.repIds } } : {}), channel: "CHAT", createdAt: { gte: opening, lt: closing } },
      select: { language: true, createdAt: true, firstResponseAt: true, assignedRepId: true },
    }),
  ]);

  const disputeCounts = new Map<DisputeAge, number>(DISPUTE_AGES.map((a) => [a, 0]));
  for (const d of disputeRows) {
    const age = disputeAgeOf(Math.floor((asOf.getTime() - startOf(d.createdAt.toISOString().slice(0, 10)).getTime()) / DAY_MS));
    disputeCounts.set(age, (disputeCounts.get(age) ?? 0) + 1);
  }

  const languages = [...new Set(["en", "es", ...chatRows.map((c) => c.language)])].sort();
  const chatsByLanguage = languages.map((language) => ({
    language,
    ...firstResponseStats(chatRows.filter((c) => c.language === language).map((c) => ({ waitingSince: c.createdAt, firstResponseAt: c.firstResponseAt }))),
  }));

  const reps = await repRows(scope, period, { days, workingDays: workingDays(period.from, period.to) }, objectives, {
    payments,
    convert,
    promises: promiseRows.map((p) => ({ repId: p.account.ownerRepId, status: p.status })),
    chats: chatRows,
  });

  return {
    period,
    policyCurrency,
    rates: [...rates].map(([currency, rate]) => ({ currency, rate })),
    receivables: {
      openingMinor: total.opening,
      endingMinor: total.ending,
      endingCurrentMinor: total.endingCurrent,
      creditSalesMinor: total.sales,
      dso: dso(total.ending, total.sales, days),
      bestPossibleDso: bestPossibleDso(total.endingCurrent, total.sales, days),
      cei: collectionEffectiveness({
        openingMinor: total.opening,
        creditSalesMinor: total.sales,
        endingTotalMinor: total.ending,
        endingCurrentMinor: total.endingCurrent,
      }),
      percentCurrent: percentOf(total.endingCurrent, total.ending),
    },
    pastDueByBucket: AGING_BUCKETS.filter((b) => b !== "current").map((bucket) => ({ bucket, amountMinor: buckets[bucket] })),
    pastDueByCurrency,
    promises: promisesKeptRate(promiseRows.map((p) => p.status)),
    disputesByAge: DISPUTE_AGES.map((age) => ({ age, count: disputeCounts.get(age) ?? 0 })),
    heldOrders: {
      ...withinTarget(
        heldRows.map((o) => ({ startedAt: o.heldAt as Date, finishedAt: o.releasedAt as Date })),
        objectives.heldOrderReleaseHours,
      ),
      targetHours: objectives.heldOrderReleaseHours,
    },
    applications: {
      ...withinTarget(
        applicationRows.map((a) => ({ startedAt: a.submittedAt as Date, finishedAt: a.decidedAt as Date })),
        credit.reviewSlaHours,
      ),
      slaHours: credit.reviewSlaHours,
    },
    chatsByLanguage,
    reps,
  };
}

/** Money received in the period on each rep's accounts (net of refunds), per currency. */
async function collectedByRep(period: Period, scope: Scope) {
  const rows = await db().payment.findMany({
    where: {
      ...accountScope(scope),
      status: { in: ["SUCCEEDED", "PARTIALLY_REFUNDED", "REFUNDED"] },
      receivedAt: { gte: startOf(period.from), lt: endOf(period.to) },
      // Account credit from a credit memo is not money collected.
      adjustmentId: null,
    },
    select: { currency: true, amountMinor: true, refundedMinor: true, account: { select: { ownerRepId: true } } },
  });
  return rows.map((r) => ({ repId: r.account.ownerRepId, currency: r.currency, amountMinor: toMinor(r.amountMinor) - toMinor(r.refundedMinor) }));
}

async function repRows(
  scope: Scope,
  period: Period,
  length: { days: number; workingDays: number },
  objectives: Objectives,
  data: {
    payments: { repId: string | null; currency: string; amountMinor: number }[];
    convert: (amountMinor: number, currency: string) => number | null;
    promises: { repId: string | null; status: string }[];
    chats: { assignedRepId: string | null; createdAt: Date; firstResponseAt: Date | null }[];
  },
): Promise<TeamFigures["reps"]> {
  const reps = await db().user.findMany({
    where: { role: "REP", active: true, ...(scope.repIds ? { id: { in: scope.repIds } } : {}) },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
  const contacts = await db().collectionContact.groupBy({
    by: ["repId"],
    where: { repId: { in: reps.map((r) => r.id) }, createdAt: { gte: startOf(period.from), lt: endOf(period.to) } },
    _count: { _all: true },
  });
  return reps.map((rep) => {
    const collectedMinor = data.payments.filter((p) => p.repId === rep.id).reduce((sum, p) => sum + (data.convert(p.amountMinor, p.currency) ?? 0), 0);
    const contactCount = contacts.find((c) => c.repId === rep.id)?._count._all ?? 0;
    const kept = promisesKeptRate(data.promises.filter((p) => p.repId === rep.id).map((p) => p.status));
    const response = firstResponseStats(
      data.chats.filter((c) => c.assignedRepId === rep.id).map((c) => ({ waitingSince: c.createdAt, firstResponseAt: c.firstResponseAt })),
    );
    return {
      id: rep.id,
      name: rep.name,
      collectedMinor,
      contacts: contactCount,
      progress: objectiveProgress(
        objectives,
        { collectedMinor, contacts: contactCount, promisesKeptRate: kept.rate, averageFirstResponseSeconds: response.averageSeconds },
        length,
      ),
    };
  });
}
