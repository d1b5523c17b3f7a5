import crypto from "node:crypto";
import { z } from "zod";
import { freeText } from "../../utils/forms";
import { translatorFor } from "../../i18n/i18n.server";
import { formatterFor } from "../../i18n/format";
import { storedText, type StoredEvent } from "../../i18n/stored-event";
import { mailReaderFor } from "../mail/recipient-formatting.server";
import { formattingFor } from "../../i18n/locale";
import { queueEmail } from "../mail/outbox.server";
import { recordAudit } from "../audit/audit.server";
import { db } from "../../utils/db.server";
import { consumeThrottles } from "../security/throttles.server";
import { customerNameOf } from "./inbox.server";
import { storeMessage } from "./store-message.server";
import { conversationLanguage } from "./system-messages.server";
import { MESSAGE_MAX_LENGTH } from "./schemas";

/**
 * The email channel of the chat: a customer who finds nobody online leaves a message
 * (the conversation becomes an EMAIL conversation in the same inbox); a rep's reply
 * goes out by mail in the customer's language; the inbound-mail webhook continues the
 * conversation by thread and sender. Also: a transcript by email on request.
 */

export const leaveMessageSchema = z.object({
  conversationId: z.string().min(1).max(64),
  clientMessageId: z.string().min(1).max(64),
  body: freeText().trim().min(1, "chat:errors.messageRequired").max(MESSAGE_MAX_LENGTH, "chat:errors.messageTooLong"),
});

/** The JSON an inbound-mail provider posts (documented in README). */
export const inboundEmailSchema = z.object({
  from: z.string().min(3).max(320),
  subject: z.string().max(500).default(""),
  text: z.string().max(100_000),
  messageId: z.string().min(1).max(500),
  inReplyTo: z.string().max(500).nullish(),
});

async function withPeople(conversationId: string) {
  return db().conversation.findUnique({
    where: { id: conversationId },
    include: { customerUser: { select: { name: true, email: true, locale: true, timeZone: true } }, assignedRep: { select: { name: true } } },
  });
}

function recipientOf(c: { guestEmail: string | null; customerUser: { email: string } | null }): string | null {
  return c.customerUser?.email ?? c.guestEmail;
}

/** Offline fallback: the chat becomes an email conversation waiting for a rep; the customer gets a receipt in their language. */
export async function leaveMessage(input: z.infer<typeof leaveMessageSchema>, authorId: string | null) {
  const c = await withPeople(input.conversationId);
  if (!c || c.status === "CLOSED") return null;
  const { message, duplicate } = await storeMessage({
    conversationId: c.id,
    authorKind: "CUSTOMER",
    authorId,
    body: input.body,
    clientMessageId: input.clientMessageId,
  });
  if (duplicate) return message;
  await db().$transaction(async (tx) => {
    await tx.conversation.update({
      where: { id: c.id },
      data: { channel: "EMAIL", status: "WAITING_EMAIL", assignedRepId: null, assignedAt: null, emailThreadId: c.emailThreadId ?? `ca-${c.id}` },
    });
    await recordAudit(
      {
        actorId: authorId,
        accountId: c.accountId,
        entity: "Conversation",
        entityId: c.id,
        action: "chat.offline_message",
        before: { channel: c.channel, status: c.status },
        after: { channel: "EMAIL", status: "WAITING_EMAIL" },
      },
      tx,
    );
  });
  const to = recipientOf(c);
  if (to)
    await queueEmail({
      to,
      reader: await mailReaderFor({ ...c.customerUser, accountId: c.accountId }, conversationLanguage(c.language)),
      template: "chat_offline_received",
      values: { name: customerNameOf(c), reference: c.id, body: input.body },
    });
  return message;
}

/** A rep answers an email conversation: stored, then mailed in the customer's language. The replying rep takes it. */
export async function replyByEmail(
  conversationId: string,
  rep: { id: string; name: string },
  body: string,
  clientMessageId: string,
  event: StoredEvent | null = null,
) {
  const c = await withPeople(conversationId);
  if (!c || c.channel !== "EMAIL" || c.status === "CLOSED") return null;
  const { message, duplicate } = await storeMessage({ conversationId, authorKind: "REP", authorId: rep.id, body, clientMessageId, event });
  if (duplicate) return message;
  if (c.assignedRepId !== rep.id) {
    await db().$transaction(async (tx) => {
      await tx.conversation.update({ where: { id: c.id }, data: { assignedRepId: rep.id, assignedAt: new Date() } });
      await recordAudit(
        {
          actorId: rep.id,
          accountId: c.accountId,
          entity: "Conversation",
          entityId: c.id,
          action: "chat.email_taken",
          before: { assignedRepId: c.assignedRepId },
          after: { assignedRepId: rep.id },
        },
        tx,
      );
    });
  }
  const to = recipientOf(c);
  if (to)
    await queueEmail({
      to,
      reader: await mailReaderFor({ ...c.customerUser, accountId: c.accountId }, conversationLanguage(c.language)),
      template: "chat_reply",
      values: { name: customerNameOf(c), body, reference: c.id, repName: rep.name },
    });
  return message;
}

/** Transcript of what the customer saw (never internal notes), mailed in their language. */
export type TranscriptOutcome = { ok: true } | { ok: false; error: "no_email" } | { ok: false; error: "throttled"; retryAfterSeconds: number };

/**
 * Mails the conversation's transcript to its customer. A guest typed that address, so
 * it is limited per recipient (nobody's inbox is flooded through us) and per client.
 */
