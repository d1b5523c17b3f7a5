import { describe, expect, it } from "vitest";
import type { IncomingMessage, WireMessage } from "../../app/domain/chat/schemas";
import {
  emptyThread,
  has,
  lastSeq,
  Outbox,
  shownMessages,
  typingIndicator,
  typingSignal,
  TYPING_IDLE_MS,
  TYPING_REFRESH_MS,
  TYPING_TIMEOUT_MS,
  withIncoming,
  withMarks,
  withoutIncoming,
  withoutUnconfirmed,
  withStored,
  type OutgoingMessage,
  type SendReply,
  type Timers,
} from "../../app/domain/chat/thread";

const conversationId = "conv-1";
const incoming = (clientMessageId: string, body = `body of ${clientMessageId}`): IncomingMessage => ({
  conversationId,
  clientMessageId,
  authorKind: "CUSTOMER",
  authorId: "user-1",
  body,
  internal: false,
  createdAt: "2026-01-05T10:00:00.000Z",
});
const stored = (seq: string, clientMessageId: string | null, authorKind: WireMessage["authorKind"] = "CUSTOMER"): WireMessage => ({
  seq,
  conversationId,
  authorKind,
  authorId: null,
  body: `body of ${clientMessageId ?? seq}`,
  internal: false,
  clientMessageId,
  createdAt: "2026-01-05T10:00:01.000Z",
  deliveredAt: null,
  readAt: null,
});

describe("a conversation's thread in the browser", () => {
  it("shows an incoming message at the end until its stored copy replaces it", () => {
    let thread = withStored(emptyThread, [stored("1", null, "SYSTEM")]);
    thread = withIncoming(thread, incoming("a"));
    expect(shownMessages(thread).map((m) => [m.key, m.seq])).toEqual([
      ["1", "1"],
      ["incoming-a", null],
    ]);
    thread = withStored(thread, [stored("2", "a")]);
    expect(shownMessages(thread).map((m) => [m.key, m.seq])).toEqual([
      ["1", "1"],
      ["2", "2"],
    ]);
  });

  it("ignores an incoming message it already has, stored or incoming (a resend)", () => {
    let thread = withStored(emptyThread, [stored("2", "a")]);
    expect(withIncoming(thread, incoming("a"))).toBe(thread);
    thread = withIncoming(thread, incoming("b"));
    expect(withIncoming(thread, incoming("b"))).toBe(thread);
    expect(shownMessages(thread)).toHaveLength(2);
  });

  it("merges stored messages by seq, however often one arrives, in seq order", () => {
    const thread = withStored(withStored(emptyThread, [stored("5", "e"), stored("3", "c")]), [stored("3", "c"), stored("4", "d")]);
    expect(thread.stored.map((m) => m.seq)).toEqual(["3", "4", "5"]);
    expect(lastSeq(thread)).toBe("5");
  });

  it("drops a withdrawn incoming message, never a stored one", () => {
    let thread = withIncoming(withStored(emptyThread, [stored("2", "a")]), incoming("b"));
    thread = withoutIncoming(thread, "b");
    expect(has(thread, "b")).toBe(false);
    thread = withoutIncoming(thread, "a");
    expect(shownMessages(thread).map((m) => m.key)).toEqual(["2"]);
  });

  it("after a lost connection keeps only what is stored; catch-up starts after the last stored seq", () => {
    const thread = withoutUnconfirmed(withIncoming(withStored(emptyThread, [stored("7", "a")]), incoming("b")));
    expect(shownMessages(thread).map((m) => m.key)).toEqual(["7"]);
    expect(lastSeq(thread)).toBe("7");
  });

  it("puts read marks on the author's stored messages up to the seq only", () => {
    const thread = withMarks(withIncoming(withStored(emptyThread, [stored("1", "a"), stored("2", "r", "REP"), stored("3", "b")]), incoming("c")), "CUSTOMER", {
      uptoSeq: "2",
      read: true,
    });
    expect(thread.stored.map((m) => m.readAt !== null)).toEqual([true, false, false]);
    expect(thread.incoming).toHaveLength(1);
  });
});

