import { describe, expect, it } from "vitest";
import type { IncomingMessage, WireMessage } from "../../app/domain/chat/schemas";
import { emptyThread, has, lastSeq, shownMessages, withIncoming, withMarks, withoutIncoming, withoutUnconfirmed, withStored } from "../../app/domain/chat/thread";

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
    const thread = withMarks(withIncoming(withStored(emptyThread, [stored("1", "a"), stored("2", "r", "REP"), stored("3", "b")]), incoming("c")), "CUSTOMER", { uptoSeq: "2", read: true });
    expect(thread.stored.map((m) => m.readAt !== null)).toEqual([true, false, false]);
    expect(thread.incoming).toHaveLength(1);
  });
});