export async function sendTranscript(conversationId: string, clientIp: string): Promise<TranscriptOutcome> {
  const c = await withPeople(conversationId);
  const to = c && recipientOf(c);
  if (!c || !to) return { ok: false, error: "no_email" };
  const verdict = await consumeThrottles([
    { limit: "transcriptPerRecipient", key: to },
    { limit: "transcriptPerClient", key: clientIp },
  ]);
  if (!verdict.allowed) return { ok: false, error: "throttled", retryAfterSeconds: verdict.retryAfterSeconds };
  const messages = await db().message.findMany({ where: { conversationId, internal: false }, orderBy: { seq: "asc" } });
  const language = conversationLanguage(c.language);
  // The customer's own time zone and figures (their account's); a guest's are their language's.
  const reader = await mailReaderFor({ ...c.customerUser, accountId: c.accountId }, language);
  const formatting = formattingFor(language, reader);
  const t = await translatorFor(language, formatting.locale);
  const f = formatterFor(formatting);
  const repIds = [...new Set(messages.flatMap((m) => (m.authorKind === "REP" && m.authorId ? [m.authorId] : [])))];
  const reps = new Map((await db().user.findMany({ where: { id: { in: repIds } }, select: { id: true, name: true } })).map((r) => [r.id, r.name]));
  const transcript = messages
    .map((m) => {
      const text = storedText(m, t, f);
      const who = m.authorKind === "CUSTOMER" ? t("chat:widget.you") : m.authorKind === "REP" ? (reps.get(m.authorId ?? "") ?? t("chat:widget.agent")) : null;
      // A system line has no author: it reads as what happened.
      return `[${f.dateTimeWithZone(m.createdAt)}] ${who ? `${who}: ${text}` : text}`;
    })
    .join("\n");
  await queueEmail({ to, reader, template: "chat_transcript", values: { name: customerNameOf(c), reference: c.id, transcript } });
  return { ok: true };
}

function addressOf(from: string): string | null {
  const match = from.match(/<([^>]+)>/) ?? from.match(/([^\s<>"]+@[^\s<>"]+)/);
  const address = match?.[1]?.trim().toLowerCase();
  return address && z.email().safeParse(address).success ? address : null;
}

/**
 * Inbound mail: continues the sender's conversation found by In-Reply-To, then by the
 * `[#reference]` in the subject, then the sender's latest open email conversation;
 * otherwise opens a new EMAIL conversation. The sender must be that conversation's
 * customer — a reference alone never lets a stranger write into someone's thread.
 * The provider's message id makes a redelivered webhook harmless.
 */
export async function receiveInboundEmail(payload: z.infer<typeof inboundEmailSchema>) {
  const sender = addressOf(payload.from);
  if (!sender) return { ok: false as const, reason: "bad_sender" };
  const already = await db().message.findFirst({ where: { emailMessageId: payload.messageId }, select: { conversationId: true } });
  if (already) return { ok: true as const, conversationId: already.conversationId, duplicate: true };

  const user = await db().user.findUnique({ where: { email: sender }, include: { account: { select: { preferredLanguage: true } } } });
  const senderOwns = (c: { guestEmail: string | null; customerUserId: string | null }) => c.guestEmail === sender || (!!user && c.customerUserId === user.id);
  const candidates: string[] = [];
  if (payload.inReplyTo) {
    const byThread = await db().conversation.findFirst({ where: { emailThreadId: payload.inReplyTo } });
    if (byThread) candidates.push(byThread.id);
    const byMessage = await db().message.findFirst({ where: { emailMessageId: payload.inReplyTo }, select: { conversationId: true } });
    if (byMessage) candidates.push(byMessage.conversationId);
  }
  const reference = payload.subject.match(/\[#([a-z0-9]{10,40})\]/i)?.[1];
  if (reference) candidates.push(reference);
  let conversation = null;
  for (const id of candidates) {
    const c = await db().conversation.findUnique({ where: { id } });
    if (c && senderOwns(c)) {
      conversation = c;
      break;
    }
  }
  conversation ??= await db().conversation.findFirst({
    where: { channel: "EMAIL", status: { not: "CLOSED" }, OR: [{ guestEmail: sender }, ...(user ? [{ customerUserId: user.id }] : [])] },
    orderBy: { lastMessageAt: "desc" },
  });

  const body = payload.text.trim() || payload.subject;
  if (!conversation) {
    const language = user?.preferredLanguage ?? user?.account?.preferredLanguage ?? "en";
    const isCustomer = user?.role === "CUSTOMER";
    conversation = await db().conversation.create({
      data: {
        channel: "EMAIL",
        status: "WAITING_EMAIL",
        language: conversationLanguage(language),
        topic: "OTHER",
        accountId: isCustomer ? user!.accountId : null,
        customerUserId: isCustomer ? user!.id : null,
        guestEmail: isCustomer ? null : sender,
        guestName: isCustomer
          ? null
          : payload.from
              .replace(/<[^>]*>/, "")
              .replace(/"/g, "")
              .trim() || sender,
        emailThreadId: payload.messageId,
        lastMessageAt: new Date(),
      },
    });
  } else if (conversation.status === "CLOSED" || conversation.channel === "CHAT") {
    conversation = await db().conversation.update({ where: { id: conversation.id }, data: { channel: "EMAIL", status: "WAITING_EMAIL" } });
  }
  const { message, duplicate } = await storeMessage({
    conversationId: conversation.id,
    authorKind: "CUSTOMER",
    authorId: user?.role === "CUSTOMER" && conversation.customerUserId === user.id ? user.id : null,
    body: body.slice(0, 4000),
    clientMessageId: `email:${crypto.createHash("sha256").update(payload.messageId).digest("hex").slice(0, 48)}`,
  });
  if (!duplicate) await db().message.update({ where: { seq: message.seq }, data: { emailMessageId: payload.messageId } });
  return { ok: true as const, conversationId: conversation.id, duplicate };
}
