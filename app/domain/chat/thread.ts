// Longer than 300 lines because it is the one pure thread state (outbox, retries, read marks, typing) that both the widget and the console reduce over.
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
    stored: thread.stored.map((m) =>
      m.authorKind === author && BigInt(m.seq) <= upto ? { ...m, deliveredAt: m.deliveredAt ?? at, readAt: marks.read ? (m.readAt ?? at) : m.readAt } : m,
    ),
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

/** While someone types, "typing" goes out again this often… */
export const TYPING_REFRESH_MS = 2500;
/** …and the other side stops showing it this long after the last one, whatever else is lost. */
export const TYPING_TIMEOUT_MS = 6000;
/** A composer untouched this long has stopped typing. */
export const TYPING_IDLE_MS = 2000;

/** Timers, injectable so a test can run time forward. */
export type Timers = { set(run: () => void, ms: number): unknown; clear(handle: unknown): void; now(): number };
const realTimers: Timers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/**
 * What a composer tells the other side: "typing" at the first keystroke and again every
 * TYPING_REFRESH_MS while keystrokes keep coming (not one event per key), and "stopped"
 * after TYPING_IDLE_MS without one, when the message is sent, and when the composer goes.
 */
export function typingSignal(emit: (typing: boolean) => void, timers: Timers = realTimers) {
  let typing = false;
  let lastSent = 0;
  let idle: unknown;
  const stop = () => {
    timers.clear(idle);
    idle = undefined;
    if (!typing) return;
    typing = false;
    emit(false);
  };
  return {
    keystroke() {
      const now = timers.now();
      if (!typing || now - lastSent >= TYPING_REFRESH_MS) {
        typing = true;
        lastSent = now;
        emit(true);
      }
      timers.clear(idle);
      idle = timers.set(stop, TYPING_IDLE_MS);
    },
    stop,
  };
}

/**
 * Whether the other side is shown typing: on at "typing", off at "stopped", when a
 * message of theirs arrives, or TYPING_TIMEOUT_MS after the last "typing" heard.
 */
export function typingIndicator(show: (typing: boolean) => void, timers: Timers = realTimers) {
  let timeout: unknown;
  const heard = (typing: boolean) => {
    timers.clear(timeout);
    timeout = typing ? timers.set(() => show(false), TYPING_TIMEOUT_MS) : undefined;
    show(typing);
  };
  return { heard, messageArrived: () => heard(false), dispose: () => timers.clear(timeout) };
}

/** One message the client accepted and has not seen stored: on its way, or failed (with a retry). */
export type OutgoingMessage = {
  clientMessageId: string;
  body: string;
  internal: boolean;
  state: "sending" | "failed";
  attempts: number;
  /** Why the last try did not go through (a `chat:errors.*` key), or null. */
  error: string | null;
  /** When it goes again after a refusal (the server's retry-after), or null. */
  retryAt: number | null;
};

/** The server's answer to a send: the stored message, or why not (with when to come back if over the limit). */
export type SendReply = { data: { message: WireMessage } } | { error: string; retryAfterMs?: number };

/** Errors after which the same message may well go through later; anything else fails at once. */
const RETRYABLE = new Set(["chat:errors.rateLimited", "chat:errors.unavailable"]);

export type OutboxOptions = {
  /** Sends one message; rejects when no answer came (the connection went, or no ack in time). */
  transmit(message: Pick<OutgoingMessage, "clientMessageId" | "body" | "internal">): Promise<SendReply>;
  /** The messages not yet stored, in order, after every change. */
  onChange(messages: OutgoingMessage[]): void;
  /** A message the server stored (its ack). */
  onStored(message: WireMessage): void;
  /** Tries per message before it is shown as failed. */
  maxAttempts?: number;
  timers?: Timers;
};

