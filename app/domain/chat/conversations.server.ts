import crypto from "node:crypto";
import { portalCookie } from "../../utils/cookies.server";
import type { z } from "zod";
import { Prisma } from "../../generated/prisma/client";
import { isLanguage, type Language } from "../../i18n/config";
import { translatorFor } from "../../i18n/i18n.server";
import { currentDatabase, db } from "../../utils/db.server";
import { recordAudit } from "../audit/audit.server";
import { DISPOSITIONS, type guestChatSchema, type openChatSchema, type WireMessage } from "./schemas";

export * from "./schemas";

/**
 * Conversations and messages: opening a chat (signed-in customer or guest), storing
 * messages exactly once (client message id), catch-up by seq, delivered/read marks,
 * who may see what. No sockets here — `server/chat/` calls these.
 */

type MessageRow = Prisma.MessageGetPayload<object>;

export function toWire(m: MessageRow): WireMessage {
  return {
    seq: m.seq.toString(),
    conversationId: m.conversationId,
    authorKind: m.authorKind,
    authorId: m.authorId,
    body: m.body,
    internal: m.internal,
    clientMessageId: m.clientMessageId,
    createdAt: m.createdAt.toISOString(),
    deliveredAt: m.deliveredAt?.toISOString() ?? null,
    readAt: m.readAt?.toISOString() ?? null,
  };
}

export function conversationLanguage(language: string): Language {
  return isLanguage(language) ? language : "en";
}

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

// ───────────────────────── opening ─────────────────────────

async function systemMessage(tx: Prisma.TransactionClient, conversationId: string, language: Language, key: string, values: Record<string, unknown> = {}) {
  const t = await translatorFor(language);
  return tx.message.create({ data: { conversationId, authorKind: "SYSTEM", body: t(`chat:system.${key}`, values) } });
}

/** Adds a system message in the conversation's (the customer's) language. */
export async function addSystemMessage(conversationId: string, key: string, values: Record<string, unknown> = {}) {
  const conversation = await db().conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { language: true } });
  return db().$transaction((tx) => systemMessage(tx, conversationId, conversationLanguage(conversation.language), key, values));
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
      data: { channel: "CHAT", topic: input.topic, invoiceRef: input.invoiceRef, language, status: "QUEUED", queuedAt: new Date(), accountId: user.accountId, customerUserId: user.id, lastMessageAt: new Date() },
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
      data: { channel: "CHAT", topic: input.topic, invoiceRef: input.invoiceRef, language, status: "QUEUED", queuedAt: new Date(), guestName: input.name, guestEmail: input.email.toLowerCase(), guestTokenHash: hashGuestToken(token), lastMessageAt: new Date() },
    });
    if (input.accountNumber) {
      const t = await translatorFor(language);
      await tx.message.create({ data: { conversationId: row.id, authorKind: "SYSTEM", internal: true, body: t("chat:system.guestAccountClaim", { number: input.accountNumber }) } });
    }
    await systemMessage(tx, row.id, language, "opened");
    return row;
  });
  return { conversation, token };
}

// ───────────────────────── messages ─────────────────────────

export type StoreInput = {
  conversationId: string;
  authorKind: "CUSTOMER" | "REP";
  authorId: string | null;
  body: string;
  clientMessageId: string;
  internal?: boolean;
};
type StoreResult = { message: MessageRow; duplicate: boolean; assignedRepId: string | null };

/** A closed conversation takes no more messages from either side (staff may still add internal notes). */
export class ConversationClosed extends Error {
  constructor(readonly conversationId: string) {
    super(`conversation ${conversationId} is closed`);
  }
}

/**
 * Stores a message once: a resend with the same client message id returns the stored
 * row with `duplicate: true` (callers then don't broadcast twice). Rejects with
 * ConversationClosed when the chat was closed before the message got in: the socket
 * path relays a message before storing it, so the close may win the race. The hot path of the
 * chat: messages arriving while a write is in flight are written together in ONE
 * statement, so a busy embedded database (one
 * connection) carries many messages per round trip instead of queueing them one by one.
 */
export function storeMessage(input: StoreInput): Promise<StoreResult> {
  return new Promise((resolve, reject) => {
    writeQueue.push({ input, resolve, reject });
    if (!flushing) void flushWrites();
  });
}

