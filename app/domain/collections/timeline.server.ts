/**
 * One account timeline: everything that happened to an account, from every place it is
 * recorded, in one order. Each kind of record is a source; a new capability (dunning
 * steps, write-offs, final demands) adds itself by adding a source to TIMELINE_SOURCES.
 * Events are data (a code and values), rendered in the reader's language.
 */
import { storedEventOf, type StoredEvent } from "../../i18n/stored-event";
import { db } from "../../utils/db.server";
import { toMinor, type Money } from "../money/money";
import { repNames } from "./contacts.server";
import { accountHolds, dunningSteps, finalDemands, writeOffs } from "./timeline-collections.server";

/** A value in an event: plain text or number, money, or another translation key (`{ key }`). */
export type TimelineValue = string | number | Money | { key: string };

export type TimelineEvent = {
  at: string;
  /** Which source it came from: contact, note, conversation, credit, dispute, promise, hold… */
  source: string;
  /** Translation key under collections:timeline.events. */
  code: string;
  values: Record<string, TimelineValue>;
  actor: string | null;
  /** Free text a person wrote (a note, a contact's note), shown as written. */
  detail?: string | null;
  /** Orders events of one record that share a moment (a write-off proposed and posted at once). */
  seq?: number;
  /** A note the portal wrote as data: shown in the reader's language instead of `detail`. */
  note?: StoredEvent | null;
};

export type TimelineSource = (accountId: string, take: number) => Promise<TimelineEvent[]>;

const money = (amountMinor: bigint | number, currency: string): Money => ({ amountMinor: toMinor(amountMinor), currency });

const contacts: TimelineSource = async (accountId, take) => {
  const rows = await db().collectionContact.findMany({ where: { accountId }, orderBy: { createdAt: "desc" }, take });
  const names = await repNames(rows.map((r) => r.repId));
  return rows.map((r) => ({
    at: r.createdAt.toISOString(),
    source: "contact",
    code: r.followUpOn ? "contactFollowUp" : "contact",
    values: {
      channel: { key: `collections:channels.${r.channel}` },
      outcome: { key: `collections:outcomes.${r.outcome}` },
      ...(r.followUpOn ? { date: r.followUpOn.toISOString().slice(0, 10) } : {}),
    },
    actor: r.repId ? (names.get(r.repId) ?? null) : null,
    detail: r.note,
  }));
};

const notes: TimelineSource = async (accountId, take) => {
  const rows = await db().accountNote.findMany({ where: { accountId }, orderBy: { createdAt: "desc" }, take, include: { author: { select: { name: true } } } });
  return rows.map((r) => ({
    at: r.createdAt.toISOString(),
    source: "note",
    code: "note",
    values: {},
    actor: r.author?.name ?? null,
    detail: r.body,
    note: storedEventOf(r.event),
  }));
};

const conversations: TimelineSource = async (accountId, take) => {
  const rows = await db().conversation.findMany({
    where: { accountId },
    orderBy: { createdAt: "desc" },
    take,
    include: { assignedRep: { select: { name: true } } },
  });
  return rows.map((r) => ({
    at: r.createdAt.toISOString(),
    source: "conversation",
    code: r.channel === "EMAIL" ? "conversationEmail" : "conversationChat",
    values: { topic: { key: `collections:topics.${r.topic}` } },
    actor: r.assignedRep?.name ?? null,
  }));
};

/** Application steps the timeline names; anything else on an application reads as "updated". */
const CREDIT_ACTIONS = new Set([
  "submitted",
  "auto_approved",
  "approved",
  "escalated",
  "counter_offered",
  "declined",
  "info_requested",
  "info_provided",
  "offer_accepted",
  "offer_declined",
]);

/** Credit decisions and limit changes, as the audit trail recorded them when they were made. */
const credit: TimelineSource = async (accountId, take) => {
  const rows = await db().auditLog.findMany({
    where: { accountId, OR: [{ entity: "CreditApplication" }, { entity: "Account", action: "credit_limit_changed" }] },
    orderBy: { createdAt: "desc" },
    take,
    include: { actor: { select: { name: true } } },
  });
  const [account, applications] = await Promise.all([
    db().account.findUnique({ where: { id: accountId }, select: { currency: true } }),
    db().creditApplication.findMany({
      where: { id: { in: rows.filter((r) => r.entity === "CreditApplication").map((r) => r.entityId) } },
      select: { id: true, number: true },
    }),
  ]);
  const currency = account?.currency ?? "USD";
  const numbers = new Map(applications.map((a) => [a.id, a.number]));
  return rows.map((r): TimelineEvent => {
    const before = (r.before ?? {}) as { creditLimitMinor?: number; paymentTermsDays?: number };
    const after = (r.after ?? {}) as { creditLimitMinor?: number; paymentTermsDays?: number };
    if (r.action === "credit_limit_changed") {
      return {
        at: r.createdAt.toISOString(),
        source: "credit",
        code: "limitChanged",
        values: { from: money(before.creditLimitMinor ?? 0, currency), to: money(after.creditLimitMinor ?? 0, currency) },
        actor: r.actor?.name ?? null,
      };
    }
    return {
      at: r.createdAt.toISOString(),
      source: "credit",
      code: "creditDecision",
      values: {
        number: numbers.get(r.entityId) ?? "",
        action: { key: `collections:timeline.creditActions.${CREDIT_ACTIONS.has(r.action) ? r.action : "other"}` },
      },
      actor: r.actor?.name ?? null,
    };
  });
};

