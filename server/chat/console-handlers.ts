import { z } from "zod";
import { log } from "../../app/utils/logger.server";
import { acceptConversation, requeueConversation, requeueRepChats, transferConversation } from "../../app/domain/chat/assignment.server";
import { conversationFacts, lastMessage } from "../../app/domain/chat/conversation-facts.server";
import { markMessages, messagesAfter, toWire } from "../../app/domain/chat/chat-messages.server";
import { closeConversation, dismissAsSpam } from "../../app/domain/chat/close-conversation.server";
import { inboxFor, inboxItemById } from "../../app/domain/chat/inbox.server";
import { afterSchema, closeSchema, dismissSpamSchema, repSettingsSchema, sendRefusal, sendSchema } from "../../app/domain/chat/schemas";
import { replyByEmail } from "../../app/domain/chat/email-channel.server";
import { changeRepChatSettings, comeOnlineOnConnect, repChatSettings } from "../../app/domain/chat/presence.server";
import type { PortalSocket } from "../socket";
import type { ChatContext } from "./chat-server";
import { convRoom, fail, STAFF, staffRoom } from "./rooms";
import { readSchema, typingSchema } from "./typing";

const acceptSchema = z.object({ conversationId: z.string().max(64) });
const transferSchema = z.object({ conversationId: z.string().max(64), toRepId: z.string().max(64).nullable() });
const ACCEPT_REFUSALS = { language: "chat:errors.language", capacity: "chat:errors.capacity", already_taken: "chat:errors.alreadyTaken" } as const;