type QueuedWrite = { input: StoreInput; resolve: (r: StoreResult) => void; reject: (e: unknown) => void };
const writeQueue: QueuedWrite[] = [];
let flushing = false;

async function flushWrites() {
  flushing = true;
  try {
    while (writeQueue.length) {
      const batch = writeQueue.splice(0, 200);
      try {
        await writeBatch(batch);
      } catch (error) {
        // One bad message (e.g. its conversation vanished) must not sink the others.
        if (batch.length === 1) batch[0].reject(error);
        else for (const item of batch) await writeBatch([item]).catch(item.reject);
      }
    }
  } finally {
    flushing = false;
  }
}

/**
 * lastMessageAt only orders inboxes and threads, so it need not be written with every
 * message: conversations touched in the last moment are updated together, one
 * statement for all of them, instead of one row update on each message's hot path.
 */
const TOUCH_DELAY_MS = 250;
const pendingTouches = new Map<string, Date>();
let touchTimer: NodeJS.Timeout | null = null;

function touchConversationLater(conversationId: string, at: Date) {
  const previous = pendingTouches.get(conversationId);
  if (!previous || previous < at) pendingTouches.set(conversationId, at);
  if (!touchTimer) {
    touchTimer = setTimeout(() => void flushConversationTouches(), TOUCH_DELAY_MS);
    touchTimer.unref();
  }
}

/** Writes the pending lastMessageAt touches (also called on shutdown). */
export async function flushConversationTouches() {
  if (touchTimer) clearTimeout(touchTimer);
  touchTimer = null;
  if (!pendingTouches.size) return;
  const ids = [...pendingTouches.keys()];
  const times = ids.map((id) => pendingTouches.get(id)!.toISOString());
  pendingTouches.clear();
  try {
    await currentDatabase().sql.query(
      `UPDATE "Conversation" c
          SET "lastMessageAt" = GREATEST(c."lastMessageAt", t.at), "updatedAt" = now() AT TIME ZONE 'UTC'
         FROM (SELECT unnest($1::text[]) AS id, unnest($2::timestamptz[]) AT TIME ZONE 'UTC' AS at) t
        WHERE c.id = t.id`,
      [ids, times],
    );
  } catch (error) {
    // Ordering metadata only; the messages themselves are stored.
    console.warn(`[chat] could not touch ${ids.length} conversations: ${(error as Error).message}`);
  }
}

type StoredRow = Omit<MessageRow, "seq" | "createdAt" | "deliveredAt" | "readAt"> & {
  seq: string;
  createdAt: Date;
  deliveredAt: Date | null;
  readAt: Date | null;
  assignedRepId: string | null;
};

