import type { Prisma } from "../../generated/prisma/client";
import { recordAudit } from "../audit/audit.server";
import { currentDatabase, db } from "../../utils/db.server";
import { decideRoute, headOfQueueTime, nextForRep, pickRep, transferCheck, type BusinessHours, type RepFacts, type RouteDecision } from "./routing";
import { IN_LIVE_QUEUE } from "./missed-chats.server";
import { DEFAULT_UNANSWERED_SECONDS, capacityPolicy, chatPolicy, effectiveCapacity } from "./chat-policy.server";
import { policyValue } from "../policy/policy-value.server";

/**
 * The database side of chat routing: loads the facts, asks `routing.ts`, and claims
 * with a conditional update so two server instances never assign one chat twice.
 * Every assignment change writes an audit row in the same transaction.
 */

export function businessHours(language: string): Promise<BusinessHours | null> {
  return policyValue<BusinessHours | null>(`hours.${language}`, null);
}

/** Every active rep/manager with their live chat load. */
export async function loadRepFacts(client: Prisma.TransactionClient | ReturnType<typeof db> = db()): Promise<RepFacts[]> {
  const [reps, loads, capacity] = await Promise.all([
    client.user.findMany({
      where: { role: { in: ["REP", "MANAGER"] }, active: true },
      select: { id: true, presence: true, languages: true, chatCapacity: true, chatCapacityChosenAt: true, lastChatAssignedAt: true },
    }),
    client.conversation.groupBy({ by: ["assignedRepId"], where: { status: "ASSIGNED", assignedRepId: { not: null } }, _count: { _all: true } }),
    capacityPolicy(),
  ]);
  const load = new Map(loads.map((l) => [l.assignedRepId, l._count._all]));
  return reps.map((r) => ({
    id: r.id,
    presence: r.presence,
    languages: r.languages,
    capacity: effectiveCapacity(r, capacity),
    activeChats: load.get(r.id) ?? 0,
    lastChatAssignedAt: r.lastChatAssignedAt,
  }));
}

/**
 * The atomic claim: only a conversation still QUEUED and unassigned becomes this
 * rep's. Returns false when another instance (or rep) got there first.
 */
export async function claimConversation(conversationId: string, repId: string, actorId: string | null, rule: string): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const now = new Date();
    const { count } = await tx.conversation.updateMany({
      where: { id: conversationId, status: "QUEUED", assignedRepId: null, channel: "CHAT" },
      // A visitor still there when chat opens (they asked for their status) is live again.
      data: { status: "ASSIGNED", assignedRepId: repId, assignedAt: now, offlineOfferedAt: null },
    });
    if (count !== 1) return false;
    const conversation = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { accountId: true } });
    await tx.user.update({ where: { id: repId }, data: { lastChatAssignedAt: now } });
    await recordAudit(
      {
        actorId,
        accountId: conversation.accountId,
        entity: "Conversation",
        entityId: conversationId,
        action: "chat.assigned",
        before: { status: "QUEUED", assignedRepId: null },
        after: { status: "ASSIGNED", assignedRepId: repId, rule },
      },
      tx,
    );
    return true;
  });
}

/** A rep picks a chat from the queue: only one in a language they serve, with room left, and still waiting. */
export async function acceptConversation(
  conversationId: string,
  repId: string,
): Promise<{ ok: true } | { ok: false; reason: "language" | "capacity" | "already_taken" }> {
  const conversation = await db().conversation.findUnique({ where: { id: conversationId }, select: { language: true } });
  const mine = (await loadRepFacts()).find((r) => r.id === repId);
  if (!conversation || !mine || !mine.languages.includes(conversation.language)) return { ok: false, reason: "language" };
  if (mine.activeChats >= mine.capacity) return { ok: false, reason: "capacity" };
  if (!(await claimConversation(conversationId, repId, repId, "picked"))) return { ok: false, reason: "already_taken" };
  return { ok: true };
}

