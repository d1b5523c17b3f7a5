/**
 * Loads audit rows for a history list with what the renderer (history.ts) needs: the
 * actor's name and level, and readable references for the rows' subjects and for ids
 * their values name — so no database id reaches the page.
 */
import type { Prisma } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import type { HistoryEntry } from "./history";

type Ref = { number: string; currency: string | null };

async function referencesFor(entity: string, ids: string[]): Promise<Map<string, Ref>> {
  const map = new Map<string, Ref>();
  if (!ids.length) return map;
  const where = { id: { in: ids } };
  const put = (rows: { id: string; number: string; currency?: string | null }[]) =>
    rows.forEach((r) => map.set(r.id, { number: r.number, currency: r.currency ?? null }));
  switch (entity) {
    case "Payment":
      put(await db().payment.findMany({ where, select: { id: true, number: true, currency: true } }));
      break;
    case "Invoice":
      put(await db().invoice.findMany({ where, select: { id: true, number: true, currency: true } }));
      break;
    case "Order":
      put(await db().order.findMany({ where, select: { id: true, number: true, currency: true } }));
      break;
    case "Dispute":
      put(await db().dispute.findMany({ where, select: { id: true, number: true, currency: true } }));
      break;
    case "Account":
      put(await db().account.findMany({ where, select: { id: true, number: true, currency: true } }));
      break;
    case "CreditApplication":
      put(await db().creditApplication.findMany({ where, select: { id: true, number: true } }));
      break;
  }
  return map;
}

export async function loadHistory(where: Prisma.AuditLogWhereInput, options: { newestFirst?: boolean; take?: number } = {}): Promise<HistoryEntry[]> {
  const rows = await db().auditLog.findMany({
    where,
    orderBy: { createdAt: options.newestFirst ? "desc" : "asc" },
    take: options.take ?? 200,
    include: { actor: { select: { name: true, staffLevel: true } }, account: { select: { currency: true } } },
  });
  const byEntity = new Map<string, Set<string>>();
  const want = (entity: string, id: string) => byEntity.set(entity, (byEntity.get(entity) ?? new Set()).add(id));
  for (const r of rows) {
    want(r.entity, r.entityId);
    const after = (r.after ?? {}) as Record<string, unknown>;
    if (typeof after.paymentId === "string") want("Payment", after.paymentId);
  }
  const refs = new Map<string, Map<string, Ref>>();
  await Promise.all([...byEntity].map(async ([entity, ids]) => refs.set(entity, await referencesFor(entity, [...ids]))));
  const payments = refs.get("Payment") ?? new Map<string, Ref>();
  return rows.map((r) => {
    const subject = refs.get(r.entity)?.get(r.entityId) ?? null;
    const after = (r.after ?? {}) as Record<string, unknown>;
    const named: Record<string, string> = {};
    if (typeof after.paymentId === "string" && payments.has(after.paymentId)) named[after.paymentId] = payments.get(after.paymentId)!.number;
    return {
      id: r.id,
      at: r.createdAt.toISOString(),
      action: r.action,
      entity: r.entity,
      subject: subject?.number ?? null,
      currency: subject?.currency ?? r.account?.currency ?? null,
      actor: r.actor ? { name: r.actor.name, level: r.actor.staffLevel ?? null } : null,
      before: (r.before ?? {}) as Record<string, unknown>,
      after,
      refs: named,
    };
  });
}

/** What the applicant (rather than a rep or the system) does on an application. */
const APPLICANT_EVENTS = new Set(["submitted", "info_provided", "offer_accepted", "offer_declined", "document_uploaded"]);

/** Events whose text was written to the applicant (a question, a reason, their answer); the rest is internal. */
export const APPLICANT_VISIBLE_MESSAGES = new Set(["info_requested", "declined", "counter_offered", "info_provided", "offer_declined", "document_uploaded"]);

type ApplicationEventRow = { id: string; kind: string; message: string | null; actorId: string | null; createdAt: Date };

/**
 * A credit application's own events as history entries, for the same renderer: the kind
 * is the action, the actor is the rep (with level) or the customer who acted, and an
 * event with no recorded actor is the applicant's own step or the system's.
 */
export async function applicationHistory(
  application: { number: string; currency: string | null; applicantName: string; events: ApplicationEventRow[] },
  options: { showMessage?: (kind: string) => boolean } = {},
): Promise<HistoryEntry[]> {
  const ids = [...new Set(application.events.map((e) => e.actorId).filter((id): id is string => Boolean(id)))];
  const people = ids.length ? await db().user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, staffLevel: true } }) : [];
  const byId = new Map(people.map((p) => [p.id, { name: p.name, level: p.staffLevel ?? null }]));
  const showMessage = options.showMessage ?? (() => true);
  return application.events.map((e) => {
    const actor = e.actorId ? (byId.get(e.actorId) ?? null) : APPLICANT_EVENTS.has(e.kind) ? { name: application.applicantName, level: null } : null;
    const after: Record<string, unknown> = {};
    if (e.message && showMessage(e.kind)) {
      if (e.kind === "escalated") after.requiredLevel = e.message;
      else if (e.kind === "document_uploaded") after.fileName = e.message;
      else after.message = e.message;
    }
    return {
      id: e.id,
      at: e.createdAt.toISOString(),
      action: e.kind,
      entity: "CreditApplication",
      subject: application.number,
      currency: application.currency,
      actor,
      before: {},
      after,
      refs: {},
    };
  });
}