async function writeBatch(batch: QueuedWrite[]) {
  // Plain SQL on the driver, not Prisma: this runs for every chat message, and Prisma's
  // query compiler alone costs more than the insert. Timestamps are written and read in
  // UTC explicitly, whatever the session's time zone.
  const sql = currentDatabase().sql;
  const params: unknown[] = [];
  const tuples = batch.map(({ input }, ord) => {
    const at = params.length;
    params.push(input.conversationId, input.authorKind, input.authorId, input.body, input.clientMessageId, input.internal ?? false, ord);
    return `($${at + 1}::text, $${at + 2}::text, $${at + 3}::text, $${at + 4}::text, $${at + 5}::text, $${at + 6}::boolean, $${at + 7}::int)`;
  });
  const found = await sql.query<StoredRow>(
    `WITH data(cid, kind, aid, body, cmid, internal, ord) AS (VALUES ${tuples.join(", ")}),
    ins AS (
      INSERT INTO "Message" ("conversationId", "authorKind", "authorId", "body", "clientMessageId", "internal", "createdAt")
      SELECT d.cid, d.kind::"AuthorKind", d.aid, d.body, d.cmid, d.internal, now() AT TIME ZONE 'UTC'
        FROM data d JOIN "Conversation" c ON c.id = d.cid
       WHERE d.internal OR c.status <> 'CLOSED'
       ORDER BY d.ord
      ON CONFLICT ("conversationId", "clientMessageId") DO NOTHING
      RETURNING *
    )
    SELECT ins.seq::text AS seq, ins."conversationId", ins."authorKind"::text AS "authorKind", ins."authorId", ins.body, ins.internal,
           ins."clientMessageId", ins."emailMessageId",
           ins."createdAt" AT TIME ZONE 'UTC' AS "createdAt", ins."deliveredAt" AT TIME ZONE 'UTC' AS "deliveredAt", ins."readAt" AT TIME ZONE 'UTC' AS "readAt",
           (SELECT c."assignedRepId" FROM "Conversation" c WHERE c.id = ins."conversationId") AS "assignedRepId"
      FROM ins`,
    params,
    // The common case, one message per write, is one fixed statement: prepared once.
    batch.length === 1 ? "chat-store-message" : undefined,
  );
  const rows = found.map((r) => ({ ...r, seq: BigInt(r.seq), authorKind: r.authorKind as MessageRow["authorKind"] }));
  // The unanswered-chat rule reads firstResponseAt, so a rep's reply marks it now, in
  // the same flush, before the reply is acknowledged.
  const answered = [...new Set(rows.filter((r) => r.authorKind === "REP" && !r.internal).map((r) => r.conversationId))];
  if (answered.length) {
    await sql.query(`UPDATE "Conversation" SET "firstResponseAt" = now() AT TIME ZONE 'UTC' WHERE id = ANY($1::text[]) AND "firstResponseAt" IS NULL`, [answered]);
  }
  for (const r of rows) touchConversationLater(r.conversationId, r.createdAt);
  const stored = new Map(rows.map((r) => [`${r.conversationId}\u0000${r.clientMessageId}`, r]));
  for (const item of batch) {
    const key = `${item.input.conversationId}\u0000${item.input.clientMessageId}`;
    const row = stored.get(key);
    if (row) {
      stored.delete(key); // a second copy in the same batch is a duplicate
      const { assignedRepId, ...message } = row;
      item.resolve({ message, duplicate: false, assignedRepId });
      continue;
    }
    try {
      const message = await db().message.findUnique({ where: { conversationId_clientMessageId: { conversationId: item.input.conversationId, clientMessageId: item.input.clientMessageId } } });
      const conversation = await db().conversation.findUnique({ where: { id: item.input.conversationId }, select: { assignedRepId: true, status: true } });
      if (message) item.resolve({ message, duplicate: true, assignedRepId: conversation?.assignedRepId ?? null });
      else if (conversation?.status === "CLOSED") item.reject(new ConversationClosed(item.input.conversationId));
      else item.reject(new Error(`conversation ${item.input.conversationId} not found`));
    } catch (error) {
      item.reject(error);
    }
  }
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

/** A customer may touch a conversation only if it is theirs (signed in) or the one their guest token opened. */
export async function customerCanAccess(conversationId: string, who: { userId?: string; guestConversationId?: string }) {
  if (who.guestConversationId) return who.guestConversationId === conversationId;
  if (!who.userId) return false;
  const row = await db().conversation.findUnique({ where: { id: conversationId }, select: { customerUserId: true } });
  return !!row && row.customerUserId === who.userId;
}

// ───────────────────────── closing and the inbox ─────────────────────────

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
      const lines = messages.map((m) => `[${m.createdAt.toISOString().slice(0, 16).replace("T", " ")}] ${m.internal ? "(internal) " : ""}${m.authorKind}: ${m.body}`);
      await tx.accountNote.create({
        data: {
          accountId: conversation.accountId,
          authorId: repId,
          kind: "chat_summary",
          body: `${t("chat:note.summary", { topic: t(`chat:topics.${conversation.topic}`), disposition: t(`chat:dispositions.${disposition}`) })}\n${lines.join("\n")}`,
        },
      });
    }
    await recordAudit(
      { actorId: repId, accountId: conversation.accountId, entity: "Conversation", entityId: conversationId, action: "chat.closed", before: { status: conversation.status, assignedRepId: conversation.assignedRepId }, after: { status: "CLOSED", disposition } },
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

/** Display name of the customer side of a conversation. */
export function customerNameOf(c: { guestName: string | null; customerUser?: { name: string } | null }): string {
  return c.customerUser?.name ?? c.guestName ?? "";
}

export async function inboxFor(repId: string) {
  const open = await db().conversation.findMany({
    where: { status: { in: ["QUEUED", "ASSIGNED", "WAITING_EMAIL"] } },
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
  c: Prisma.ConversationGetPayload<{ include: { customerUser: { select: { name: true } }; account: { select: { legalName: true } }; assignedRep: { select: { name: true } } } }>,
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
