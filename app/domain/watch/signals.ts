/**
 * Account watch signals: what in an account's own data should make its rep look again.
 * Pure rules over facts the server gathers (signals.server.ts), so each rule and its
 * threshold can be read, and tested, in one place. Every signal carries a key naming the
 * fact it fired on (a promise, an order, a report, a utilization band), which is what a
 * rep's review is recorded against, and a sentence (translation key + figures) saying why.
 */
import type { Money } from "../money/money";
import type { WatchPolicy } from "./watch-policy.server";

export const SIGNAL_KINDS = ["utilization", "days_to_pay", "large_order", "broken_promise", "bounced_contact", "reported_change"] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export const CHANGE_KINDS = ["legal_name", "address", "tax_id", "ownership"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** A figure in a sentence: text, a number, money, a calendar day (formatted by the reader's locale) or a term (translated). */
export type SentenceValue = string | number | { money: Money } | { date: string } | { term: string };
export type Sentence = { key: string; values: Record<string, SentenceValue> };

export type WatchSignal = { key: string; kind: SignalKind; firedAt: string; why: Sentence };

export type AccountFacts = {
  limit: Money;
  exposure: Money;
  available: Money;
  /** Latest paid invoices, most recently paid first. */
  paidInvoices: { id: string; issuedOn: string; paidAt: string }[];
  /** Orders open or on hold. */
  pendingOrders: { id: string; number: string; amount: Money; placedAt: string }[];
  brokenPromises: { id: string; amount: Money; promisedFor: string; resolvedAt: string }[];
  bouncedEmails: { id: string; to: string; createdAt: string }[];
  changeReports: { id: string; kind: ChangeKind; details: string; effectiveOn: string | null; createdAt: string }[];
};

const DAY_MS = 86_400_000;

function utilization(facts: AccountFacts, policy: WatchPolicy, now: Date): WatchSignal[] {
  const limit = facts.limit.amountMinor;
  if (limit <= 0) return [];
  const percent = Math.floor((facts.exposure.amountMinor * 100) / limit);
  if (percent < policy.utilizationPercent) return [];
  // One band per ten points over the threshold: a review at 92% quiets it until exposure reaches the next band.
  const band = policy.utilizationPercent + Math.floor((percent - policy.utilizationPercent) / 10) * 10;
  return [
    {
      key: `utilization:${band}`,
      kind: "utilization",
      firedAt: now.toISOString(),
      why: {
        key: "watch:why.utilization",
        values: { percent, threshold: policy.utilizationPercent, exposure: { money: facts.exposure }, limit: { money: facts.limit } },
      },
    },
  ];
}

function daysToPay(facts: AccountFacts, policy: WatchPolicy): WatchSignal[] {
  // An even count, so the newer and the older half weigh the same.
  const count = Math.min(facts.paidInvoices.length, policy.daysToPayInvoices);
  const latest = facts.paidInvoices.slice(0, count - (count % 2));
  if (latest.length < 4) return [];
  const days = latest.map((i) => Math.max(0, Math.round((Date.parse(i.paidAt) - Date.parse(i.issuedOn)) / DAY_MS)));
  const half = days.length / 2;
  const average = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
  const recent = average(days.slice(0, half));
  const earlier = average(days.slice(half));
  if (recent - earlier < policy.daysToPayWorseningDays) return [];
  return [
    {
      key: `days_to_pay:${latest[0].id}`,
      kind: "days_to_pay",
      firedAt: latest[0].paidAt,
      why: { key: "watch:why.daysToPay", values: { recent, earlier, count: half, threshold: policy.daysToPayWorseningDays } },
    },
  ];
}

function largeOrders(facts: AccountFacts, policy: WatchPolicy): WatchSignal[] {
  const limit = facts.limit.amountMinor;
  if (limit <= 0) return [];
  // Whole-number comparisons: amount ≥ p% of limit ⇔ 100·amount ≥ p·limit.
  const littleHeadroom = facts.available.amountMinor * 100 < policy.lowHeadroomPercent * limit;
  if (!littleHeadroom) return [];
  return facts.pendingOrders
    .filter((o) => o.amount.currency === facts.limit.currency && o.amount.amountMinor * 100 >= policy.largeOrderPercentOfLimit * limit)
    .map((o) => ({
      key: `large_order:${o.id}`,
      kind: "large_order" as const,
      firedAt: o.placedAt,
      why: {
        key: "watch:why.largeOrder",
        values: { order: o.number, amount: { money: o.amount }, available: { money: facts.available }, limit: { money: facts.limit } },
      },
    }));
}

function brokenPromises(facts: AccountFacts, policy: WatchPolicy, now: Date): WatchSignal[] {
  const since = now.getTime() - policy.lookbackDays * DAY_MS;
  return facts.brokenPromises
    .filter((p) => Date.parse(p.resolvedAt) >= since)
    .map((p) => ({
      key: `broken_promise:${p.id}`,
      kind: "broken_promise" as const,
      firedAt: p.resolvedAt,
      why: { key: "watch:why.brokenPromise", values: { amount: { money: p.amount }, date: { date: p.promisedFor } } },
    }));
}

function bouncedContacts(facts: AccountFacts, policy: WatchPolicy, now: Date): WatchSignal[] {
  const since = now.getTime() - policy.lookbackDays * DAY_MS;
  return facts.bouncedEmails
    .filter((e) => Date.parse(e.createdAt) >= since)
    .map((e) => ({
      key: `bounced_contact:${e.id}`,
      kind: "bounced_contact" as const,
      firedAt: e.createdAt,
      why: { key: "watch:why.bouncedContact", values: { email: e.to, date: { date: e.createdAt } } },
    }));
}

function reportedChanges(facts: AccountFacts): WatchSignal[] {
  // No lookback: a reported change stays until a rep has read it.
  return facts.changeReports.map((r) => ({
    key: `reported_change:${r.id}`,
    kind: "reported_change" as const,
    firedAt: r.createdAt,
    why: {
      key: r.effectiveOn ? "watch:why.reportedChangeFrom" : "watch:why.reportedChange",
      values: { change: { term: `watch:changeKinds.${r.kind}` }, details: r.details, ...(r.effectiveOn ? { date: { date: r.effectiveOn } } : {}) },
    },
  }));
}

/** Every signal the account's facts fire, oldest first. */
export function signalsFor(facts: AccountFacts, policy: WatchPolicy, now: Date): WatchSignal[] {
  return [
    ...utilization(facts, policy, now),
    ...daysToPay(facts, policy),
    ...largeOrders(facts, policy),
    ...brokenPromises(facts, policy, now),
    ...bouncedContacts(facts, policy, now),
    ...reportedChanges(facts),
  ].sort((a, b) => a.firedAt.localeCompare(b.firedAt));
}
