import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { createClient } from "redis";
import { z } from "zod";
import {
  chatPolicy,
  claimConversation,
  fillRep,
  loadRepFacts,
  reassignUnanswered,
  requeueConversation,
  requeueRepChats,
  routeConversation,
  transferConversation,
} from "../../app/domain/chat/assignment.server";
import {
  addSystemMessage,
  afterSchema,
  closeConversation,
  closeSchema,
  ConversationClosed,
  customerCanAccess,
  dismissAsSpam,
  dismissSpamSchema,
  inboxFor,
  inboxItemById,
  markMessages,
  messagesAfter,
  openChatSchema,
  openCustomerConversation,
  sendSchema,
  storeMessage,
  toWire,
  type IncomingMessage,
  type StoreInput,
  type WireMessage,
} from "../../app/domain/chat/conversations.server";
import { recordAudit } from "../../app/domain/audit/audit.server";
import { chatEvents, type ChatDomainEvent } from "../../app/domain/chat/chat-events.server";
import { leaveMessage, leaveMessageSchema, replyByEmail, sendTranscript } from "../../app/domain/chat/email-channel.server";
import { comeOnlineOnConnect } from "../../app/domain/chat/presence.server";
import { TYPING_TIMEOUT_MS } from "../../app/domain/chat/thread";
import { isLanguage, type Language } from "../../app/i18n/config";
import { db } from "../../app/utils/db.server";
import { clientAddressOf } from "../client-address";
import type { Env } from "../../app/utils/config.server";
import type { PortalSocket, PortalSocketServer } from "../socket";
import type { Ack, ChatStatus, ConversationView } from "./events";

/**
 * Socket handlers for the chat: validate → authorize → relay → persist → ack → broadcast.
 * Rooms: `conv:<id>` customer side of one conversation, `convstaff:<id>` staff viewing
 * it (also gets internal notes), `staff` every rep, `user:<id>` one person's sockets.
 */

const firstName = (name: string) => name.split(" ")[0];
const convRoom = (id: string) => `conv:${id}`;
const staffRoom = (id: string) => `convstaff:${id}`;

function fail(ack: unknown, error: string, retryAfterMs?: number) {
  if (typeof ack === "function") (ack as Ack<never>)(retryAfterMs === undefined ? { error } : { error, retryAfterMs });
}

function view(c: { id: string; topic: string; language: string; status: string; invoiceRef: string | null }): ConversationView {
  return { id: c.id, topic: c.topic as ConversationView["topic"], language: c.language, status: c.status as ConversationView["status"], invoiceRef: c.invoiceRef };
}

// Built once: zod compiles a schema on first use, and these run on every chat event.
const customerSendSchema = sendSchema.omit({ internal: true });
const typingSchema = z.object({ conversationId: z.string().max(64), typing: z.boolean() });
const readSchema = z.object({ conversationId: z.string().max(64), seq: z.coerce.bigint().min(0n) });

export type ChatRuntime = { stop(): void };

const LIMITS = {
  messages: { keyPrefix: "chat_send", points: 20, duration: 10 },
  typing: { keyPrefix: "chat_typing", points: 30, duration: 10 },
  // A rep answers up to 20 chats at once, often with canned replies: more room than one customer.
  staff: { keyPrefix: "chat_staff", points: 40, duration: 10 },
} as const;

/**
 * A budget per person, not per socket (new sockets would start afresh): counted in Redis
 * when the server has it, so every process spends the same budget, with a memory count
 * standing in while Redis does not answer.
 */
function chatLimiter(rule: (typeof LIMITS)[keyof typeof LIMITS], redis: ReturnType<typeof createClient> | undefined, keyPrefix: string): RateLimiterAbstract {
  const memory = new RateLimiterMemory(rule);
  if (!redis) return memory;
  return new RateLimiterRedis({ ...rule, keyPrefix: `${keyPrefix}${rule.keyPrefix}`, storeClient: redis, useRedisPackage: true, insuranceLimiter: memory });
}

