import { Prisma } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import type { WireMessage } from "./schemas";
import { storedEventOf } from "../../i18n/stored-event";

/** Reading messages: as sent on the wire, catch-up by seq, and delivered/read marks. No sockets here — `server/chat/` calls these. */

export type MessageRow = Prisma.MessageGetPayload<object>;

export function toWire(m: MessageRow): WireMessage {
  return {
    seq: m.seq.toString(),
    conversationId: m.conversationId,
    authorKind: m.authorKind,
    authorId: m.authorId,
    body: m.body,
    // Rows stored by the fast insert path come without the column: a person's message has no event.
    event: storedEventOf(m.event),
    internal: m.internal,
    clientMessageId: m.clientMessageId,
    createdAt: m.createdAt.toISOString(),
    deliveredAt: m.deliveredAt?.toISOString() ?? null,
    readAt: m.readAt?.toISOString() ?? null,
  };
}

/** Everything after `afterSeq`, oldest first. Customers never get internal notes. */
export async function messagesAfter(conversationId: string, afterSeq: bigint, side: "customer" | "rep") {
  const rows = await db().message.findMany({
    where: { conversationId, seq: { gt: afterSeq }, ...(side === "customer" ? { internal: false } : {}) },
    orderBy: { seq: "asc" },
    take: 500,
  });
  return rows.map(toWire);
}

/**
 * The reader's side marks the other side's messages up to `uptoSeq` delivered (and read).
 * Returns the seq range that changed, for the other side's ticks.
 */
export async function markMessages(conversationId: string, reader: "customer" | "rep", uptoSeq: bigint, read: boolean) {
  const authorKind = reader === "customer" ? "REP" : "CUSTOMER";
  const now = new Date();
  await db().message.updateMany({ where: { conversationId, authorKind, seq: { lte: uptoSeq }, deliveredAt: null }, data: { deliveredAt: now } });
  if (read) await db().message.updateMany({ where: { conversationId, authorKind, seq: { lte: uptoSeq }, readAt: null }, data: { readAt: now } });
  return { conversationId, uptoSeq: uptoSeq.toString(), by: reader, read };
}