/** Routes one QUEUED chat: assign it, leave it in line (with position/wait), or say it must go offline. */
export async function routeConversation(conversationId: string, now = new Date()): Promise<RouteDecision> {
  const conversation = await db().conversation.findUniqueOrThrow({
    where: { id: conversationId },
    select: { id: true, language: true, queuedAt: true, status: true, assignedRepId: true, channel: true, account: { select: { ownerRepId: true } } },
  });
  // Someone (another instance, or a rep taking the head of the queue) got there first.
  if (conversation.status === "ASSIGNED" && conversation.assignedRepId) return { kind: "assign", repId: conversation.assignedRepId, rule: "already_assigned" };
  if (conversation.status !== "QUEUED" || conversation.channel !== "CHAT") return { kind: "offline", reason: "no_rep_for_language" };
  const [reps, hours, policy, queueAhead] = await Promise.all([
    loadRepFacts(),
    businessHours(conversation.language),
    chatPolicy(),
    db().conversation.count({
      where: {
        status: "QUEUED",
        channel: "CHAT",
        language: conversation.language,
        queuedAt: { lt: conversation.queuedAt ?? now },
        id: { not: conversation.id },
        ...IN_LIVE_QUEUE,
      },
    }),
  ]);
  const decision = decideRoute({
    language: conversation.language,
    ownRepId: conversation.account?.ownerRepId ?? null,
    reps,
    hours,
    now,
    queueAhead,
    averageHandleSeconds: policy.averageHandleSeconds,
  });
  if (decision.kind !== "assign") return decision;
  if (await claimConversation(conversation.id, decision.repId, null, decision.rule)) return decision;
  // Someone else claimed it (another instance): report where it is now.
  return routeConversation(conversationId, now);
}

/** Gives a rep with free capacity the head of the queue for their languages, until full or the queue is empty. */
export async function fillRep(repId: string): Promise<string[]> {
  const assigned: string[] = [];
  for (let i = 0; i < 20; i++) {
    const rep = (await loadRepFacts()).find((r) => r.id === repId);
    if (!rep) break;
    const queue = await db().conversation.findMany({
      where: { status: "QUEUED", channel: "CHAT", language: { in: [...rep.languages] }, ...IN_LIVE_QUEUE },
      select: { id: true, language: true, queuedAt: true },
      orderBy: { queuedAt: "asc" },
      take: 50,
    });
    const next = nextForRep(
      rep,
      queue.map((c) => ({ ...c, queuedAt: c.queuedAt ?? new Date(0) })),
    );
    if (!next) break;
    if (await claimConversation(next, repId, null, "queue_head")) assigned.push(next);
  }
  return assigned;
}

async function headTime(tx: Prisma.TransactionClient, language: string, now: Date): Promise<Date> {
  const head = await tx.conversation.findFirst({
    where: { status: "QUEUED", channel: "CHAT", language },
    orderBy: { queuedAt: "asc" },
    select: { queuedAt: true },
  });
  return headOfQueueTime(head?.queuedAt ?? null, now);
}

/**
 * Puts an assigned chat back at the head of its language queue — after a rep's
 * disconnect grace period, or when a rep sends it back. Only if `fromRepId` still has it.
 */
export async function requeueConversation(conversationId: string, fromRepId: string, actorId: string | null, reason: string): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const conversation = await tx.conversation.findUnique({ where: { id: conversationId }, select: { language: true, accountId: true } });
    if (!conversation) return false;
    const queuedAt = await headTime(tx, conversation.language, new Date());
    const { count } = await tx.conversation.updateMany({
      where: { id: conversationId, status: "ASSIGNED", assignedRepId: fromRepId },
      data: { status: "QUEUED", assignedRepId: null, assignedAt: null, queuedAt },
    });
    if (count !== 1) return false;
    await recordAudit(
      {
        actorId,
        accountId: conversation.accountId,
        entity: "Conversation",
        entityId: conversationId,
        action: "chat.requeued",
        before: { status: "ASSIGNED", assignedRepId: fromRepId },
        after: { status: "QUEUED", assignedRepId: null, reason },
      },
      tx,
    );
    return true;
  });
}

/** All of a rep's live chats back to the head of their queues (they went offline or dropped past the grace period). */
export async function requeueRepChats(repId: string, reason: "disconnect_grace" | "went_offline"): Promise<string[]> {
  const chats = await db().conversation.findMany({
    where: { status: "ASSIGNED", assignedRepId: repId, channel: "CHAT" },
    orderBy: { assignedAt: "desc" },
    select: { id: true },
  });
  const moved: string[] = [];
  // Most recently assigned first, so the one waiting longest ends up at the very head.
  for (const c of chats) if (await requeueConversation(c.id, repId, null, reason)) moved.push(c.id);
  return moved;
}

