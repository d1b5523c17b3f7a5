import { z } from "zod";
import { log } from "../../app/utils/logger.server";
import { conversationFacts, conversationWithRep } from "../../app/domain/chat/conversation-facts.server";
import { markMessages, messagesAfter, toWire } from "../../app/domain/chat/chat-messages.server";
import { customerCanAccess, openCustomerConversation } from "../../app/domain/chat/open-conversation.server";
import { afterSchema, openChatSchema, sendRefusal, sendSchema } from "../../app/domain/chat/schemas";
import { leaveMessage, leaveMessageSchema, sendTranscript } from "../../app/domain/chat/email-channel.server";
import { isLanguage, type Language } from "../../app/i18n/config";
import { clientAddressOf } from "../client-address";
import type { PortalSocket } from "../socket";
import type { ChatContext } from "./chat-server";
import { conversationOfRoom, convRoom, fail, STAFF, staffRoom, userRoom, view } from "./rooms";
import { readSchema, typingSchema } from "./typing";

// Built once: zod compiles a schema on first use, and these run on every chat event.
const customerSendSchema = sendSchema.omit({ internal: true });
const transcriptSchema = z.object({ conversationId: z.string().min(1).max(64) });

/** The customer's side of the chat: a signed-in customer, or a guest holding one conversation's token. */
export function registerCustomer({ io, limits, typing, broadcast, dispatch, trustProxy }: ChatContext, socket: PortalSocket) {
  const { user, guest } = socket.data;
  const who = { userId: user?.id, guestConversationId: guest?.conversationId };
  const language = (): Language => (isLanguage(socket.data.language) ? socket.data.language : "en");
  const logFailure = (error: unknown, event: string, conversationId?: string) =>
    log().error({ err: error, event, conversationId, userId: user?.id, guestConversationId: guest?.conversationId }, "chat event failed");

  async function joinAndCatchUp(conversationId: string, afterSeq: bigint) {
    const c = await conversationWithRep(conversationId);
    // The room is the socket's pass to write: never for a closed conversation.
    if (c.status !== "CLOSED") await socket.join(convRoom(conversationId));
    if (c.status === "QUEUED") io.to(STAFF).emit("console:inbox-changed", { reason: "new", conversationId });
    // Status first: routing may assign the chat right now and post a system message.
    const status = await dispatch.statusOf(conversationId);
    const messages = await messagesAfter(conversationId, afterSeq, "customer");
    return { conversation: view(c), messages, status };
  }

  // Leaving the page at the "leave a message" offer without writing: a missed chat, not one to route next morning.
  socket.on("disconnecting", () => {
    const left = [...socket.rooms].map(conversationOfRoom).filter((id) => id !== null);
    // After the disconnect completes, so this socket no longer counts as in the room.
    setImmediate(() => {
      for (const conversationId of left) dispatch.visitorLeft(conversationId).catch((error: unknown) => logFailure(error, "disconnect", conversationId));
    });
  });

  socket.on("conversation:open", async (input, ack) => {
    if (typeof ack !== "function") return;
    if (!user || user.role !== "CUSTOMER" || !user.accountId) return fail(ack, "chat:errors.forbidden");
    if (await limits.limited(socket, ack)) return;
    const parsed = openChatSchema.safeParse(input);
    if (!parsed.success) return fail(ack, parsed.error.issues[0]?.message ?? "chat:errors.invalid");
    try {
      const { conversation, created } = await openCustomerConversation({ id: user.id, accountId: user.accountId }, language(), parsed.data);
      if (created) io.to(STAFF).emit("console:inbox-changed", { reason: "new", conversationId: conversation.id });
      ack({ data: await joinAndCatchUp(conversation.id, 0n) });
    } catch (error) {
      logFailure(error, "conversation:open");
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
    } catch (error) {
      logFailure(error, "conversation:join", parsed.data.conversationId);
      fail(ack, "chat:errors.unavailable");
    }
  });

  socket.on("conversation:send", async (input, ack) => {
    if (typeof ack !== "function") return;
    if (await limits.limited(socket, ack)) return;
    const parsed = customerSendSchema.safeParse(input);
    if (!parsed.success) return fail(ack, sendRefusal(parsed.error));
    const { conversationId } = parsed.data;
    // Joined = access already checked and the chat is open (a close empties the room);
    // otherwise check against the database.
    if (!socket.rooms.has(convRoom(conversationId))) {
      if (!(await customerCanAccess(conversationId, who))) return fail(ack, "chat:errors.notFound");
      const c = await conversationFacts(conversationId);
      if (!c || c.status === "CLOSED") return fail(ack, "chat:errors.closed");
    }
    typing.stopped(socket, conversationId);
    const stored = await broadcast.relayAndStore(socket, ack, { ...parsed.data, authorKind: "CUSTOMER", authorId: user?.id ?? null });
    if (stored && !stored.duplicate) {
      // Unread counts: only the rep who has the chat (or everyone, while it waits), and
      // not a console that has it open: that one got the message itself and counts it.
      io.to(stored.assignedRepId ? userRoom(stored.assignedRepId) : STAFF)
        .except(staffRoom(conversationId))
        .emit("console:inbox-changed", { reason: "message", conversationId });
    }
  });

  socket.on("conversation:leave-message", async (input, ack) => {
    if (typeof ack !== "function") return;
    if (await limits.limited(socket, ack)) return;
    const parsed = leaveMessageSchema.safeParse(input);
    if (!parsed.success) return fail(ack, parsed.error.issues[0]?.message ?? "chat:errors.invalid");
    if (!(await customerCanAccess(parsed.data.conversationId, who))) return fail(ack, "chat:errors.notFound");
    try {
      const message = await leaveMessage(parsed.data, user?.id ?? null);
      if (!message) return fail(ack, "chat:errors.closed");
      const wire = toWire(message);
      ack({ data: { message: wire } });
      broadcast.message(wire);
      io.to(convRoom(wire.conversationId)).emit("conversation:status", { conversationId: wire.conversationId, state: "email" });
      io.to(STAFF).emit("console:inbox-changed", { reason: "email", conversationId: wire.conversationId });
    } catch (error) {
      logFailure(error, "conversation:leave-message", parsed.data.conversationId);
      fail(ack, "chat:errors.unavailable");
    }
  });

  socket.on("conversation:transcript", async (input, ack) => {
    if (typeof ack !== "function") return;
    if (await limits.limited(socket, ack)) return;
    const parsed = transcriptSchema.safeParse(input);
    if (!parsed.success) return fail(ack, "chat:errors.invalid");
    if (!(await customerCanAccess(parsed.data.conversationId, who))) return fail(ack, "chat:errors.notFound");
    const sent = await sendTranscript(parsed.data.conversationId, clientAddressOf(socket.request, trustProxy));
    if (!sent.ok) return fail(ack, sent.error === "throttled" ? "chat:errors.tooManyTranscripts" : "chat:errors.noEmail");
    ack({ data: { ok: true } });
  });

  socket.on("conversation:typing", async (input) => {
    const parsed = typingSchema.safeParse(input);
    if (!parsed.success) return;
    // A stop is never over budget: it only ends what a counted start began.
    if (!parsed.data.typing) return void typing.stopped(socket, parsed.data.conversationId);
    if (await limits.limited(socket, null, "typing")) return;
    if (!socket.rooms.has(convRoom(parsed.data.conversationId))) return;
    typing.started(socket, parsed.data.conversationId);
  });

  socket.on("conversation:read", async (input) => {
    const parsed = readSchema.safeParse(input);
    if (!parsed.success || (await limits.limited(socket, null, "typing"))) return;
    if (!socket.rooms.has(convRoom(parsed.data.conversationId))) return;
    const marks = await markMessages(parsed.data.conversationId, "customer", parsed.data.seq, true);
    io.to(staffRoom(parsed.data.conversationId)).emit("conversation:marks", marks);
  });
}