export function newClientMessageId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/**
 * The messages a client accepted, sent one at a time in the order written, each until
 * the server stores it (its client id makes a resend harmless). Over the rate limit it
 * waits the server's retry-after and sends again; without a connection it waits for
 * one; after `maxAttempts` tries, or an error no retry can cure, the message — and every
 * one behind it, so nothing overtakes it — is marked failed until `retry()` or the next
 * message sends them again, still in order. Nothing accepted is ever dropped silently.
 */
export class Outbox {
  private items: OutgoingMessage[] = [];
  private online = false;
  private busy = false;
  private wake: unknown;
  private disposed = false;
  private readonly timers: Timers;
  private readonly maxAttempts: number;

  constructor(private readonly options: OutboxOptions) {
    this.timers = options.timers ?? realTimers;
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  get messages(): readonly OutgoingMessage[] {
    return this.items;
  }

  /** Accepts a message; any failed ones before it go again first. */
  enqueue(body: string, options: { internal?: boolean; clientMessageId?: string } = {}): OutgoingMessage {
    this.requeueFailed();
    const message: OutgoingMessage = {
      clientMessageId: options.clientMessageId ?? newClientMessageId(),
      body,
      internal: options.internal ?? false,
      state: "sending",
      attempts: 0,
      error: null,
      retryAt: null,
    };
    this.items.push(message);
    this.changed();
    void this.pump();
    return message;
  }

  /** Connected (and joined) or not; messages wait while not. */
  setOnline(online: boolean) {
    this.online = online;
    if (online) void this.pump();
  }

  /** Sends the failed messages again, in order. */
  retry() {
    this.requeueFailed();
    this.changed();
    void this.pump();
  }

  /** Marks everything not yet stored as failed (the session ended: nothing will take them now). */
  failAll(error: string) {
    for (const m of this.items) Object.assign(m, { state: "failed", error, retryAt: null });
    this.changed();
  }

  /** Forgets every message not yet stored (the customer left a closed chat for a new one). */
  clear() {
    this.items = [];
    this.changed();
  }

  dispose() {
    this.disposed = true;
    this.timers.clear(this.wake);
  }

  private requeueFailed() {
    for (const m of this.items) if (m.state === "failed") Object.assign(m, { state: "sending", attempts: 0, error: null, retryAt: null });
  }

  private changed() {
    this.items = [...this.items];
    this.options.onChange(this.items.map((m) => ({ ...m })));
  }

  private async pump(): Promise<void> {
    if (this.disposed || !this.online || this.busy || this.wake !== undefined) return;
    const head = this.items.find((m) => m.state === "sending");
    if (!head) return;
    const wait = (head.retryAt ?? 0) - this.timers.now();
    if (wait > 0) {
      this.wake = this.timers.set(() => {
        this.wake = undefined;
        void this.pump();
      }, wait);
      return;
    }
    this.busy = true;
    head.attempts++;
    let reply: SendReply | null;
    try {
      reply = await this.options.transmit({ clientMessageId: head.clientMessageId, body: head.body, internal: head.internal });
    } catch {
      reply = null;
    }
    this.busy = false;
    if (this.disposed) return;
    // Cleared meanwhile: whatever became of it belongs to a conversation the client left.
    if (!this.items.includes(head)) return void this.pump();
    if (reply && "data" in reply) {
      this.items = this.items.filter((m) => m !== head);
      this.options.onStored(reply.data.message);
    } else if (!reply && !this.online) {
      // The connection went: not this message's fault; it goes again once connected.
      head.attempts--;
    } else {
      const error = reply?.error ?? "chat:errors.unavailable";
      if ((reply === null || RETRYABLE.has(error)) && head.attempts < this.maxAttempts) {
        const delay = reply?.retryAfterMs ?? Math.min(1000 * 2 ** (head.attempts - 1), 15_000);
        Object.assign(head, { error, retryAt: this.timers.now() + delay });
      } else {
        // It and everything behind it, so no later message is stored before it.
        for (const m of this.items.slice(this.items.indexOf(head))) if (m.state === "sending") Object.assign(m, { state: "failed", error, retryAt: null });
      }
    }
    this.changed();
    void this.pump();
  }
}
