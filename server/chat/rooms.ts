import type { Ack, ConversationView } from "../../app/domain/chat/events";

/**
 * Socket.IO rooms of the chat: `conv:<id>` the customer side of one conversation,
 * `convstaff:<id>` staff viewing it (also gets internal notes), `staff` every rep,
 * `user:<id>` one person's sockets.
 */
export const convRoom = (conversationId: string) => `conv:${conversationId}`;
/** The conversation whose customer-side room this is, or null for any other room. */
export const conversationOfRoom = (room: string) => (room.startsWith("conv:") ? room.slice("conv:".length) : null);
export const staffRoom = (conversationId: string) => `convstaff:${conversationId}`;
export const userRoom = (userId: string) => `user:${userId}`;
export const STAFF = "staff";

/** Who sees a message: the customer side unless it is an internal note, and the staff viewing it. */
export const audienceOf = (m: { conversationId: string; internal: boolean }) =>
  m.internal ? [staffRoom(m.conversationId)] : [convRoom(m.conversationId), staffRoom(m.conversationId)];

/** The customer sees a rep by first name. */
export const firstName = (name: string) => name.split(" ")[0];

/** Answers an event with a translated error key (and, over a rate limit, when to try again). */
export function fail(ack: unknown, error: string, retryAfterMs?: number) {
  if (typeof ack === "function") (ack as Ack<never>)(retryAfterMs === undefined ? { error } : { error, retryAfterMs });
}

export function view(c: { id: string; topic: string; language: string; status: string; invoiceRef: string | null }): ConversationView {
  return {
    id: c.id,
    topic: c.topic as ConversationView["topic"],
    language: c.language,
    status: c.status as ConversationView["status"],
    invoiceRef: c.invoiceRef,
  };
}
