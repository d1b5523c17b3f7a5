/** Reading disputes: one as its viewer may see it, an account's list, and the rep queue. */
import type { Prisma } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { toMinor, type Money } from "../money/money";
import { OPEN_DISPUTE_STATUSES } from "./dispute-schemas";
import { creditableMinor } from "./resolve-dispute.server";

export type DisputeView = {
  id: string;
  number: string;
  status: string;
  reason: string;
  language: string;
  amount: Money;
  createdAt: string;
  resolution: string | null;
  invoice: { id: string; number: string; balance: Money; status: string };
  account: { id: string; legalName: string; number: string };
  assignedTo: { id: string; name: string } | null;
  lines: { lineNo: number; description: string; amount: Money }[];
  messages: {
    id: string;
    body: string;
    internal: boolean;
    createdAt: string;
    author: string | null;
    fromCustomer: boolean;
    attachments: { id: string; fileName: string; sizeBytes: number }[];
  }[];
  pendingMemo: { id: string; number: string; amount: Money; requiredLevel: string | null } | null;
  memos: { id: string; number: string; amount: Money; status: string }[];
  /** The part of this dispute's posted memo that became account credit (above the invoice's balance). */
  accountCredit: Money | null;
  /** What a memo may still credit: the invoice's total less posted memos and write-offs, at most the disputed amount. */
  creditable: Money;
};

/**
 * One dispute as `viewer` may see it: a customer only their account's, and never the
 * internal notes; staff any. Null when not found (or not theirs).
 */
export async function disputeFor(viewer: { role: string; accountId: string | null }, disputeId: string): Promise<DisputeView | null> {
  const staff = viewer.role === "REP" || viewer.role === "MANAGER";
  const d = await db().dispute.findFirst({
    where: { id: disputeId, ...(staff ? {} : { accountId: viewer.accountId ?? "-" }) },
    include: {
      invoice: { select: { id: true, number: true, balanceMinor: true, status: true, totalMinor: true } },
      account: { select: { id: true, legalName: true, number: true } },
      lines: { include: { invoiceLine: { select: { lineNo: true, description: true } } } },
      messages: { where: staff ? {} : { internal: false }, orderBy: { createdAt: "asc" }, include: { attachments: true } },
      adjustments: { orderBy: { createdAt: "asc" }, include: { accountCredit: { select: { amountMinor: true } } } },
    },
  });
  if (!d) return null;
  const creditable = await creditableMinor(db(), d.invoice, d.amountMinor);
  const credited = d.adjustments.find((a) => a.status === "POSTED" && a.accountCredit)?.accountCredit ?? null;
  const authorIds = [...new Set([d.assignedToId, ...d.messages.map((m) => m.authorId)].filter((x): x is string => Boolean(x)))];
  const authors = new Map((await db().user.findMany({ where: { id: { in: authorIds } }, select: { id: true, name: true, role: true } })).map((u) => [u.id, u]));
  const m = (v: bigint): Money => ({ amountMinor: toMinor(v), currency: d.currency });
  const pending = d.adjustments.find((a) => a.status === "PENDING_APPROVAL");
  return {
    id: d.id,
    number: d.number,
    status: d.status,
    reason: d.reason,
    language: d.language,
    amount: m(d.amountMinor),
    createdAt: d.createdAt.toISOString(),
    resolution: d.resolution,
    invoice: { id: d.invoice.id, number: d.invoice.number, balance: m(d.invoice.balanceMinor), status: d.invoice.status },
    account: d.account,
    assignedTo: d.assignedToId ? { id: d.assignedToId, name: authors.get(d.assignedToId)?.name ?? "" } : null,
    lines: d.lines
      .map((l) => ({ lineNo: l.invoiceLine.lineNo, description: l.invoiceLine.description, amount: m(l.amountMinor) }))
      .sort((a, b) => a.lineNo - b.lineNo),
    messages: d.messages.map((msg) => {
      const author = msg.authorId ? authors.get(msg.authorId) : undefined;
      return {
        id: msg.id,
        body: msg.body,
        internal: msg.internal,
        createdAt: msg.createdAt.toISOString(),
        author: author?.name ?? null,
        fromCustomer: author?.role === "CUSTOMER",
        attachments: msg.attachments.map((a) => ({ id: a.id, fileName: a.fileName, sizeBytes: a.sizeBytes })),
      };
    }),
    pendingMemo: pending ? { id: pending.id, number: pending.number, amount: m(pending.amountMinor), requiredLevel: pending.requiredLevel } : null,
    memos: d.adjustments.map((a) => ({ id: a.id, number: a.number, amount: m(a.amountMinor), status: a.status })),
    accountCredit: credited ? m(credited.amountMinor) : null,
    creditable: { amountMinor: creditable, currency: d.currency },
  };
}

export async function disputesOfAccount(accountId: string) {
  const rows = await db().dispute.findMany({
    where: { accountId },
    orderBy: { createdAt: "desc" },
    take: 200,
    include: { invoice: { select: { id: true, number: true } } },
  });
  return rows.map((d) => ({
    id: d.id,
    number: d.number,
    status: d.status,
    reason: d.reason,
    createdAt: d.createdAt.toISOString(),
    amount: { amountMinor: toMinor(d.amountMinor), currency: d.currency },
    invoice: d.invoice,
  }));
}

/** The rep queue: open, in review and escalated disputes, oldest first. */
export async function disputeQueue(filter: { assigned?: "me" | "unassigned"; repId: string }) {
  const where: Prisma.DisputeWhereInput = { status: { in: [...OPEN_DISPUTE_STATUSES] } };
  if (filter.assigned === "me") where.assignedToId = filter.repId;
  if (filter.assigned === "unassigned") where.assignedToId = null;
  const rows = await db().dispute.findMany({
    where,
    orderBy: { createdAt: "asc" },
    take: 200,
    include: { account: { select: { legalName: true, number: true } }, invoice: { select: { number: true } } },
  });
  const reps = new Map(
    (
      await db().user.findMany({
        where: { id: { in: rows.map((r) => r.assignedToId).filter((x): x is string => Boolean(x)) } },
        select: { id: true, name: true },
      })
    ).map((u) => [u.id, u.name]),
  );
  return rows.map((d) => ({
    id: d.id,
    number: d.number,
    status: d.status,
    reason: d.reason,
    language: d.language,
    createdAt: d.createdAt.toISOString(),
    amount: { amountMinor: toMinor(d.amountMinor), currency: d.currency },
    account: d.account,
    invoiceNumber: d.invoice.number,
    assignedTo: d.assignedToId ? (reps.get(d.assignedToId) ?? null) : null,
  }));
}
