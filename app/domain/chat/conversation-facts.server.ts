import { db } from "../../utils/db.server";
import { IN_LIVE_QUEUE } from "./missed-chats.server";

/**
 * The reads the socket layer makes before it answers: who a conversation belongs to and
 * where it stands, its last message, the chats waiting in line. Writes live with the
 * rule that makes them (assignment, conversations, presence).
 */

/** A conversation with its assigned rep's name (for "Carlos is with you"), or throws if it does not exist. */
export function conversationWithRep(conversationId: string) {
  return db().conversation.findUniqueOrThrow({ where: { id: conversationId }, include: { assignedRep: { select: { name: true } } } });
}

/** What a handler checks before letting a socket write to a conversation; null when it does not exist. */
export function conversationFacts(conversationId: string) {
  return db().conversation.findUnique({ where: { id: conversationId }, select: { status: true, assignedRepId: true, channel: true, language: true } });
}

/** The chats waiting in line, oldest first (at most 500: a status refresh goes to each). */
export async function queuedChatIds(): Promise<string[]> {
  const waiting = await db().conversation.findMany({
    where: { status: "QUEUED", channel: "CHAT", ...IN_LIVE_QUEUE },
    orderBy: { queuedAt: "asc" },
    select: { id: true },
    take: 500,
  });
  return waiting.map((c) => c.id);
}

/** The newest message of a conversation (a close's system message, to broadcast). */
export function lastMessage(conversationId: string) {
  return db().message.findFirst({ where: { conversationId }, orderBy: { seq: "desc" } });
}

/** A stored message by its seq, only if it belongs to the conversation named. */
export async function messageOf(conversationId: string, seq: string) {
  const message = await db().message.findUnique({ where: { seq: BigInt(seq) } });
  return message && message.conversationId === conversationId ? message : null;
}