const disputes: TimelineSource = async (accountId, take) => {
  const rows = await db().dispute.findMany({ where: { accountId }, orderBy: { createdAt: "desc" }, take, include: { invoice: { select: { number: true } } } });
  const events: TimelineEvent[] = [];
  for (const d of rows) {
    const values = { number: d.number, invoice: d.invoice.number, amount: money(d.amountMinor, d.currency) };
    events.push({ at: d.createdAt.toISOString(), source: "dispute", code: "disputeOpened", values, actor: null });
    if (d.resolvedAt)
      events.push({
        at: d.resolvedAt.toISOString(),
        source: "dispute",
        code: "disputeClosed",
        values: { ...values, status: { key: `collections:disputeStatus.${d.status}` } },
        actor: null,
      });
  }
  return events;
};

const promises: TimelineSource = async (accountId, take) => {
  const rows = await db().promiseToPay.findMany({ where: { accountId }, orderBy: { createdAt: "desc" }, take });
  const events: TimelineEvent[] = [];
  const names = await repNames(rows.map((r) => r.createdById));
  for (const p of rows) {
    const values = { amount: money(p.amountMinor, p.currency), date: p.promisedFor.toISOString().slice(0, 10) };
    events.push({
      at: p.createdAt.toISOString(),
      source: "promise",
      code: p.byCustomer ? "promiseByCustomer" : "promiseByRep",
      values,
      actor: p.createdById ? (names.get(p.createdById) ?? null) : null,
      detail: p.note,
    });
    if (p.resolvedAt && (p.status === "KEPT" || p.status === "BROKEN")) {
      events.push({ at: p.resolvedAt.toISOString(), source: "promise", code: p.status === "KEPT" ? "promiseKept" : "promiseBroken", values, actor: null });
    }
  }
  return events;
};

const holds: TimelineSource = async (accountId, take) => {
  const rows = await db().order.findMany({ where: { accountId, heldAt: { not: null } }, orderBy: { heldAt: "desc" }, take });
  const names = await repNames(rows.map((r) => r.releasedById));
  const events: TimelineEvent[] = [];
  for (const o of rows) {
    const values = {
      order: o.number,
      amount: money(o.amountMinor, o.currency),
      reason: { key: `collections:holdReasons.${o.holdReason ?? "ACCOUNT_ON_HOLD"}` },
    };
    events.push({ at: o.heldAt!.toISOString(), source: "hold", code: "orderHeld", values, actor: null });
    if (o.releasedAt)
      events.push({
        at: o.releasedAt.toISOString(),
        source: "hold",
        code: "orderReleased",
        values,
        actor: o.releasedById ? (names.get(o.releasedById) ?? null) : null,
        detail: o.releaseNote,
      });
  }
  return events;
};

/** Every source the timeline draws from. Add a source here to put a new kind of event on it. */
export const TIMELINE_SOURCES: Record<string, TimelineSource> = {
  contacts,
  notes,
  conversations,
  credit,
  disputes,
  promises,
  holds,
  accountHolds,
  dunningSteps,
  writeOffs,
  finalDemands,
};

/** Oldest first: by time, then by a record's own step order, then by source. */
function chronological(a: TimelineEvent, b: TimelineEvent): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if ((a.seq ?? 0) !== (b.seq ?? 0)) return (a.seq ?? 0) - (b.seq ?? 0);
  return a.source.localeCompare(b.source);
}

/**
 * The latest `take` events, newest first. Each source reads at most `take` rows with its
 * own index, so a long history costs the same as a short one.
 */
export async function accountTimeline(accountId: string, options: { take?: number; sources?: Record<string, TimelineSource> } = {}): Promise<TimelineEvent[]> {
  const take = options.take ?? 100;
  const lists = await Promise.all(Object.values(options.sources ?? TIMELINE_SOURCES).map((source) => source(accountId, take)));
  return lists
    .flat()
    .sort((a, b) => chronological(b, a))
    .slice(0, take);
}