/** A clock the test moves: timers fire only when it is advanced past them. */
function manualClock(): Timers & { advance(ms: number): Promise<void> } {
  let now = 0;
  let nextId = 0;
  const due = new Map<number, { at: number; run: () => void }>();
  return {
    now: () => now,
    set(run, ms) {
      due.set(++nextId, { at: now + ms, run });
      return nextId;
    },
    clear(handle) {
      due.delete(handle as number);
    },
    async advance(ms) {
      const until = now + ms;
      for (;;) {
        await settle();
        const [id, timer] = [...due.entries()].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
        if (id === undefined || timer!.at > until) break;
        due.delete(id);
        now = timer!.at;
        timer!.run();
      }
      now = until;
      await settle();
    },
  };
}
const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

/** A server stand-in that stores in arrival order, refusing whatever `refuse` says. */
function fakeServer(refuse: (clientMessageId: string, attempt: number) => SendReply | "drop" | null = () => null) {
  const storedIds: string[] = [];
  const tries = new Map<string, number>();
  let seq = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const transmit = async (m: { clientMessageId: string; body: string }): Promise<SendReply> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await Promise.resolve();
    inFlight--;
    const attempt = (tries.get(m.clientMessageId) ?? 0) + 1;
    tries.set(m.clientMessageId, attempt);
    const refusal = refuse(m.clientMessageId, attempt);
    if (refusal === "drop") throw new Error("socket has been disconnected");
    if (refusal) return refusal;
    if (!storedIds.includes(m.clientMessageId)) storedIds.push(m.clientMessageId);
    return { data: { message: stored(String(++seq), m.clientMessageId) } };
  };
  return { transmit, storedIds, tries, maxInFlight: () => maxInFlight };
}

function outboxOn(server: ReturnType<typeof fakeServer>, clock: Timers) {
  let shown: OutgoingMessage[] = [];
  const storedHere: string[] = [];
  const outbox = new Outbox({
    transmit: server.transmit,
    onChange: (m) => (shown = m),
    onStored: (m) => storedHere.push(m.clientMessageId!),
    timers: clock,
    maxAttempts: 3,
  });
  return { outbox, shown: () => shown, storedHere };
}

