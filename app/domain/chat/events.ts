/**
 * The chat's typed event contract, shared by the socket server (`server/chat/`) and the
 * browser clients. It lives in the domain because both sides may import from here.
 * Acks are `{ data } | { error }`; `error` is a translation key in the `chat` namespace.
 * Over the rate limit, the error carries `retryAfterMs`: when the same event will be taken.
 */
import type { Presence } from "./routing";
import type { ConversationStatus, IncomingMessage, Topic, WireMessage } from "./schemas";

export type { ConversationStatus, Presence, Topic };

export type Ack<T> = (reply: { data: T } | { error: string; retryAfterMs?: number }) => void;

/** Where a chat stands, as the customer sees it. The client words it in its own language. */
export type ChatStatus =
  | { conversationId: string; state: "queued"; position: number; estimatedWaitSeconds: number }
  | { conversationId: string; state: "assigned"; repName: string }
  | { conversationId: string; state: "offline"; reason: "outside_hours" | "no_rep_for_language"; reopensAt?: string }
  | { conversationId: string; state: "email" }
  | { conversationId: string; state: "closed" };

export type ConversationView = {
  id: string;
  topic: Topic;
  language: string;
  status: ConversationStatus;
  invoiceRef: string | null;
};

export type InboxItem = ConversationView & {
  channel: "CHAT" | "EMAIL";
  customerName: string;
  accountId: string | null;
  accountName: string | null;
  assignedRepId: string | null;
  assignedRepName: string | null;
  queuedAt: string | null;
  lastMessageAt: string | null;
  unread: number;
};

export type Inbox = {
  me: { id: string; presence: Presence; capacity: number; languages: string[]; maxCapacity: number };
  queued: InboxItem[];
  mine: InboxItem[];
  team: InboxItem[];
};

export type ChatClientToServer = {
  /** Signed-in customer: open (or resume) a chat. */
  "conversation:open": (
    input: { topic: Topic; invoiceRef?: string },
    ack: Ack<{ conversation: ConversationView; messages: WireMessage[]; status: ChatStatus }>,
  ) => void;
  /** Customer (or guest): join an own conversation and get what was missed after `afterSeq`. */
  "conversation:join": (
    input: { conversationId: string; afterSeq?: string },
    ack: Ack<{ conversation: ConversationView; messages: WireMessage[]; status: ChatStatus }>,
  ) => void;
  "conversation:send": (input: { conversationId: string; clientMessageId: string; body: string }, ack: Ack<{ message: WireMessage }>) => void;
  /** `typing: true` again every few seconds while typing; the other side drops it after TYPING_TIMEOUT_MS without one. */
  "conversation:typing": (input: { conversationId: string; typing: boolean }) => void;
  "conversation:read": (input: { conversationId: string; seq: string }) => void;
  /** Nobody available: leave a message; the conversation continues by email. */
  "conversation:leave-message": (input: { conversationId: string; clientMessageId: string; body: string }, ack: Ack<{ message: WireMessage }>) => void;
  "conversation:transcript": (input: { conversationId: string }, ack: Ack<{ ok: true }>) => void;

  "console:inbox": (ack: Ack<Inbox>) => void;
  "console:settings": (input: { presence?: Presence; capacity?: number; languages?: string[] }, ack: Ack<Inbox["me"]>) => void;
  "console:join": (input: { conversationId: string; afterSeq?: string }, ack: Ack<{ conversation: InboxItem; messages: WireMessage[] }>) => void;
  "console:accept": (input: { conversationId: string }, ack: Ack<{ ok: true }>) => void;
  "console:send": (input: { conversationId: string; clientMessageId: string; body: string; internal?: boolean }, ack: Ack<{ message: WireMessage }>) => void;
  "console:typing": (input: { conversationId: string; typing: boolean }) => void;
  "console:read": (input: { conversationId: string; seq: string }) => void;
  "console:transfer": (input: { conversationId: string; toRepId: string | null }, ack: Ack<{ ok: true }>) => void;
  "console:close": (input: { conversationId: string; disposition: string }, ack: Ack<{ ok: true }>) => void;
  /** Closes the chosen waiting conversations as spam; answers with the ones closed. */
  "console:dismiss-spam": (input: { conversationIds: string[] }, ack: Ack<{ closed: string[] }>) => void;
};

export type ChatServerToClient = {
  /** A message as stored, with its seq: replaces the incoming copy with the same client message id. */
  "conversation:message": (message: WireMessage) => void;
  /** A message the other side just sent, relayed before it is stored (never to its sender's own socket). */
  "conversation:incoming": (message: IncomingMessage) => void;
  /** An incoming message that could not be stored: drop it (the sender got an error and may resend). */
  "conversation:withdrawn": (input: { conversationId: string; clientMessageId: string }) => void;
  "conversation:status": (status: ChatStatus) => void;
  "conversation:typing": (input: { conversationId: string; side: "customer" | "rep"; typing: boolean }) => void;
  "conversation:marks": (input: { conversationId: string; uptoSeq: string; by: "customer" | "rep"; read: boolean }) => void;
  /** Staff: something in the inbox changed (new chat, assignment, close). */
  "console:inbox-changed": (input: { reason: string; conversationId: string }) => void;
  /** Staff: a chat was assigned to you. */
  "console:assigned": (input: { conversationId: string }) => void;
};