/** Whose budget an event spends: the signed-in user, or the guest's chat token (one conversation each). */
const budgetKey = (socket: PortalSocket) => (socket.data.user ? `user:${socket.data.user.id}` : `guest:${socket.data.guest?.conversationId ?? socket.id}`);

export function createChat(
  io: PortalSocketServer,
  options: { redis?: ReturnType<typeof createClient>; keyPrefix?: string; trustProxy?: Env["TRUST_PROXY"] } = {},
): { register(socket: PortalSocket): void; runtime: ChatRuntime } {
  const keyPrefix = options.keyPrefix ?? "portal:";
  const limiter = chatLimiter(LIMITS.messages, options.redis, keyPrefix);
  const typingLimiter = chatLimiter(LIMITS.typing, options.redis, keyPrefix);
  const staffLimiter = chatLimiter(LIMITS.staff, options.redis, keyPrefix);
  const graceTimers = new Map<string, NodeJS.Timeout>();

  /** Spends one point; over budget, answers with when to try again (the client waits that long and resends). */
  async function limited(socket: PortalSocket, ack: unknown, which = limiter): Promise<boolean> {
    try {
      await which.consume(budgetKey(socket));
      return false;
    } catch (rejection) {
      // Anything but a verdict is the store failing with no stand-in: let the event through.
      if (!(rejection instanceof RateLimiterRes)) return false;
      fail(ack, "chat:errors.rateLimited", Math.max(1, Math.ceil(rejection.msBeforeNext)));
      return true;
    }
  }

  /**
   * Who is typing where, per socket: each "typing" restarts a timeout, and a stop, a sent
   * message, the timeout or a disconnect tells the other side it stopped — so a lost stop
   * (a closed tab, a dropped event) never leaves "is typing…" on screen.
   */
  const typingTimers = new Map<string, Map<string, NodeJS.Timeout>>();
  function typingStopped(socket: PortalSocket, conversationId: string) {
    const mine = typingTimers.get(socket.id);
    const timer = mine?.get(conversationId);
    if (!timer) return false;
    clearTimeout(timer);
    mine!.delete(conversationId);
    if (!mine!.size) typingTimers.delete(socket.id);
    const staff = socket.data.user?.role === "REP" || socket.data.user?.role === "MANAGER";
    io.to(staff ? convRoom(conversationId) : staffRoom(conversationId)).emit("conversation:typing", { conversationId, side: staff ? "rep" : "customer", typing: false });
    return true;
  }
  function typingStarted(socket: PortalSocket, conversationId: string) {
    const mine = typingTimers.get(socket.id) ?? new Map<string, NodeJS.Timeout>();
    typingTimers.set(socket.id, mine);
    clearTimeout(mine.get(conversationId));
    const timer = setTimeout(() => typingStopped(socket, conversationId), TYPING_TIMEOUT_MS);
    timer.unref();
    mine.set(conversationId, timer);
  }
  function typingEvent(socket: PortalSocket, conversationId: string, typing: boolean) {
    if (!typing) return void typingStopped(socket, conversationId);
    typingStarted(socket, conversationId);
    const staff = socket.data.user?.role === "REP" || socket.data.user?.role === "MANAGER";
    io.to(staff ? convRoom(conversationId) : staffRoom(conversationId)).emit("conversation:typing", { conversationId, side: staff ? "rep" : "customer", typing: true });
  }

  /** Status for the customer side; a QUEUED chat is (re)routed on the way, so it may get assigned right here. */
  async function statusOf(conversationId: string): Promise<ChatStatus> {
    const c = await db().conversation.findUniqueOrThrow({ where: { id: conversationId }, include: { assignedRep: { select: { name: true } } } });
    if (c.status === "CLOSED") return { conversationId, state: "closed" };
    if (c.channel === "EMAIL") return { conversationId, state: "email" };
    if (c.status === "ASSIGNED") return { conversationId, state: "assigned", repName: firstName(c.assignedRep?.name ?? "") };
    const decision = await routeConversation(conversationId);
    if (decision.kind === "assign") {
      // Announced by whoever claimed it; only a claim made here is announced here.
      if (decision.rule !== "already_assigned") await announceAssigned(conversationId);
      return statusOf(conversationId);
    }
    if (decision.kind === "queue") {
      // Waiting behind chats that arrived a moment earlier, while a rep has room: those
      // are being assigned right now (FIFO), and then this one's turn comes — nobody
      // else would notice, so look again once they are through.
      scheduleFill();
      return { conversationId, state: "queued", position: decision.position, estimatedWaitSeconds: decision.estimatedWaitSeconds };
    }
    return { conversationId, state: "offline", reason: decision.reason };
  }

  /** Who sees a message: the customer side unless it is an internal note, and the staff viewing it. */
  const audienceOf = (m: { conversationId: string; internal: boolean }) => (m.internal ? [staffRoom(m.conversationId)] : [convRoom(m.conversationId), staffRoom(m.conversationId)]);

  /** A stored message to everyone who sees it; sent from a socket, to everyone but that socket (its ack carries it). */
  function broadcastMessage(message: WireMessage, sender?: PortalSocket) {
    (sender ?? io).to(audienceOf(message)).emit("conversation:message", message);
  }

  /**
   * Relay on receipt, confirm when stored: the other side sees the message the moment it
   * arrives (`conversation:incoming`), so delivery never waits on the database; the
   * sender's ack and everyone's stored copy (with its seq) follow the write, and a message
   * that could not be stored is withdrawn. Nothing is acknowledged before it is stored.
   */
  async function relayAndStore(socket: PortalSocket, ack: Ack<{ message: WireMessage }>, message: StoreInput) {
    const incoming: IncomingMessage = {
      conversationId: message.conversationId,
      clientMessageId: message.clientMessageId,
      authorKind: message.authorKind,
      authorId: message.authorId,
      body: message.body,
      internal: message.internal ?? false,
      createdAt: new Date().toISOString(),
    };
    const audience = audienceOf(incoming);
    socket.to(audience).emit("conversation:incoming", incoming);
    try {
      const stored = await storeMessage(message);
      const wire = toWire(stored.message);
      ack({ data: { message: wire } });
      // A resend of a stored message: everyone has it already (clients ignore its relayed copy).
      if (!stored.duplicate) broadcastMessage(wire, socket);
      return stored;
    } catch (error) {
      socket.to(audience).emit("conversation:withdrawn", { conversationId: incoming.conversationId, clientMessageId: incoming.clientMessageId });
      fail(ack, error instanceof ConversationClosed ? "chat:errors.closed" : "chat:errors.unavailable");
      return null;
    }
  }

  async function system(conversationId: string, key: string, values: Record<string, unknown> = {}) {
    broadcastMessage(toWire(await addSystemMessage(conversationId, key, values)));
  }

  async function announceAssigned(conversationId: string) {
    const c = await db().conversation.findUniqueOrThrow({ where: { id: conversationId }, include: { assignedRep: { select: { name: true } } } });
    if (!c.assignedRepId) return;
    await system(conversationId, "assigned", { name: firstName(c.assignedRep!.name) });
    io.to(convRoom(conversationId)).emit("conversation:status", { conversationId, state: "assigned", repName: firstName(c.assignedRep!.name) });
    io.to(`user:${c.assignedRepId}`).emit("console:assigned", { conversationId });
    io.to("staff").emit("console:inbox-changed", { reason: "assigned", conversationId });
  }

  /** Tell every waiting customer where they stand (and route whoever can be routed now). */
  async function refreshQueue() {
    const waiting = await db().conversation.findMany({ where: { status: "QUEUED", channel: "CHAT" }, orderBy: { queuedAt: "asc" }, select: { id: true }, take: 500 });
    for (const c of waiting) io.to(convRoom(c.id)).emit("conversation:status", await statusOf(c.id));
  }

  /** Gives free reps the heads of their queues; how many chats that assigned. */
  async function fillFreeReps(): Promise<number> {
    let assigned = 0;
    for (const rep of await loadRepFacts()) {
      if (rep.presence !== "ONLINE" || rep.activeChats >= rep.capacity) continue;
      for (const id of await fillRep(rep.id)) {
        await announceAssigned(id);
        assigned++;
      }
    }
    return assigned;
  }

  /** Give free reps the heads of their queues, then refresh everyone's place in line. */
  async function dispatch() {
    await fillFreeReps();
    await refreshQueue();
  }

  // Coalesced: many chats queued at once need one pass, run again only if asked meanwhile.
  let filling = false;
  let fillAgain = false;
  function scheduleFill() {
    if (filling) {
      fillAgain = true;
      return;
    }
    filling = true;
    void (async () => {
      try {
        do {
          fillAgain = false;
          if ((await fillFreeReps()) > 0) await refreshQueue();
        } while (fillAgain);
      } catch {
        // The next routing event tries again.
      } finally {
        filling = false;
      }
    })();
  }

  async function requeued(conversationIds: string[]) {
    for (const id of conversationIds) {
      await system(id, "requeued");
      io.to("staff").emit("console:inbox-changed", { reason: "requeued", conversationId: id });
    }
    if (conversationIds.length) await dispatch();
  }

  // Domain events (webhooks, HTTP actions) become broadcasts here.
  const onDomainEvent = (event: ChatDomainEvent) => {
    if (event.type === "inbox-changed") io.to("staff").emit("console:inbox-changed", { reason: event.reason, conversationId: event.conversationId });
    // A message stored outside the socket path (a rep's action from the console) goes out like any other.
    if (event.type === "message")
      void db()
        .message.findUnique({ where: { seq: BigInt(event.seq) } })
        .then((m) => (m && m.conversationId === event.conversationId ? broadcastMessage(toWire(m)) : undefined))
        .catch(() => undefined);
  };
  chatEvents().on("event", onDomainEvent);

  // Sweeps: unanswered assignments move on (PolicySetting chat.unansweredReassignSeconds).
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    void (async () => {
      try {
        for (const move of await reassignUnanswered()) {
          io.to(`user:${move.fromRepId}`).emit("console:inbox-changed", { reason: "unanswered", conversationId: move.conversationId });
          if (move.toRepId) await announceAssigned(move.conversationId);
          else await requeued([move.conversationId]);
        }
      } catch {
        // The next sweep tries again.
      } finally {
        sweeping = false;
      }
    })();
  }, 2000);
  sweep.unref();

  function registerCustomer(socket: PortalSocket) {
    const { user, guest } = socket.data;
    const who = { userId: user?.id, guestConversationId: guest?.conversationId };
    const language = (): Language => (isLanguage(socket.data.language) ? socket.data.language : "en");

    async function joinAndCatchUp(conversationId: string, afterSeq: bigint) {
      const c = await db().conversation.findUniqueOrThrow({ where: { id: conversationId } });
      // The room is the socket's pass to write: never for a closed conversation.
      if (c.status !== "CLOSED") await socket.join(convRoom(conversationId));
      if (c.status === "QUEUED") io.to("staff").emit("console:inbox-changed", { reason: "new", conversationId });
      // Status first: routing may assign the chat right now and post a system message.
      const status = await statusOf(conversationId);
      const messages = await messagesAfter(conversationId, afterSeq, "customer");
      return { conversation: view(c), messages, status };
    }

    socket.on("conversation:open", async (input, ack) => {
      if (typeof ack !== "function") return;
      if (!user || user.role !== "CUSTOMER" || !user.accountId) return fail(ack, "chat:errors.forbidden");
      if (await limited(socket, ack)) return;
      const parsed = openChatSchema.safeParse(input);
      if (!parsed.success) return fail(ack, parsed.error.issues[0]?.message ?? "chat:errors.invalid");
      try {
        const { conversation, created } = await openCustomerConversation({ id: user.id, accountId: user.accountId }, language(), parsed.data);
        if (created) io.to("staff").emit("console:inbox-changed", { reason: "new", conversationId: conversation.id });
        ack({ data: await joinAndCatchUp(conversation.id, 0n) });
      } catch {
        fail(ack, "chat:errors.unavailable");
      }
    });

    socket.on("conversation:join", async (input, ack) => {
      if (typeof ack !== "function") return;
      const parsed = afterSchema.safeParse(input);
      if (!parsed.success) return fail(ack, "chat:errors.invalid");
      // Someone else's conversation looks exactly like one that does not exist.
      if (!(await customerCanAccess(parsed.data.conversationId, who))) return fail(ack, "chat:errors.notFound");
      try {
        ack({ data: await joinAndCatchUp(parsed.data.conversationId, parsed.data.afterSeq ?? 0n) });
      } catch {
        fail(ack, "chat:errors.unavailable");
      }
    });

    socket.on("conversation:send", async (input, ack) => {
      if (typeof ack !== "function") return;
      if (await limited(socket, ack)) return;
      const parsed = customerSendSchema.safeParse(input);
      if (!parsed.success) return fail(ack, "chat:errors.invalid");
      // Joined = access already checked and the chat is open (a close empties the room);
      // otherwise check against the database.
      if (!socket.rooms.has(convRoom(parsed.data.conversationId))) {
        if (!(await customerCanAccess(parsed.data.conversationId, who))) return fail(ack, "chat:errors.notFound");
        const c = await db().conversation.findUnique({ where: { id: parsed.data.conversationId }, select: { status: true } });
        if (!c || c.status === "CLOSED") return fail(ack, "chat:errors.closed");
      }
      typingStopped(socket, parsed.data.conversationId);
      const stored = await relayAndStore(socket, ack, { ...parsed.data, authorKind: "CUSTOMER", authorId: user?.id ?? null });
      if (stored && !stored.duplicate) {
        // Unread counts: only the rep who has the chat (or everyone, while it waits), and
        // not a console that has it open: that one got the message itself and counts it.
        const { conversationId } = parsed.data;
        io.to(stored.assignedRepId ? `user:${stored.assignedRepId}` : "staff")
          .except(staffRoom(conversationId))
          .emit("console:inbox-changed", { reason: "message", conversationId });
      }
    });

    socket.on("conversation:leave-message", async (input, ack) => {
      if (typeof ack !== "function") return;
      if (await limited(socket, ack)) return;
      const parsed = leaveMessageSchema.safeParse(input);
      if (!parsed.success) return fail(ack, parsed.error.issues[0]?.message ?? "chat:errors.invalid");
      if (!(await customerCanAccess(parsed.data.conversationId, who))) return fail(ack, "chat:errors.notFound");
      try {
        const message = await leaveMessage(parsed.data, user?.id ?? null);
        if (!message) return fail(ack, "chat:errors.closed");
        const wire = toWire(message);
        ack({ data: { message: wire } });
        broadcastMessage(wire);
        io.to(convRoom(wire.conversationId)).emit("conversation:status", { conversationId: wire.conversationId, state: "email" });
        io.to("staff").emit("console:inbox-changed", { reason: "email", conversationId: wire.conversationId });
      } catch {
        fail(ack, "chat:errors.unavailable");
      }
    });

    socket.on("conversation:transcript", async (input, ack) => {
      if (typeof ack !== "function") return;
      if (await limited(socket, ack)) return;
      const parsed = z.object({ conversationId: z.string().min(1).max(64) }).safeParse(input);
      if (!parsed.success) return fail(ack, "chat:errors.invalid");
      if (!(await customerCanAccess(parsed.data.conversationId, who))) return fail(ack, "chat:errors.notFound");
      const sent = await sendTranscript(parsed.data.conversationId, clientAddressOf(socket.request, options.trustProxy ?? false));
      if (!sent.ok) return fail(ack, sent.error === "throttled" ? "chat:errors.tooManyTranscripts" : "chat:errors.noEmail");
      ack({ data: { ok: true } });
    });

    socket.on("conversation:typing", async (input) => {
      const parsed = typingSchema.safeParse(input);
      if (!parsed.success) return;
      // A stop is never over budget: it only ends what a counted start began.
      if (!parsed.data.typing) return void typingStopped(socket, parsed.data.conversationId);
      if (await limited(socket, null, typingLimiter)) return;
      if (!socket.rooms.has(convRoom(parsed.data.conversationId))) return;
      typingEvent(socket, parsed.data.conversationId, true);
    });

    socket.on("conversation:read", async (input) => {
      const parsed = readSchema.safeParse(input);
      if (!parsed.success || (await limited(socket, null, typingLimiter))) return;
      if (!socket.rooms.has(convRoom(parsed.data.conversationId))) return;
      const marks = await markMessages(parsed.data.conversationId, "customer", parsed.data.seq, true);
      io.to(staffRoom(parsed.data.conversationId)).emit("conversation:marks", marks);
    });
  }

  function registerStaff(socket: PortalSocket) {
    const user = socket.data.user!;
    void socket.join("staff");
    // Opening the console puts an OFFLINE rep ONLINE (AWAY stays). The inbox and settings
    // wait for it, so the first view is true and a choice made right away is not overwritten.
    const cameOnline = comeOnlineOnConnect(user.id).catch(() => false);
    const pending = graceTimers.get(user.id);
    if (pending) {
      clearTimeout(pending);
      graceTimers.delete(user.id);
    }

    const me = async () => {
      const row = await db().user.findUniqueOrThrow({ where: { id: user.id }, select: { id: true, presence: true, chatCapacity: true, languages: true } });
      return { id: row.id, presence: row.presence, capacity: row.chatCapacity, languages: row.languages };
    };

    socket.on("console:inbox", async (ack) => {
      if (typeof ack !== "function") return;
      await cameOnline;
      try {
        ack({ data: { me: await me(), ...(await inboxFor(user.id)) } });
      } catch {
        fail(ack, "chat:errors.unavailable");
      }
    });

    socket.on("console:settings", async (input, ack) => {
      if (typeof ack !== "function") return;
      const parsed = z
        .object({
          presence: z.enum(["ONLINE", "AWAY", "OFFLINE"]).optional(),
          capacity: z.number().int().min(1).max(20).optional(),
          languages: z.array(z.enum(["en", "es"])).min(1).max(2).optional(),
        })
        .safeParse(input);
      if (!parsed.success) return fail(ack, "chat:errors.invalidSettings");
      await cameOnline;
      const before = await me();
      await db().$transaction(async (tx) => {
        await tx.user.update({
          where: { id: user.id },
          data: {
            presence: parsed.data.presence,
            chatCapacity: parsed.data.capacity,
            languages: parsed.data.languages,
            presenceChangedAt: parsed.data.presence && parsed.data.presence !== before.presence ? new Date() : undefined,
          },
        });
        await recordAudit({ actorId: user.id, entity: "User", entityId: user.id, action: "chat.rep_settings", before, after: parsed.data }, tx);
      });
      ack({ data: await me() });
      if (parsed.data.presence === "OFFLINE") await requeued(await requeueRepChats(user.id, "went_offline"));
      io.to("staff").emit("console:inbox-changed", { reason: "settings", conversationId: "" });
      await dispatch();
    });

    socket.on("console:join", async (input, ack) => {
      if (typeof ack !== "function") return;
      const parsed = afterSchema.safeParse(input);
      if (!parsed.success) return fail(ack, "chat:errors.invalid");
      const item = await inboxItemById(parsed.data.conversationId);
      if (!item) return fail(ack, "chat:errors.notFound");
      await socket.join(staffRoom(item.id));
      ack({ data: { conversation: item, messages: await messagesAfter(item.id, parsed.data.afterSeq ?? 0n, "rep") } });
    });

    socket.on("console:accept", async (input, ack) => {
      if (typeof ack !== "function") return;
      const parsed = z.object({ conversationId: z.string().max(64) }).safeParse(input);
      if (!parsed.success) return fail(ack, "chat:errors.invalid");
      const c = await db().conversation.findUnique({ where: { id: parsed.data.conversationId }, select: { language: true } });
      const reps = await loadRepFacts();
      const mine = reps.find((r) => r.id === user.id);
      if (!c || !mine || !mine.languages.includes(c.language)) return fail(ack, "chat:errors.language");
      if (mine.activeChats >= mine.capacity) return fail(ack, "chat:errors.capacity");
      if (!(await claimConversation(parsed.data.conversationId, user.id, user.id, "picked"))) return fail(ack, "chat:errors.alreadyTaken");
      ack({ data: { ok: true } });
      await announceAssigned(parsed.data.conversationId);
      await refreshQueue();
    });

    socket.on("console:send", async (input, ack) => {
      if (typeof ack !== "function") return;
      if (await limited(socket, ack, staffLimiter)) return;
      const parsed = sendSchema.safeParse(input);
      if (!parsed.success) return fail(ack, "chat:errors.invalid");
      const c = await db().conversation.findUnique({ where: { id: parsed.data.conversationId }, select: { status: true, assignedRepId: true, channel: true } });
      if (!c) return fail(ack, "chat:errors.notFound");
      // An email conversation: the reply goes out by mail, in the customer's language.
      if (c.channel === "EMAIL" && !parsed.data.internal) {
        if (c.status === "CLOSED") return fail(ack, "chat:errors.closed");
        try {
          const message = await replyByEmail(parsed.data.conversationId, { id: user.id, name: user.name }, parsed.data.body, parsed.data.clientMessageId);
          if (!message) return fail(ack, "chat:errors.closed");
          const wire = toWire(message);
          ack({ data: { message: wire } });
          broadcastMessage(wire);
          io.to("staff").emit("console:inbox-changed", { reason: "email_reply", conversationId: wire.conversationId });
        } catch {
          fail(ack, "chat:errors.unavailable");
        }
        return;
      }
      // Anyone on the team may leave an internal note; only the assigned rep writes to the customer.
      if (!parsed.data.internal && (c.status !== "ASSIGNED" || c.assignedRepId !== user.id)) return fail(ack, "chat:errors.notYours");
      if (!parsed.data.internal) typingStopped(socket, parsed.data.conversationId);
      await relayAndStore(socket, ack, { ...parsed.data, authorKind: "REP", authorId: user.id });
    });

    socket.on("console:typing", async (input) => {
      const parsed = typingSchema.safeParse(input);
      if (!parsed.success) return;
      if (!parsed.data.typing) return void typingStopped(socket, parsed.data.conversationId);
      if (await limited(socket, null, typingLimiter)) return;
      const c = await db().conversation.findUnique({ where: { id: parsed.data.conversationId }, select: { assignedRepId: true } });
      if (c?.assignedRepId !== user.id) return;
      typingEvent(socket, parsed.data.conversationId, true);
    });

    socket.on("console:read", async (input) => {
      const parsed = readSchema.safeParse(input);
      if (!parsed.success || (await limited(socket, null, typingLimiter))) return;
      const c = await db().conversation.findUnique({ where: { id: parsed.data.conversationId }, select: { assignedRepId: true } });
      if (c?.assignedRepId !== user.id) return;
      const marks = await markMessages(parsed.data.conversationId, "rep", parsed.data.seq, true);
      io.to(convRoom(parsed.data.conversationId)).emit("conversation:marks", marks);
    });

    socket.on("console:transfer", async (input, ack) => {
      if (typeof ack !== "function") return;
      const parsed = z.object({ conversationId: z.string().max(64), toRepId: z.string().max(64).nullable() }).safeParse(input);
      if (!parsed.success) return fail(ack, "chat:errors.invalid");
      const { conversationId, toRepId } = parsed.data;
      if (toRepId === null) {
        if (!(await requeueConversation(conversationId, user.id, user.id, "sent_back"))) return fail(ack, "chat:errors.notYours");
        ack({ data: { ok: true } });
        await requeued([conversationId]);
        return;
      }
      const result = await transferConversation(conversationId, user.id, toRepId, user.id);
      if (!result.ok) return fail(ack, `chat:errors.transfer.${result.reason}`);
      ack({ data: { ok: true } });
      await announceAssigned(conversationId);
    });

    socket.on("console:close", async (input, ack) => {
      if (typeof ack !== "function") return;
      const parsed = closeSchema.safeParse(input);
      if (!parsed.success) return fail(ack, "chat:errors.dispositionRequired");
      const c = await db().conversation.findUnique({ where: { id: parsed.data.conversationId }, select: { assignedRepId: true, status: true } });
      if (!c || (c.assignedRepId !== user.id && c.status !== "WAITING_EMAIL")) return fail(ack, "chat:errors.notYours");
      if (!(await closeConversation(parsed.data.conversationId, user.id, parsed.data.disposition))) return fail(ack, "chat:errors.closed");
      ack({ data: { ok: true } });
      const last = await db().message.findFirst({ where: { conversationId: parsed.data.conversationId }, orderBy: { seq: "desc" } });
      if (last) broadcastMessage(toWire(last));
      io.to(convRoom(parsed.data.conversationId)).emit("conversation:status", { conversationId: parsed.data.conversationId, state: "closed" });
      io.in(convRoom(parsed.data.conversationId)).socketsLeave(convRoom(parsed.data.conversationId));
      io.to("staff").emit("console:inbox-changed", { reason: "closed", conversationId: parsed.data.conversationId });
      await dispatch();
    });

    socket.on("console:dismiss-spam", async (input, ack) => {
      if (typeof ack !== "function") return;
      if (await limited(socket, ack, staffLimiter)) return;
      const parsed = dismissSpamSchema.safeParse(input);
      if (!parsed.success) return fail(ack, parsed.error.issues[0]?.message ?? "chat:errors.invalid");
      const closed = await dismissAsSpam(user.id, parsed.data.conversationIds);
      ack({ data: { closed } });
      for (const conversationId of closed) {
        const last = await db().message.findFirst({ where: { conversationId }, orderBy: { seq: "desc" } });
        if (last) broadcastMessage(toWire(last));
        io.to(convRoom(conversationId)).emit("conversation:status", { conversationId, state: "closed" });
        io.in(convRoom(conversationId)).socketsLeave(convRoom(conversationId));
      }
      if (closed.length) io.to("staff").emit("console:inbox-changed", { reason: "closed", conversationId: "" });
    });

    socket.on("disconnect", () => {
      void (async () => {
        // Another tab (on any instance) still connected: nothing to do.
        if ((await io.in(`user:${user.id}`).fetchSockets()).length > 0) return;
        const { graceSeconds } = await chatPolicy();
        const timer = setTimeout(() => {
          graceTimers.delete(user.id);
          void (async () => {
            if ((await io.in(`user:${user.id}`).fetchSockets()).length > 0) return;
            await db().user.update({ where: { id: user.id }, data: { presence: "OFFLINE", presenceChangedAt: new Date() } });
            await requeued(await requeueRepChats(user.id, "disconnect_grace"));
            io.to("staff").emit("console:inbox-changed", { reason: "rep_dropped", conversationId: "" });
          })().catch(() => undefined);
        }, graceSeconds * 1000);
        timer.unref();
        graceTimers.set(user.id, timer);
      })().catch(() => undefined);
    });

    // Coming back online with room: take the head of the queue.
    void (async () => {
      if (await cameOnline) io.to("staff").emit("console:inbox-changed", { reason: "settings", conversationId: "" });
      await dispatch();
    })().catch(() => undefined);
  }

  return {
    register(socket) {
      socket.on("disconnect", () => {
        for (const conversationId of [...(typingTimers.get(socket.id)?.keys() ?? [])]) typingStopped(socket, conversationId);
      });
      // An event this side of the chat does not handle (a customer calling rep:*, or the
      // reverse) gets a "forbidden" answer instead of silence.
      socket.onAny((event: string, ...args: unknown[]) => {
        const ack = args.at(-1);
        if (typeof ack === "function" && event !== "system:health" && socket.listeners(event as "conversation:open").length === 0) ack({ error: "chat:errors.forbidden" });
      });
      const role = socket.data.user?.role;
      if (role === "REP" || role === "MANAGER") registerStaff(socket);
      else registerCustomer(socket);
    },
    runtime: {
      stop() {
        clearInterval(sweep);
        chatEvents().off("event", onDomainEvent);
        for (const t of graceTimers.values()) clearTimeout(t);
        graceTimers.clear();
        for (const timers of typingTimers.values()) for (const t of timers.values()) clearTimeout(t);
        typingTimers.clear();
      },
    },
  };
}
