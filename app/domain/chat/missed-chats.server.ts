import type { Prisma } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { recordAudit } from "../audit/audit.server";

/**
 * A visitor offered "leave a message" (after hours, or nobody online for the language)
 * is not waiting for a live rep: the chat stays out of the live queue, and a visitor who
 * leaves there without writing is closed as missed — counted in reports, never routed
 * to a rep next morning.
 */

/**
 * In line for a live rep: never offered the offline form, or offered it only because nobody
 * for the language was online during opening hours — that visitor may still be waiting on
 * the page, and the first rep who comes online takes them. After hours, the offer takes the
 * chat out of line: nobody is routed a visitor from last night.
 */
export const IN_LIVE_QUEUE = { OR: [{ offlineOfferedAt: null }, { offlineReason: "no_rep_for_language" }] } satisfies Prisma.ConversationWhereInput;

/** Closed because the visitor left at the offline offer without writing; kept apart from a rep's dispositions. */
export const MISSED_DISPOSITION = "missed";

/** The visitor was just offered the offline form: the chat leaves the live queue (once; the first reason stays). */
export async function offerOffline(conversationId: string, reason: "outside_hours" | "no_rep_for_language", now = new Date()): Promise<void> {
  await db().conversation.updateMany({
    where: { id: conversationId, status: "QUEUED", channel: "CHAT", offlineOfferedAt: null },
    data: { offlineOfferedAt: now, offlineReason: reason },
  });
}

/**
 * The visitor left (no socket of theirs in the conversation any more). Closed as missed
 * only if it is still an offline offer nobody wrote into; a conditional update, so two
 * instances noticing the same departure close it once. Returns whether it closed.
 */
export async function closeIfMissed(conversationId: string, now = new Date()): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.conversation.updateMany({
      where: { id: conversationId, status: "QUEUED", channel: "CHAT", offlineOfferedAt: { not: null }, messages: { none: { authorKind: "CUSTOMER" } } },
      data: { status: "CLOSED", closedAt: now, disposition: MISSED_DISPOSITION },
    });
    if (count !== 1) return false;
    const c = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { accountId: true, offlineReason: true } });
    await recordAudit(
      {
        actorId: null,
        accountId: c.accountId,
        entity: "Conversation",
        entityId: conversationId,
        action: "chat.missed",
        before: { status: "QUEUED" },
        after: { status: "CLOSED", disposition: MISSED_DISPOSITION, reason: c.offlineReason },
      },
      tx,
    );
    return true;
  });
}

/** Offline offers still open after `olderThanSeconds`: candidates for closing when their visitor is gone (a missed disconnect, a restart). */
export async function pendingOfflineOffers(olderThanSeconds: number, now = new Date()): Promise<string[]> {
  const rows = await db().conversation.findMany({
    where: { status: "QUEUED", channel: "CHAT", offlineOfferedAt: { lte: new Date(now.getTime() - olderThanSeconds * 1000) } },
    select: { id: true },
    take: 200,
  });
  return rows.map((r) => r.id);
}