export type TransferResult = { ok: true } | { ok: false; reason: "not_yours" | "unknown_rep" | "same_rep" | "not_available" | "language" | "capacity" };

/** Hands a chat from one rep to another who speaks the language and has room; conditional on the sender still holding it. */
export async function transferConversation(
  conversationId: string,
  fromRepId: string,
  toRepId: string,
  actorId: string | null,
  reason = "transfer",
): Promise<TransferResult> {
  const conversation = await db().conversation.findUnique({
    where: { id: conversationId },
    select: { language: true, accountId: true, assignedRepId: true, status: true },
  });
  if (!conversation || conversation.status !== "ASSIGNED" || conversation.assignedRepId !== fromRepId) return { ok: false, reason: "not_yours" };
  const reps = await loadRepFacts();
  const check = transferCheck(
    reps.find((r) => r.id === toRepId),
    fromRepId,
    conversation.language,
  );
  if (!check.ok) return check;
  return db().$transaction(async (tx) => {
    const now = new Date();
    const { count } = await tx.conversation.updateMany({
      where: { id: conversationId, status: "ASSIGNED", assignedRepId: fromRepId },
      data: { assignedRepId: toRepId, assignedAt: now, firstResponseAt: null },
    });
    if (count !== 1) return { ok: false as const, reason: "not_yours" as const };
    await tx.user.update({ where: { id: toRepId }, data: { lastChatAssignedAt: now } });
    await recordAudit(
      {
        actorId,
        accountId: conversation.accountId,
        entity: "Conversation",
        entityId: conversationId,
        action: reason === "transfer" ? "chat.transferred" : "chat.reassigned_unanswered",
        before: { assignedRepId: fromRepId },
        after: { assignedRepId: toRepId, reason },
      },
      tx,
    );
    return { ok: true as const };
  });
}

/**
 * Chats assigned longer than `chat.unansweredReassignSeconds` ago without a rep reply
 * go to another rep who speaks the customer's language; with nobody free, back to
 * the head of the queue. Each move is an audit row a manager can read.
 */
export async function reassignUnanswered(now = new Date()): Promise<{ conversationId: string; fromRepId: string; toRepId: string | null }[]> {
  // Every server runs this every two seconds while chats flow, so it is one plain
  // statement (policy included) that finds nothing quickly, not three Prisma queries.
  const stale = await currentDatabase().sql.query<{ id: string; language: string; assignedRepId: string; ownerRepId: string | null }>(
    `SELECT c.id, c.language, c."assignedRepId", a."ownerRepId"
       FROM "Conversation" c LEFT JOIN "Account" a ON a.id = c."accountId"
      WHERE c.status = 'ASSIGNED' AND c.channel = 'CHAT' AND c."firstResponseAt" IS NULL AND c."assignedRepId" IS NOT NULL
        AND c."assignedAt" <= ($1::timestamptz AT TIME ZONE 'UTC') - make_interval(secs => COALESCE(
              (SELECT (p.value #>> '{}')::float8 FROM "PolicySetting" p WHERE p.key = 'chat.unansweredReassignSeconds'), $2))
      ORDER BY c."assignedAt"`,
    [now.toISOString(), DEFAULT_UNANSWERED_SECONDS],
  );
  const moves: { conversationId: string; fromRepId: string; toRepId: string | null }[] = [];
  for (const c of stale) {
    const fromRepId = c.assignedRepId;
    const pick = pickRep(await loadRepFacts(), c.language, c.ownerRepId, [fromRepId]);
    if (pick) {
      const result = await transferConversation(c.id, fromRepId, pick.repId, null, "unanswered");
      if (result.ok) moves.push({ conversationId: c.id, fromRepId, toRepId: pick.repId });
    } else if (await requeueConversation(c.id, fromRepId, null, "unanswered")) {
      moves.push({ conversationId: c.id, fromRepId, toRepId: null });
    }
  }
  return moves;
}
