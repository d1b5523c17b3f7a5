import { Prisma } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";

/** The reps' inbox: open conversations, waiting and assigned, with their unread counts. */

/** Display name of the customer side of a conversation. */
export function customerNameOf(c: { guestName: string | null; customerUser?: { name: string } | null }): string {
  return c.customerUser?.name ?? c.guestName ?? "";
}

export async function inboxFor(repId: string) {
  const open = await db().conversation.findMany({
    // An after-hours offer nobody wrote into is no one's work: it closes as missed when its visitor leaves.
    where: {
      status: { in: ["QUEUED", "ASSIGNED", "WAITING_EMAIL"] },
      NOT: { offlineOfferedAt: { not: null }, offlineReason: "outside_hours", messages: { none: { authorKind: "CUSTOMER" } } },
    },
    orderBy: [{ queuedAt: "asc" }, { createdAt: "asc" }],
    take: 300,
    include: { customerUser: { select: { name: true } }, account: { select: { legalName: true } }, assignedRep: { select: { name: true } } },
  });
  const unread = await db().message.groupBy({
    by: ["conversationId"],
    where: { conversationId: { in: open.map((c) => c.id) }, authorKind: "CUSTOMER", readAt: null },
    _count: { _all: true },
  });
  const unreadBy = new Map(unread.map((u) => [u.conversationId, u._count._all]));
  const items = open.map((c) => inboxItem(c, unreadBy.get(c.id) ?? 0));
  return {
    queued: items.filter((c) => c.status === "QUEUED" || c.status === "WAITING_EMAIL"),
    mine: items.filter((c) => c.status === "ASSIGNED" && c.assignedRepId === repId),
    team: items.filter((c) => c.status === "ASSIGNED" && c.assignedRepId !== repId),
  };
}

export async function inboxItemById(conversationId: string) {
  const c = await db().conversation.findUnique({
    where: { id: conversationId },
    include: { customerUser: { select: { name: true } }, account: { select: { legalName: true } }, assignedRep: { select: { name: true } } },
  });
  if (!c) return null;
  const unread = await db().message.count({ where: { conversationId, authorKind: "CUSTOMER", readAt: null } });
  return inboxItem(c, unread);
}

function inboxItem(
  c: Prisma.ConversationGetPayload<{
    include: { customerUser: { select: { name: true } }; account: { select: { legalName: true } }; assignedRep: { select: { name: true } } };
  }>,
  unread: number,
) {
  return {
    id: c.id,
    channel: c.channel,
    topic: c.topic,
    language: c.language,
    status: c.status,
    invoiceRef: c.invoiceRef,
    customerName: customerNameOf(c),
    accountId: c.accountId,
    accountName: c.account?.legalName ?? null,
    assignedRepId: c.assignedRepId,
    assignedRepName: c.assignedRep?.name ?? null,
    queuedAt: c.queuedAt?.toISOString() ?? null,
    lastMessageAt: c.lastMessageAt?.toISOString() ?? null,
    unread,
  };
}
