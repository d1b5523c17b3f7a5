import type { Logger } from "pino";
import { log } from "../../app/utils/logger.server";
import { chatEvents, type ChatDomainEvent } from "../../app/domain/chat/chat-events.server";
import { conversationWithRep, messageOf } from "../../app/domain/chat/conversation-facts.server";
import { toWire } from "../../app/domain/chat/chat-messages.server";
import type { IncomingMessage, WireMessage } from "../../app/domain/chat/schemas";
import { ConversationClosed, storeMessage, type StoreInput } from "../../app/domain/chat/store-message.server";
import { addSystemMessage } from "../../app/domain/chat/system-messages.server";
import type { StoredEventValue } from "../../app/i18n/stored-event";
import type { Ack } from "../../app/domain/chat/events";
import type { PortalSocket, PortalSocketServer } from "../socket";
import { audienceOf, convRoom, fail, firstName, STAFF, userRoom } from "./rooms";

/** Getting messages and assignments to everyone who should see them. */
export function createBroadcast(io: PortalSocketServer, logger: Logger) {
  /** A stored message to everyone who sees it; sent from a socket, to everyone but that socket (its ack carries it). */
  function message(wire: WireMessage, sender?: PortalSocket) {
    (sender ?? io).to(audienceOf(wire)).emit("conversation:message", wire);
  }

  /**
   * Relay on receipt, confirm when stored: the other side sees the message the moment it
   * arrives (`conversation:incoming`), so delivery never waits on the database; the
   * sender's ack and everyone's stored copy (with its seq) follow the write, and a message
   * that could not be stored is withdrawn. Nothing is acknowledged before it is stored.
   */
  async function relayAndStore(socket: PortalSocket, ack: Ack<{ message: WireMessage }>, input: StoreInput) {
    const incoming: IncomingMessage = {
      conversationId: input.conversationId,
      clientMessageId: input.clientMessageId,
      authorKind: input.authorKind,
      authorId: input.authorId,
      body: input.body,
      internal: input.internal ?? false,
      createdAt: new Date().toISOString(),
    };
    const audience = audienceOf(incoming);
    socket.to(audience).emit("conversation:incoming", incoming);
    try {
      const stored = await storeMessage(input);
      const wire = toWire(stored.message);
      ack({ data: { message: wire } });
      // A resend of a stored message: everyone has it already (clients ignore its relayed copy).
      if (!stored.duplicate) message(wire, socket);
      return stored;
    } catch (error) {
      socket.to(audience).emit("conversation:withdrawn", { conversationId: incoming.conversationId, clientMessageId: incoming.clientMessageId });
      const closed = error instanceof ConversationClosed;
      // log(): the line carries the socket event's request id.
      if (!closed) log().error({ err: error, conversationId: input.conversationId, authorId: input.authorId }, "chat message could not be stored; withdrawn");
      fail(ack, closed ? "chat:errors.closed" : "chat:errors.unavailable");
      return null;
    }
  }

  /** A system line in the thread ("Carlos joined", "back in the queue"), to everyone who sees it. */
  async function system(conversationId: string, key: string, values: Record<string, StoredEventValue> = {}) {
    message(toWire(await addSystemMessage(conversationId, key, values)));
  }

  /** A chat was just assigned: the thread, the customer's status, the rep's console and the team's inbox hear of it. */
  async function assigned(conversationId: string) {
    const c = await conversationWithRep(conversationId);
    if (!c.assignedRepId) return;
    const repName = firstName(c.assignedRep!.name);
    await system(conversationId, "assigned", { name: repName });
    io.to(convRoom(conversationId)).emit("conversation:status", { conversationId, state: "assigned", repName });
    io.to(userRoom(c.assignedRepId)).emit("console:assigned", { conversationId });
    io.to(STAFF).emit("console:inbox-changed", { reason: "assigned", conversationId });
  }

  /** Domain events (webhooks, HTTP actions) become broadcasts; returns how to stop listening. */
  function relayDomainEvents(): () => void {
    const onEvent = (event: ChatDomainEvent) => {
      if (event.type === "inbox-changed") io.to(STAFF).emit("console:inbox-changed", { reason: event.reason, conversationId: event.conversationId });
      // A message stored outside the socket path (a rep's action from the console) goes out like any other.
      if (event.type === "message")
        messageOf(event.conversationId, event.seq).then(
          (m) => m && message(toWire(m)),
          (error: unknown) =>
            logger.error({ err: error, conversationId: event.conversationId, seq: event.seq }, "chat message from an action could not be broadcast"),
        );
    };
    chatEvents().on("event", onEvent);
    return () => chatEvents().off("event", onEvent);
  }

  return { message, relayAndStore, system, assigned, relayDomainEvents };
}

export type Broadcast = ReturnType<typeof createBroadcast>;