describe("the outbox of messages a client accepted", () => {
  it("sends one at a time in the order written; over the limit it waits the server's retry-after and sends the same message again", async () => {
    const clock = manualClock();
    const server = fakeServer((id, attempt) => (id === "m3" && attempt === 1 ? { error: "chat:errors.rateLimited", retryAfterMs: 4000 } : null));
    const { outbox, shown, storedHere } = outboxOn(server, clock);
    outbox.setOnline(true);
    for (let i = 1; i <= 5; i++) outbox.enqueue(`message ${i}`, { clientMessageId: `m${i}` });
    await clock.advance(0);
    expect(storedHere).toEqual(["m1", "m2"]);
    expect(shown().map((m) => [m.clientMessageId, m.state, m.error])).toEqual([
      ["m3", "sending", "chat:errors.rateLimited"],
      ["m4", "sending", null],
      ["m5", "sending", null],
    ]);
    await clock.advance(3999);
    expect(storedHere).toEqual(["m1", "m2"]);
    await clock.advance(1);
    expect(storedHere).toEqual(["m1", "m2", "m3", "m4", "m5"]);
    expect(server.storedIds).toEqual(["m1", "m2", "m3", "m4", "m5"]);
    expect(server.maxInFlight()).toBe(1);
    expect(shown()).toEqual([]);
  });

  it("after its last try marks the message failed, and every one behind it, so nothing overtakes it; a retry sends them in order", async () => {
    const clock = manualClock();
    let down = true;
    const server = fakeServer(() => (down ? { error: "chat:errors.unavailable" } : null));
    const { outbox, shown, storedHere } = outboxOn(server, clock);
    outbox.setOnline(true);
    outbox.enqueue("first", { clientMessageId: "a" });
    outbox.enqueue("second", { clientMessageId: "b" });
    await clock.advance(60_000);
    expect(server.tries.get("a")).toBe(3);
    expect(server.tries.has("b")).toBe(false);
    expect(shown().map((m) => [m.clientMessageId, m.state, m.error])).toEqual([
      ["a", "failed", "chat:errors.unavailable"],
      ["b", "failed", "chat:errors.unavailable"],
    ]);
    down = false;
    outbox.retry();
    await clock.advance(0);
    expect(storedHere).toEqual(["a", "b"]);
    expect(shown()).toEqual([]);
  });

  it("fails at once on an error no retry cures, and the next message written sends the failed ones first", async () => {
    const clock = manualClock();
    let closed = true;
    const server = fakeServer(() => (closed ? { error: "chat:errors.closed" } : null));
    const { outbox, shown, storedHere } = outboxOn(server, clock);
    outbox.setOnline(true);
    outbox.enqueue("one", { clientMessageId: "x" });
    await clock.advance(0);
    expect(server.tries.get("x")).toBe(1);
    expect(shown().map((m) => m.state)).toEqual(["failed"]);
    closed = false;
    outbox.enqueue("two", { clientMessageId: "y" });
    await clock.advance(0);
    expect(storedHere).toEqual(["x", "y"]);
  });

  it("waits while offline; a connection lost mid-send is not held against the message, which goes again once connected", async () => {
    const clock = manualClock();
    let dropped = false;
    const server = fakeServer((id) => {
      if (id !== "p" || dropped) return null;
      dropped = true;
      outbox.setOnline(false);
      return "drop";
    });
    const { outbox, shown, storedHere } = outboxOn(server, clock);
    outbox.enqueue("queued while offline", { clientMessageId: "p" });
    await clock.advance(10_000);
    expect(server.tries.size).toBe(0);
    outbox.setOnline(true);
    await clock.advance(0);
    expect(shown().map((m) => [m.state, m.attempts])).toEqual([["sending", 0]]);
    outbox.setOnline(true);
    await clock.advance(0);
    expect(storedHere).toEqual(["p"]);
  });

  it("a session that ended marks everything failed; clearing forgets it", async () => {
    const clock = manualClock();
    const { outbox, shown } = outboxOn(fakeServer(), clock);
    outbox.enqueue("never sent", { clientMessageId: "z" });
    outbox.failAll("chat:errors.signedOut");
    expect(shown().map((m) => [m.state, m.error])).toEqual([["failed", "chat:errors.signedOut"]]);
    outbox.clear();
    expect(shown()).toEqual([]);
  });
});

describe("typing, with a stop and a timeout", () => {
  it("a composer says typing once, again every refresh period while typing goes on, and stopped when idle or on send", async () => {
    const clock = manualClock();
    const sent: boolean[] = [];
    const signal = typingSignal((t) => sent.push(t), clock);
    signal.keystroke();
    signal.keystroke();
    expect(sent).toEqual([true]);
    for (let elapsed = 0; elapsed <= TYPING_REFRESH_MS; elapsed += 500) {
      await clock.advance(500);
      signal.keystroke();
    }
    expect(sent).toEqual([true, true]);
    await clock.advance(TYPING_IDLE_MS);
    expect(sent).toEqual([true, true, false]);
    signal.keystroke();
    signal.stop();
    signal.stop();
    expect(sent).toEqual([true, true, false, true, false]);
  });

  it("the other side shows typing until stopped, a message of theirs arrives, or the timeout passes without a new typing", async () => {
    const clock = manualClock();
    let showing = false;
    const indicator = typingIndicator((t) => (showing = t), clock);
    indicator.heard(true);
    await clock.advance(TYPING_TIMEOUT_MS - 1);
    expect(showing).toBe(true);
    indicator.heard(true);
    await clock.advance(TYPING_TIMEOUT_MS - 1);
    expect(showing).toBe(true);
    await clock.advance(1);
    expect(showing).toBe(false);
    indicator.heard(true);
    indicator.messageArrived();
    expect(showing).toBe(false);
    indicator.heard(true);
    indicator.heard(false);
    expect(showing).toBe(false);
  });
});
