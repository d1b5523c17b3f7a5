import { log } from "../../utils/logger.server";
import { currentDatabase, db } from "../../utils/db.server";
import type { StoredEvent } from "../../i18n/stored-event";
import type { MessageRow } from "./chat-messages.server";
import { groupCommit, type Pending } from "../../utils/group-commit.server";

/** Storing messages exactly once (client message id), batched on the hot path. No sockets here — `server/chat/` calls these. */

export type StoreInput = {
  conversationId: string;
  authorKind: "CUSTOMER" | "REP";
  authorId: string | null;
  body: string;
  clientMessageId: string;
  internal?: boolean;
  /** What the message is as data (a chat card from a rep's action); a person's typed message has none. */
  event?: StoredEvent | null;
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
  return messageWrites.submit(input);
}

/** Resolves once every message handed to `storeMessage` so far is written (or refused); called on shutdown, before the database closes. */
export function drainMessageWrites(settleMs = 200): Promise<void> {
  return messageWrites.drain(settleMs);
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
    log().warn({ err: error, conversations: ids.length }, "chat: could not touch conversations");
  }
}

const messageWrites = groupCommit(writeBatch, { maxBatch: 200 });

type StoredRow = Omit<MessageRow, "seq" | "createdAt" | "deliveredAt" | "readAt"> & {
  seq: string;
  createdAt: Date;
  deliveredAt: Date | null;
  readAt: Date | null;
  assignedRepId: string | null;
};

async function writeBatch(batch: Pending<StoreInput, StoreResult>[]) {
  // Plain SQL on the driver, not Prisma: this runs for every chat message, and Prisma's
  // query compiler alone costs more than the insert. Timestamps are written and read in
  // UTC explicitly, whatever the session's time zone.
  const sql = currentDatabase().sql;
  const params: unknown[] = [];
  const tuples = batch.map(({ input }, ord) => {
    const at = params.length;
    const event = input.event ? JSON.stringify(input.event) : null;
    params.push(input.conversationId, input.authorKind, input.authorId, input.body, input.clientMessageId, input.internal ?? false, ord, event);
    return `($${at + 1}::text, $${at + 2}::text, $${at + 3}::text, $${at + 4}::text, $${at + 5}::text, $${at + 6}::boolean, $${at + 7}::int, $${at + 8}::jsonb)`;
  });
  const found = await sql.query<StoredRow>(
    `WITH data(cid, kind, aid, body, cmid, internal, ord, event) AS (VALUES ${tuples.join(", ")}),
    ins AS (
      INSERT INTO "Message" ("conversationId", "authorKind", "authorId", "body", "clientMessageId", "internal", "createdAt", "event")
      SELECT d.cid, d.kind::"AuthorKind", d.aid, d.body, d.cmid, d.internal, now() AT TIME ZONE 'UTC', d.event
        FROM data d JOIN "Conversation" c ON c.id = d.cid
       WHERE d.internal OR c.status <> 'CLOSED'
       ORDER BY d.ord
      ON CONFLICT ("conversationId", "clientMessageId") DO NOTHING
      RETURNING *
    )
    SELECT ins.seq::text AS seq, ins."conversationId", ins."authorKind"::text AS "authorKind", ins."authorId", ins.body, ins.event, ins.internal,
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
    await sql.query(`UPDATE "Conversation" SET "firstResponseAt" = now() AT TIME ZONE 'UTC' WHERE id = ANY($1::text[]) AND "firstResponseAt" IS NULL`, [
      answered,
    ]);
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
      const message = await db().message.findUnique({
        where: { conversationId_clientMessageId: { conversationId: item.input.conversationId, clientMessageId: item.input.clientMessageId } },
      });
      const conversation = await db().conversation.findUnique({ where: { id: item.input.conversationId }, select: { assignedRepId: true, status: true } });
      if (message) item.resolve({ message, duplicate: true, assignedRepId: conversation?.assignedRepId ?? null });
      else if (conversation?.status === "CLOSED") item.reject(new ConversationClosed(item.input.conversationId));
      else item.reject(new Error(`conversation ${item.input.conversationId} not found`));
    } catch (error) {
      item.reject(error);
    }
  }
}
