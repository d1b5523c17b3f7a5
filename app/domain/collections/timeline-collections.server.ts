/**
 * The timeline sources of collections work itself: dunning steps, write-offs (proposed,
 * approved, rejected, posted), final demand letters and agency referrals, and the
 * account's own credit hold placed and lifted. Each reads its own rows, newest first and
 * limited, like the sources in timeline.server.ts.
 */
import { db } from "../../utils/db.server";
import { toMinor, type Money } from "../money/money";
import { repNames } from "./contacts.server";
import type { TimelineEvent, TimelineSource } from "./timeline.server";

const money = (amountMinor: bigint | number, currency: string): Money => ({ amountMinor: toMinor(amountMinor), currency });

/** Steps the dunning emails have words for; a policy step named otherwise reads as "a reminder". */
const NAMED_STEPS = new Set(["courtesy", "due", "past_due_7", "past_due_15", "past_due_30"]);

export const dunningSteps: TimelineSource = async (accountId, take) => {
  const rows = await db().dunningNotice.findMany({ where: { accountId }, orderBy: { createdAt: "desc" }, take });
  const invoices = await db().invoice.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.invoiceId))] } }, select: { id: true, number: true } });
  const numbers = new Map(invoices.map((i) => [i.id, i.number]));
  return rows.map((r) => ({
    at: r.createdAt.toISOString(),
    source: "dunning",
    code: r.outcome === "SENT" ? "dunningSent" : "dunningNoContact",
    values: {
      step: { key: `mail:dunning_notice.steps.${NAMED_STEPS.has(r.step) ? r.step : "other"}` },
      invoice: numbers.get(r.invoiceId) ?? "",
      amount: money(r.amountMinor, r.currency),
    },
    actor: null,
  }));
};

export const writeOffs: TimelineSource = async (accountId, take) => {
  const rows = await db().writeOffRequest.findMany({ where: { accountId }, orderBy: { createdAt: "desc" }, take });
  const [names, invoices, adjustments] = await Promise.all([
    repNames(rows.flatMap((r) => [r.requestedById, r.decidedById])),
    db().invoice.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.invoiceId))] } }, select: { id: true, number: true } }),
    db().adjustment.findMany({
      where: { id: { in: rows.map((r) => r.adjustmentId).filter((id): id is string => Boolean(id)) } },
      select: { id: true, number: true, postedAt: true, createdAt: true },
    }),
  ]);
  const numbers = new Map(invoices.map((i) => [i.id, i.number]));
  const posted = new Map(adjustments.map((a) => [a.id, a]));
  const events: TimelineEvent[] = [];
  for (const r of rows) {
    const values = { invoice: numbers.get(r.invoiceId) ?? "", amount: money(r.amountMinor, r.currency) };
    const name = (id: string | null) => (id ? (names.get(id) ?? null) : null);
    // seq orders the steps of one request that share a moment (proposed and posted at once within authority).
    events.push({
      at: r.createdAt.toISOString(),
      seq: 0,
      source: "writeOff",
      code: "writeOffProposed",
      values,
      actor: name(r.requestedById),
      detail: r.reason,
    });
    // Within the proposer's authority there is no separate approval: it posts at once.
    if (r.decidedAt && r.requiredLevel !== null) {
      events.push({
        at: r.decidedAt.toISOString(),
        seq: 1,
        source: "writeOff",
        code: r.status === "REJECTED" ? "writeOffRejected" : "writeOffApproved",
        values,
        actor: name(r.decidedById),
        detail: r.decisionNote,
      });
    }
    const adjustment = r.adjustmentId ? posted.get(r.adjustmentId) : undefined;
    if (adjustment) {
      events.push({
        at: (adjustment.postedAt ?? adjustment.createdAt).toISOString(),
        seq: 2,
        source: "writeOff",
        code: "writeOffPosted",
        values: { ...values, adjustment: adjustment.number },
        actor: name(r.decidedById),
      });
    }
  }
  return events;
};

export const finalDemands: TimelineSource = async (accountId, take) => {
  const [letters, referrals] = await Promise.all([
    db().finalDemandLetter.findMany({ where: { accountId }, orderBy: { createdAt: "desc" }, take }),
    db().agencyReferral.findMany({ where: { accountId }, orderBy: { createdAt: "desc" }, take }),
  ]);
  const names = await repNames([...letters.map((l) => l.createdById), ...referrals.map((r) => r.decidedById)]);
  return [
    ...letters.map((l): TimelineEvent => ({
      at: l.createdAt.toISOString(),
      source: "finalDemand",
      code: "finalDemandIssued",
      values: { amount: money(l.pastDueMinor, l.currency), language: { key: `collections:languages.${l.language === "es" ? "es" : "en"}` } },
      actor: names.get(l.createdById) ?? null,
    })),
    ...referrals.map((r): TimelineEvent => ({
      at: r.createdAt.toISOString(),
      source: "finalDemand",
      code: "agencyReferral",
      values: { agency: r.agencyName },
      actor: names.get(r.decidedById) ?? null,
      detail: r.reason,
    })),
  ];
};

/** The account's own credit hold (new orders held), as the audit trail recorded it. */
export const accountHolds: TimelineSource = async (accountId, take) => {
  const rows = await db().auditLog.findMany({
    where: { accountId, entity: "Account", action: { in: ["credit_hold_placed", "credit_hold_lifted"] } },
    orderBy: { createdAt: "desc" },
    take,
    include: { actor: { select: { name: true } } },
  });
  return rows.map((r): TimelineEvent => {
    const after = (r.after ?? {}) as { pastDueMinor?: number; currency?: string };
    return r.action === "credit_hold_placed"
      ? {
          at: r.createdAt.toISOString(),
          source: "hold",
          code: "accountHoldPlaced",
          values: { amount: money(after.pastDueMinor ?? 0, after.currency ?? "USD") },
          actor: r.actor?.name ?? null,
        }
      : { at: r.createdAt.toISOString(), source: "hold", code: "accountHoldLifted", values: {}, actor: r.actor?.name ?? null };
  });
};
