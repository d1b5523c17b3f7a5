import { storedEventOf } from "../../i18n/stored-event";
import { accountSummary } from "../accounts/account-summary.server";
import { toMinor } from "../money/money";
import { db } from "../../utils/db.server";
import { inDisputeOf } from "../accounts/aging";
import { OPEN_DISPUTE_STATUSES } from "../disputes/dispute-schemas";

/**
 * The account beside a conversation in the rep console: credit position (the same
 * summary as the account page), open disputes, open promises to pay, recent invoices and notes.
 */
export async function accountGlance(accountId: string) {
  const summary = await accountSummary(accountId);
  if (!summary) return null;
  const [openDisputes, invoices, notes, promises] = await Promise.all([
    db().dispute.count({ where: { accountId, status: { in: [...OPEN_DISPUTE_STATUSES] } } }),
    db().invoice.findMany({
      where: { accountId },
      orderBy: [{ dueOn: "asc" }],
      take: 50,
      select: {
        id: true,
        number: true,
        currency: true,
        dueOn: true,
        balanceMinor: true,
        totalMinor: true,
        status: true,
        disputes: { where: { status: { in: [...OPEN_DISPUTE_STATUSES] } }, select: { amountMinor: true } },
      },
    }),
    db().accountNote.findMany({
      where: { accountId },
      orderBy: { createdAt: "desc" },
      take: 3,
      select: { id: true, kind: true, body: true, event: true, createdAt: true },
    }),
    db().promiseToPay.findMany({
      where: { accountId, status: "OPEN" },
      orderBy: [{ promisedFor: "asc" }, { createdAt: "asc" }],
      take: 5,
      select: { id: true, amountMinor: true, currency: true, promisedFor: true, note: true },
    }),
  ]);
  const today = new Date().toISOString().slice(0, 10);
  const open = invoices.filter((i) => i.balanceMinor > 0n && (i.status === "OPEN" || i.status === "PARTIALLY_PAID"));
  // Past-due first (oldest due date), then the rest: what a rep wants to talk about.
  const recent = (open.length ? open : invoices).slice(0, 6).map((i) => {
    const balanceMinor = toMinor(i.balanceMinor);
    const inDispute = inDisputeOf({ dueOn: i.dueOn, balanceMinor, disputedMinor: i.disputes.reduce((sum, d) => sum + toMinor(d.amountMinor), 0) });
    return {
      id: i.id,
      number: i.number,
      dueOn: i.dueOn.toISOString().slice(0, 10),
      // Money under open dispute is not past-due pressure: an invoice disputed in full is not flagged.
      pastDue: i.dueOn.toISOString().slice(0, 10) < today && balanceMinor - inDispute > 0,
      inDispute: { amountMinor: inDispute, currency: i.currency },
      balance: { amountMinor: balanceMinor, currency: i.currency },
      status: i.status,
    };
  });
  return {
    summary,
    openDisputes,
    invoices: recent,
    // Soonest first; a promise whose date has gone by is still open until someone marks it kept or broken.
    openPromises: promises.map((p) => {
      const promisedFor = p.promisedFor.toISOString().slice(0, 10);
      return { id: p.id, amount: { amountMinor: toMinor(p.amountMinor), currency: p.currency }, promisedFor, overdue: promisedFor < today, note: p.note };
    }),
    notes: notes.map((n) => ({
      id: n.id,
      kind: n.kind,
      body: n.body.split("\n")[0].slice(0, 200),
      event: storedEventOf(n.event),
      createdAt: n.createdAt.toISOString(),
    })),
  };
}

export type AccountGlance = NonNullable<Awaited<ReturnType<typeof accountGlance>>>;
