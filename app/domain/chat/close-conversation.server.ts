import { translatorFor } from "../../i18n/i18n.server";
import type { StoredEvent } from "../../i18n/stored-event";
import { db } from "../../utils/db.server";
import { recordAudit } from "../audit/audit.server";
import type { DISPOSITIONS } from "./schemas";
import { conversationLanguage, systemMessage } from "./system-messages.server";

/** Closing conversations: by a rep with a disposition, or dismissed as spam. */

/**
 * Closes a conversation with a disposition. For a known account it becomes an account
 * note (kind `chat_summary`) with the transcript, so it stays on the account and searchable.
 */
export async function closeConversation(conversationId: string, repId: string, disposition: (typeof DISPOSITIONS)[number]) {
  return db().$transaction(async (tx) => {
    const conversation = await tx.conversation.findUnique({ where: { id: conversationId } });
    if (!conversation || conversation.status === "CLOSED") return false;
    const language = conversationLanguage(conversation.language);
    await tx.conversation.update({ where: { id: conversationId }, data: { status: "CLOSED", closedAt: new Date(), disposition } });
    await systemMessage(tx, conversationId, language, "closed");
    if (conversation.accountId) {
      const t = await translatorFor("en");
      const messages = await tx.message.findMany({ where: { conversationId }, orderBy: { seq: "asc" } });
      const lines = messages.map(
        (m) => `[${m.createdAt.toISOString().slice(0, 16).replace("T", " ")}] ${m.internal ? "(internal) " : ""}${m.authorKind}: ${m.body}`,
      );
      const event: StoredEvent = {
        code: "chat:note.summary",
        values: { topic: { key: `chat:topics.${conversation.topic}` }, disposition: { key: `chat:dispositions.${disposition}` } },
        detail: lines.join("\n"),
      };
      await tx.accountNote.create({
        data: {
          accountId: conversation.accountId,
          authorId: repId,
          kind: "chat_summary",
          body: `${t("chat:note.summary", { topic: t(`chat:topics.${conversation.topic}`), disposition: t(`chat:dispositions.${disposition}`) })}\n${lines.join("\n")}`,
          event,
        },
      });
    }
    await recordAudit(
      {
        actorId: repId,
        accountId: conversation.accountId,
        entity: "Conversation",
        entityId: conversationId,
        action: "chat.closed",
        before: { status: conversation.status, assignedRepId: conversation.assignedRepId },
        after: { status: "CLOSED", disposition },
      },
      tx,
    );
    return true;
  });
}

/** Closed as spam: kept apart from the dispositions a rep picks when closing a real chat, and from missed-chat counts. */
export const SPAM_DISPOSITION = "spam";

/**
 * Closes several waiting conversations as spam in one go (a flood of guest chats).
 * Only chats nobody else is working on: waiting in the queue or for an email reply,
 * or assigned to the acting rep. Each is closed with a conditional update, so a chat a
 * rep took a moment ago stays open; each closing is audited. Returns the ids closed.
 */
export async function dismissAsSpam(repId: string, conversationIds: string[]): Promise<string[]> {
  const closed: string[] = [];
  for (const conversationId of new Set(conversationIds)) {
    const done = await db().$transaction(async (tx) => {
      const conversation = await tx.conversation.findUnique({ where: { id: conversationId } });
      if (!conversation) return false;
      const claimed = await tx.conversation.updateMany({
        where: {
          id: conversationId,
          OR: [{ status: { in: ["QUEUED", "WAITING_EMAIL"] } }, { status: "ASSIGNED", assignedRepId: repId }],
        },
        data: { status: "CLOSED", closedAt: new Date(), disposition: SPAM_DISPOSITION },
      });
      if (claimed.count !== 1) return false;
      await systemMessage(tx, conversationId, conversationLanguage(conversation.language), "closed");
      await recordAudit(
        {
          actorId: repId,
          accountId: conversation.accountId,
          entity: "Conversation",
          entityId: conversationId,
          action: "chat.dismissed_spam",
          before: { status: conversation.status, assignedRepId: conversation.assignedRepId },
          after: { status: "CLOSED", disposition: SPAM_DISPOSITION },
        },
        tx,
      );
      return true;
    });
    if (done) closed.push(conversationId);
  }
  return closed;
}
