import type { IncomingMessage, WireMessage } from "./schemas";

/**
 * One conversation as a browser holds it, shared by the customer widget and the rep
 * console. `stored` are the messages the server has stored, in seq order; `incoming`
 * are messages the other side just sent, relayed before they are stored, in arrival
 * order after the stored ones. Only stored messages have a seq, so read marks and
 * catch-up (`afterSeq`) never point at a message that may yet be withdrawn.
 */
export type Thread = { stored: WireMessage[]; incoming: IncomingMessage[] };

export const emptyThread: Thread = { stored: [], incoming: [] };

/**
 * Stored messages (an ack, a broadcast or a catch-up) merged by seq, so a message seen
 * twice is kept once; each one replaces its incoming copy.
 */
export function withStored(thread: Thread, messages: WireMessage[]): Thread {
  if (!messages.length) return thread;
  const bySeq = new Map(thread.stored.map((m) => [m.seq, m]));
  for (const m of messages) bySeq.set(m.seq, { ...bySeq.get(m.seq), ...m });
  const stored = [...bySeq.values()].sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
  const confirmed = new Set(messages.map((m) => m.clientMessageId));
  return { stored, incoming: thread.incoming.filter((m) => !confirmed.has(m.clientMessageId)) };
}

/**
 * A message relayed on receipt, shown at the end until it is stored or withdrawn. A
 * resend of a message already here (stored or not) changes nothing.
 */
export function withIncoming(thread: Thread, message: IncomingMessage): Thread {
  if (has(thread, message.clientMessageId)) return thread;
  return { ...thread, incoming: [...thread.incoming, message] };
}

/** An incoming message that could not be stored goes away; a stored one never does. */
export function withoutIncoming(thread: Thread, clientMessageId: string): Thread {
  if (!thread.incoming.some((m) => m.clientMessageId === clientMessageId)) return thread;
  return { ...thread, incoming: thread.incoming.filter((m) => m.clientMessageId !== clientMessageId) };
}

/**
 * After a lost connection nobody will confirm or withdraw what was relayed before it:
 * the catch-up on rejoining brings whatever of it was stored.
 */
export function withoutUnconfirmed(thread: Thread): Thread {
  return thread.incoming.length ? { ...thread, incoming: [] } : thread;
}

/** Whether the thread already shows the message with this client id, stored or incoming. */
export function has(thread: Thread, clientMessageId: string | null): boolean {
  if (clientMessageId === null) return false;
  return thread.incoming.some((m) => m.clientMessageId === clientMessageId) || thread.stored.some((m) => m.clientMessageId === clientMessageId);
}

/** The other side's delivered/read marks on `author`'s stored messages up to a seq. */
export function withMarks(thread: Thread, author: "CUSTOMER" | "REP", marks: { uptoSeq: string; read: boolean }): Thread {
  const upto = BigInt(marks.uptoSeq);
  const at = new Date().toISOString();
  return {
    ...thread,
    stored: thread.stored.map((m) => (m.authorKind === author && BigInt(m.seq) <= upto ? { ...m, deliveredAt: m.deliveredAt ?? at, readAt: marks.read ? (m.readAt ?? at) : m.readAt } : m)),
  };
}

/** The newest stored seq: where a catch-up starts. */
export function lastSeq(thread: Thread): string | undefined {
  return thread.stored.at(-1)?.seq;
}

/** A message as shown: stored or incoming alike, with a key unique in the thread. */
export type ShownMessage = Omit<WireMessage, "seq"> & { key: string; seq: string | null };

export function shownMessages(thread: Thread): ShownMessage[] {
  return [
    ...thread.stored.map((m) => ({ ...m, key: m.seq })),
    // A seq is digits only, so the prefix keeps both kinds of key apart.
    ...thread.incoming.map((m) => ({ ...m, key: `incoming-${m.clientMessageId}`, seq: null, deliveredAt: null, readAt: null })),
  ];
}