/** The rep console's side of the chat (reps and managers). */
export function registerConsole({ io, limits, typing, broadcast, dispatch, requeue, timers }: ChatContext, socket: PortalSocket) {
  const user = socket.data.user!;
  const logFailure = (error: unknown, event: string, conversationId?: string) =>
    log().error({ err: error, event, conversationId, userId: user.id }, "chat console event failed");
  void socket.join(STAFF);
  // Opening the console puts an OFFLINE rep ONLINE (AWAY stays). The inbox and settings
  // wait for it, so the first view is true and a choice made right away is not overwritten.
  const cameOnline = comeOnlineOnConnect(user.id).catch((error: unknown) => {
    logFailure(error, "connect");
    return false;
  });
  timers.cancelGrace(user.id);

  /** A closed conversation: its closing line to everyone, and the customer side leaves the room. */
  async function announceClosed(conversationId: string) {
    const last = await lastMessage(conversationId);
    if (last) broadcast.message(toWire(last));
    io.to(convRoom(conversationId)).emit("conversation:status", { conversationId, state: "closed" });
    io.in(convRoom(conversationId)).socketsLeave(convRoom(conversationId));
  }

  socket.on("console:inbox", async (ack) => {
    if (typeof ack !== "function") return;
    await cameOnline;
    try {
      ack({ data: { me: await repChatSettings(user.id), ...(await inboxFor(user.id)) } });
    } catch (error) {
      logFailure(error, "console:inbox");
      fail(ack, "chat:errors.unavailable");
    }
  });

  socket.on("console:settings", async (input, ack) => {
    if (typeof ack !== "function") return;
    const parsed = repSettingsSchema.safeParse(input);
    if (!parsed.success) return fail(ack, "chat:errors.invalidSettings");
    await cameOnline;
    const changed = await changeRepChatSettings(user.id, parsed.data);
    if (!changed.ok) return fail(ack, "chat:errors.overMaxCapacity");
    ack({ data: changed.settings });
    if (parsed.data.presence === "OFFLINE") await requeue.requeued(await requeueRepChats(user.id, "went_offline"));
    io.to(STAFF).emit("console:inbox-changed", { reason: "settings", conversationId: "" });
    await dispatch.dispatch();
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
    const parsed = acceptSchema.safeParse(input);
    if (!parsed.success) return fail(ack, "chat:errors.invalid");
    const accepted = await acceptConversation(parsed.data.conversationId, user.id);
    if (!accepted.ok) return fail(ack, ACCEPT_REFUSALS[accepted.reason]);
    ack({ data: { ok: true } });
    await broadcast.assigned(parsed.data.conversationId);
    await dispatch.refreshQueue();
  });

  socket.on("console:send", async (input, ack) => {
    if (typeof ack !== "function") return;
    if (await limits.limited(socket, ack, "staff")) return;
    const parsed = sendSchema.safeParse(input);
    if (!parsed.success) return fail(ack, sendRefusal(parsed.error));
    const { conversationId } = parsed.data;
    const c = await conversationFacts(conversationId);
    if (!c) return fail(ack, "chat:errors.notFound");
    // An email conversation: the reply goes out by mail, in the customer's language.
    if (c.channel === "EMAIL" && !parsed.data.internal) {
      if (c.status === "CLOSED") return fail(ack, "chat:errors.closed");
      try {
        const message = await replyByEmail(conversationId, { id: user.id, name: user.name }, parsed.data.body, parsed.data.clientMessageId);
        if (!message) return fail(ack, "chat:errors.closed");
        const wire = toWire(message);
        ack({ data: { message: wire } });
        broadcast.message(wire);
        io.to(STAFF).emit("console:inbox-changed", { reason: "email_reply", conversationId });
      } catch (error) {
        logFailure(error, "console:send", conversationId);
        fail(ack, "chat:errors.unavailable");
      }
      return;
    }
    // Anyone on the team may leave an internal note; only the assigned rep writes to the customer.
    if (!parsed.data.internal && (c.status !== "ASSIGNED" || c.assignedRepId !== user.id)) return fail(ack, "chat:errors.notYours");
    if (!parsed.data.internal) typing.stopped(socket, conversationId);
    await broadcast.relayAndStore(socket, ack, { ...parsed.data, authorKind: "REP", authorId: user.id });
  });

  socket.on("console:typing", async (input) => {
    const parsed = typingSchema.safeParse(input);
    if (!parsed.success) return;
    if (!parsed.data.typing) return void typing.stopped(socket, parsed.data.conversationId);
    if (await limits.limited(socket, null, "typing")) return;
    const c = await conversationFacts(parsed.data.conversationId);
    if (c?.assignedRepId !== user.id) return;
    typing.started(socket, parsed.data.conversationId);
  });

  socket.on("console:read", async (input) => {
    const parsed = readSchema.safeParse(input);
    if (!parsed.success || (await limits.limited(socket, null, "typing"))) return;
    const c = await conversationFacts(parsed.data.conversationId);
    if (c?.assignedRepId !== user.id) return;
    const marks = await markMessages(parsed.data.conversationId, "rep", parsed.data.seq, true);
    io.to(convRoom(parsed.data.conversationId)).emit("conversation:marks", marks);
  });

  socket.on("console:transfer", async (input, ack) => {
    if (typeof ack !== "function") return;
    const parsed = transferSchema.safeParse(input);
    if (!parsed.success) return fail(ack, "chat:errors.invalid");
    const { conversationId, toRepId } = parsed.data;
    if (toRepId === null) {
      if (!(await requeueConversation(conversationId, user.id, user.id, "sent_back"))) return fail(ack, "chat:errors.notYours");
      ack({ data: { ok: true } });
      await requeue.requeued([conversationId]);
      return;
    }
    const result = await transferConversation(conversationId, user.id, toRepId, user.id);
    if (!result.ok) return fail(ack, `chat:errors.transfer.${result.reason}`);
    ack({ data: { ok: true } });
    await broadcast.assigned(conversationId);
  });

  socket.on("console:close", async (input, ack) => {
    if (typeof ack !== "function") return;
    const parsed = closeSchema.safeParse(input);
    if (!parsed.success) return fail(ack, "chat:errors.dispositionRequired");
    const { conversationId } = parsed.data;
    const c = await conversationFacts(conversationId);
    if (!c || (c.assignedRepId !== user.id && c.status !== "WAITING_EMAIL")) return fail(ack, "chat:errors.notYours");
    if (!(await closeConversation(conversationId, user.id, parsed.data.disposition))) return fail(ack, "chat:errors.closed");
    ack({ data: { ok: true } });
    await announceClosed(conversationId);
    io.to(STAFF).emit("console:inbox-changed", { reason: "closed", conversationId });
    await dispatch.dispatch();
  });

  socket.on("console:dismiss-spam", async (input, ack) => {
    if (typeof ack !== "function") return;
    if (await limits.limited(socket, ack, "staff")) return;
    const parsed = dismissSpamSchema.safeParse(input);
    if (!parsed.success) return fail(ack, parsed.error.issues[0]?.message ?? "chat:errors.invalid");
    const closed = await dismissAsSpam(user.id, parsed.data.conversationIds);
    ack({ data: { closed } });
    for (const conversationId of closed) await announceClosed(conversationId);
    if (closed.length) io.to(STAFF).emit("console:inbox-changed", { reason: "closed", conversationId: "" });
  });

  socket.on("disconnect", () => {
    timers.startGrace(user.id).catch((error: unknown) => logFailure(error, "disconnect"));
  });

  // Coming back online with room: take the head of the queue.
  void (async () => {
    if (await cameOnline) io.to(STAFF).emit("console:inbox-changed", { reason: "settings", conversationId: "" });
    await dispatch.dispatch();
  })().catch((error: unknown) => logFailure(error, "connect"));
}
