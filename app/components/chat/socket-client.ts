import { io, type Socket } from "socket.io-client";
import type { ChatClientToServer, ChatServerToClient } from "../../domain/chat/events";
import type { WireMessage } from "../../domain/chat/schemas";
import { Outbox, typingSignal, type OutgoingMessage, type SendReply } from "../../domain/chat/thread";

/**
 * The browser's side of the chat socket, shared by the customer widget and the rep
 * console: connecting, sending written messages through an ordered outbox (sent when
 * the server takes them, resent with the same client id, shown failed with a retry),
 * the typing signal, and telling a dropped connection from an ended session.
 */
export type ChatSocket = Socket<ChatServerToClient, ChatClientToServer>;

/** How long a send waits for the server's ack before it counts as a failed try. */
export const ACK_TIMEOUT_MS = 20_000;

/** Opens the chat socket; the session (or guest chat token) cookie is the credential. */
export function connectChat(): ChatSocket {
  return io({ withCredentials: true });
}

/**
 * Follows the connection: `online` on each (re)connect and drop; `signedOut` when the
 * server ended the socket — the session is over (signed out, here or elsewhere), and no
 * reconnect follows.
 */
export function watchConnection(socket: ChatSocket, on: { online(connected: boolean): void; signedOut(): void }) {
  socket.on("connect", () => on.online(true));
  socket.on("disconnect", (reason) => {
    on.online(false);
    if (reason === "io server disconnect") on.signedOut();
  });
}

type Sender = "customer" | "console";

/** One message to the server, answered by its ack or failed after ACK_TIMEOUT_MS. */
function transmit(
  socket: ChatSocket | null,
  sender: Sender,
  conversationId: string | null,
  m: Pick<OutgoingMessage, "clientMessageId" | "body" | "internal">,
): Promise<SendReply> {
  return new Promise((resolve, reject) => {
    if (!socket?.connected || !conversationId) return reject(new Error("offline"));
    const answered = (err: Error | null, reply: SendReply) => (err ? reject(err) : resolve(reply));
    const message = { conversationId, clientMessageId: m.clientMessageId, body: m.body };
    if (sender === "console") socket.timeout(ACK_TIMEOUT_MS).emit("console:send", { ...message, internal: m.internal }, answered);
    else socket.timeout(ACK_TIMEOUT_MS).emit("conversation:send", message, answered);
  });
}

/** The written messages of one conversation, sent in order over whatever socket is current. */
export function chatOutbox(options: {
  sender: Sender;
  socket: () => ChatSocket | null;
  conversationId: () => string | null;
  onChange: (messages: OutgoingMessage[]) => void;
  /** The ack carries the stored copy: the sending socket gets no broadcast of its own message. */
  onStored: (message: WireMessage) => void;
}): Outbox {
  return new Outbox({
    transmit: (m) => transmit(options.socket(), options.sender, options.conversationId(), m),
    onChange: options.onChange,
    onStored: options.onStored,
  });
}

/** "Typing…" for the other side: started by keystrokes, refreshed, and stopped on idle, send or leaving. */
export function typingOut(sender: Sender, socket: () => ChatSocket | null, conversationId: () => string | null) {
  return typingSignal((typing) => {
    const id = conversationId();
    if (!id) return;
    if (sender === "console") socket()?.emit("console:typing", { conversationId: id, typing });
    else socket()?.emit("conversation:typing", { conversationId: id, typing });
  });
}
