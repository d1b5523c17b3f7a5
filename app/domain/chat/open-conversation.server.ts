import crypto from "node:crypto";
import { portalCookie } from "../../utils/cookies.server";
import type { z } from "zod";
import type { Language } from "../../i18n/config";
import { db } from "../../utils/db.server";
import type { guestChatSchema, openChatSchema } from "./schemas";
import { systemMessage } from "./system-messages.server";

/**
 * Starting a conversation: a signed-in customer's or a guest's, and who may see it
 * afterwards. No sockets here — `server/chat/` calls these.
 */

// ───────────────────────── guest token ─────────────────────────

/** A guest's only credential: a random token in an httpOnly cookie, stored hashed on one conversation. */
export const guestChatCookie = portalCookie("chat_guest", { path: "/", httpOnly: true, sameSite: "lax", maxAge: 60 * 60 * 24 });

export function hashGuestToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export async function guestConversationFromCookie(cookieHeader: string | null | undefined) {
  if (!cookieHeader) return null;
  const token = await guestChatCookie.parse(cookieHeader);
  if (typeof token !== "string" || token.length < 20) return null;
  return db().conversation.findUnique({ where: { guestTokenHash: hashGuestToken(token) } });
}
/** A signed-in customer's chat: the account comes from the session. An open one is reused. */
export async function openCustomerConversation(user: { id: string; accountId: string }, language: Language, input: z.infer<typeof openChatSchema>) {
  const existing = await db().conversation.findFirst({
    where: { customerUserId: user.id, channel: "CHAT", status: { in: ["QUEUED", "ASSIGNED"] } },
    orderBy: { createdAt: "desc" },
  });
  if (existing) return { conversation: existing, created: false };
  const conversation = await db().$transaction(async (tx) => {
    const row = await tx.conversation.create({
      data: {
        channel: "CHAT",
        topic: input.topic,
        invoiceRef: input.invoiceRef,
        language,
        status: "QUEUED",
        queuedAt: new Date(),
        accountId: user.accountId,
        customerUserId: user.id,
        lastMessageAt: new Date(),
      },
    });
    await systemMessage(tx, row.id, language, "opened");
    return row;
  });
  return { conversation, created: true };
}

/**
 * A guest's chat. The account number they type is an unverified claim: it is shown
 * to the rep as an internal note, and never links the guest to that account's data.
 */
export async function openGuestConversation(language: Language, input: z.infer<typeof guestChatSchema>) {
  const token = crypto.randomBytes(32).toString("base64url");
  const conversation = await db().$transaction(async (tx) => {
    const row = await tx.conversation.create({
      data: {
        channel: "CHAT",
        topic: input.topic,
        invoiceRef: input.invoiceRef,
        language,
        status: "QUEUED",
        queuedAt: new Date(),
        guestName: input.name,
        guestEmail: input.email.toLowerCase(),
        guestTokenHash: hashGuestToken(token),
        lastMessageAt: new Date(),
      },
    });
    if (input.accountNumber) await systemMessage(tx, row.id, language, "guestAccountClaim", { number: input.accountNumber }, { internal: true });
    await systemMessage(tx, row.id, language, "opened");
    return row;
  });
  return { conversation, token };
}

/** A customer may touch a conversation only if it is theirs (signed in) or the one their guest token opened. */
export async function customerCanAccess(conversationId: string, who: { userId?: string; guestConversationId?: string }) {
  if (who.guestConversationId) return who.guestConversationId === conversationId;
  if (!who.userId) return false;
  const row = await db().conversation.findUnique({ where: { id: conversationId }, select: { customerUserId: true } });
  return !!row && row.customerUserId === who.userId;
}
