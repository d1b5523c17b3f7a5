import crypto from "node:crypto";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Outbox, type OutgoingMessage, type SendReply } from "../../app/domain/chat/thread";
import { connected, next, keepChatOpenAllDay, clearChatFloor, record } from "../support/sockets";
import type { Browser } from "../support/portal";
import { startPortal, textOf, type TestPortal } from "../support/portal";

let portal: TestPortal;
const sockets: Socket[] = [];
const ids: Record<string, string> = {};

beforeAll(async () => {
  portal = await startPortal();
  for (const email of [
    "rep1@accounts.example",
    "rep2@accounts.example",
    "rep3@accounts.example",
    "senior@accounts.example",
    "manager@accounts.example",
    "ap@acme-industrial.example",
    "billing@pacificcoast.example",
  ]) {
    ids[email.split("@")[0]] = (await portal.db.user.findUniqueOrThrow({ where: { email } })).id;
  }
  await keepChatOpenAllDay(portal.db);
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await portal?.close();
});

beforeEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await clearChatFloor(portal.db);
});

type Any = any;

async function open(browser: Browser, acceptLanguage?: string): Promise<Socket> {
  const socket = connect(portal.url, {
    transports: ["websocket"],
    extraHeaders: { Cookie: browser.cookieHeader(), ...(acceptLanguage ? { "Accept-Language": acceptLanguage } : {}) },
    reconnection: false,
  });
  sockets.push(socket);
  await connected(socket);
  return socket;
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition not reached");
}

/** A customer of Acme's of their own: chat budgets are per person, and these tests spend them. */
async function newCustomer(): Promise<Browser> {
  const ap = await portal.db.user.findUniqueOrThrow({ where: { email: "ap@acme-industrial.example" } });
  const email = `clerk-${crypto.randomUUID().slice(0, 8)}@acme-industrial.example`;
  await portal.db.user.create({ data: { email, name: "Clerk Test", passwordHash: ap.passwordHash, role: "CUSTOMER", accountId: ap.accountId } });
  return portal.signedIn(email);
}

async function repOnline(email: string): Promise<Socket> {
  const socket = await open(await portal.signedIn(email));
  const reply = await socket.emitWithAck("console:settings", { presence: "ONLINE" });
  expect(reply.data.presence).toBe("ONLINE");
  return socket;
}

async function guest(lang: "en" | "es", fields: Record<string, string> = {}) {
  const browser = portal.browser({ acceptLanguage: lang });
  const form = { name: "María López", email: "maria@example.mx", topic: "INVOICE", ...fields };
  const res = await browser.post("/help", form);
  expect(res.status).toBe(302);
  const conversation = await portal.db.conversation.findFirstOrThrow({ where: { guestEmail: form.email }, orderBy: { createdAt: "desc" } });
  return { browser, conversation };
}

describe("signed-in customer and the account's own rep", () => {
  it("routes to the own rep and carries messages both ways, stored once", async () => {
    const rep1 = await repOnline("rep1@accounts.example");
    await repOnline("rep3@accounts.example");
    const customer = await open(await portal.signedIn("ap@acme-industrial.example"));
    const assigned = next(rep1, "console:assigned");
    const opened = await customer.emitWithAck("conversation:open", { topic: "INVOICE", invoiceRef: "INV-1" });
    expect(opened.data.status).toMatchObject({ state: "assigned", repName: "Alice" });
    const conversationId = opened.data.conversation.id;
    expect((await assigned).conversationId).toBe(conversationId);

    const joined = await rep1.emitWithAck("console:join", { conversationId });
    expect(joined.data.conversation).toMatchObject({ customerName: expect.any(String), accountName: expect.stringContaining("Acme Industrial Supply") });

    const atRep = next(rep1, "conversation:message", (m: Any) => m.authorKind === "CUSTOMER");
    const sent = await customer.emitWithAck("conversation:send", { conversationId, clientMessageId: "c-1", body: "<b>Hello</b> about INV-1" });
    expect(sent.data.message.body).toBe("<b>Hello</b> about INV-1");
    expect((await atRep).seq).toBe(sent.data.message.seq);
    // A resend after a lost ack is the same message, stored once.
    const again = await customer.emitWithAck("conversation:send", { conversationId, clientMessageId: "c-1", body: "<b>Hello</b> about INV-1" });
    expect(again.data.message.seq).toBe(sent.data.message.seq);
    expect(await portal.db.message.count({ where: { conversationId, clientMessageId: "c-1" } })).toBe(1);

    const atCustomer = next(customer, "conversation:message", (m: Any) => m.authorKind === "REP");
    const note = await rep1.emitWithAck("console:send", { conversationId, clientMessageId: "r-note", body: "check the PO", internal: true });
    const reply = await rep1.emitWithAck("console:send", { conversationId, clientMessageId: "r-1", body: "Hi! Looking at it now." });
    const received = await atCustomer;
    expect(received.body).toBe("Hi! Looking at it now.");
    expect((await portal.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).firstResponseAt).not.toBeNull();

    // Catch-up after a reconnect: everything after the last seq, never internal notes.
    const missed = await customer.emitWithAck("conversation:join", { conversationId, afterSeq: sent.data.message.seq });
    expect(missed.data.messages.map((m: Any) => m.seq)).toEqual([reply.data.message.seq]);
    expect(missed.data.messages.some((m: Any) => m.seq === note.data.message.seq)).toBe(false);

    // Read marks travel back to the rep.
    const marks = next(rep1, "conversation:marks");
    customer.emit("conversation:read", { conversationId, seq: reply.data.message.seq });
    expect(await marks).toMatchObject({ conversationId, by: "customer", read: true });
    expect((await portal.db.message.findFirstOrThrow({ where: { conversationId, clientMessageId: "r-1" } })).readAt).not.toBeNull();

    // Closing with a disposition leaves an account note with the transcript.
    const closed = next(customer, "conversation:status", (s: Any) => s.state === "closed");
    expect((await rep1.emitWithAck("console:close", { conversationId, disposition: "resolved" })).data.ok).toBe(true);
    await closed;
    const acme = await portal.db.account.findFirstOrThrow({ where: { number: { not: "" }, users: { some: { id: ids.ap } } } });
    const noteRow = await portal.db.accountNote.findFirstOrThrow({ where: { accountId: acme.id, kind: "chat_summary" }, orderBy: { createdAt: "desc" } });
    expect(noteRow.body).toContain("Hi! Looking at it now.");
    expect(noteRow.body).toContain("Resolved");
  });

  it("sends typing indicators both ways", async () => {
    const rep1 = await repOnline("rep1@accounts.example");
    const customer = await open(await portal.signedIn("ap@acme-industrial.example"));
    const { data } = await customer.emitWithAck("conversation:open", { topic: "CREDIT" });
    await rep1.emitWithAck("console:join", { conversationId: data.conversation.id });
    const typing = next(rep1, "conversation:typing");
    customer.emit("conversation:typing", { conversationId: data.conversation.id, typing: true });
    expect(await typing).toEqual({ conversationId: data.conversation.id, side: "customer", typing: true });
    const back = next(customer, "conversation:typing");
    rep1.emit("console:typing", { conversationId: data.conversation.id, typing: true });
    expect(await back).toEqual({ conversationId: data.conversation.id, side: "rep", typing: true });
  });

  it("rate-limits a person who floods messages, and says when to come back", async () => {
    await repOnline("rep1@accounts.example");
    const customer = await open(await newCustomer());
    const { data } = await customer.emitWithAck("conversation:open", { topic: "OTHER" });
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        customer.emitWithAck("conversation:send", { conversationId: data.conversation.id, clientMessageId: `flood-${i}`, body: `m${i}` }),
      ),
    );
    const refused = replies.filter((r: Any) => r.error === "chat:errors.rateLimited");
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r.retryAfterMs).toBeGreaterThan(0);
    expect(await portal.db.message.count({ where: { conversationId: data.conversation.id, authorKind: "CUSTOMER" } })).toBe(
      replies.filter((r: Any) => r.data).length,
    );
  });

  it("fresh sockets of the same person share the budget: they do not carry on where a limited one stopped", async () => {
    await repOnline("rep1@accounts.example");
    const browser = await newCustomer();
    const first = await open(browser);
    const { data } = await first.emitWithAck("conversation:open", { topic: "OTHER" });
    const conversationId = data.conversation.id;
    // The open spent one point; 19 messages spend the rest.
    for (let i = 0; i < 19; i++)
      expect((await first.emitWithAck("conversation:send", { conversationId, clientMessageId: `b-${i}`, body: `m${i}` })).data).toBeDefined();
    expect(await first.emitWithAck("conversation:send", { conversationId, clientMessageId: "b-over", body: "over" })).toMatchObject({
      error: "chat:errors.rateLimited",
    });
    for (let n = 0; n < 3; n++) {
      const fresh = await open(browser);
      const reply = await fresh.emitWithAck("conversation:send", { conversationId, clientMessageId: `fresh-${n}`, body: `fresh ${n}` });
      expect(reply).toMatchObject({ error: "chat:errors.rateLimited", retryAfterMs: expect.any(Number) });
    }
    expect(await portal.db.message.count({ where: { conversationId, authorKind: "CUSTOMER" } })).toBe(19);
  });

  it("25 quick messages through the client's outbox are all stored, in the order written, none lost to the rate limit", { timeout: 60_000 }, async () => {
    await repOnline("rep1@accounts.example");
    const customer = await open(await newCustomer());
    const { data } = await customer.emitWithAck("conversation:open", { topic: "INVOICE" });
    const conversationId: string = data.conversation.id;
    let shown: OutgoingMessage[] = [];
    const stored: string[] = [];
    const replies: SendReply[] = [];
    const outbox = new Outbox({
      transmit: (m) =>
        new Promise((resolve, reject) =>
          customer
            .timeout(10_000)
            .emit("conversation:send", { conversationId, clientMessageId: m.clientMessageId, body: m.body }, (err: Error | null, reply: SendReply) => {
              if (err) return reject(err);
              replies.push(reply);
              resolve(reply);
            }),
        ),
      onChange: (m) => (shown = m),
      onStored: (m) => stored.push(m.body),
    });
    outbox.setOnline(true);
    const written = Array.from({ length: 25 }, (_, i) => `quick ${i + 1}`);
    for (const body of written) outbox.enqueue(body);
    // Over the limit the outbox waits out the server's retry-after (up to the 10 s window).
    for (let i = 0; i < 400 && !(shown.length === 0 || shown.every((x) => x.state === "failed")); i++) await new Promise((r) => setTimeout(r, 100));
    outbox.dispose();
    // The limit was hit on the way, and waited out: nothing failed, nothing was lost.
    expect(replies.some((r) => "error" in r && r.error === "chat:errors.rateLimited")).toBe(true);
    expect(shown).toEqual([]);
    expect(stored).toEqual(written);
    const rows = await portal.db.message.findMany({ where: { conversationId, authorKind: "CUSTOMER" }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => r.body)).toEqual(written);
  });

  it("typing stops when the typist sends, and on its own after the timeout when no stop comes", { timeout: 30_000 }, async () => {
    const rep1 = await repOnline("rep1@accounts.example");
    const customer = await open(await newCustomer());
    const { data } = await customer.emitWithAck("conversation:open", { topic: "CREDIT" });
    const conversationId = data.conversation.id;
    await rep1.emitWithAck("console:join", { conversationId });

    const started = next(rep1, "conversation:typing", (e: Any) => e.typing);
    customer.emit("conversation:typing", { conversationId, typing: true });
    await started;
    const stoppedOnSend = next(rep1, "conversation:typing", (e: Any) => !e.typing);
    await customer.emitWithAck("conversation:send", { conversationId, clientMessageId: "typed-1", body: "Here it is" });
    expect(await stoppedOnSend).toEqual({ conversationId, side: "customer", typing: false });

    // The rep starts typing and then nothing more arrives (a closed tab, a lost stop).
    const atCustomer = record(customer, ["conversation:typing"]);
    const repStarted = next(customer, "conversation:typing", (e: Any) => e.typing);
    rep1.emit("console:typing", { conversationId, typing: true });
    await repStarted;
    const timedOut = next(customer, "conversation:typing", (e: Any) => !e.typing);
    expect(await timedOut).toEqual({ conversationId, side: "rep", typing: false });
    expect(atCustomer.map((e) => e.payload.typing)).toEqual([true, false]);
  });
});

describe("relay on receipt, confirm when stored", () => {
  const MESSAGE_EVENTS = ["conversation:incoming", "conversation:message", "conversation:withdrawn"];
  const about = (seen: { event: string; payload: Any }[], clientMessageId: string) =>
    seen.filter((e) => e.payload.clientMessageId === clientMessageId).map((e) => e.event);

  /** The account's own rep with the chat open in two console tabs, and the customer in it. */
  async function openChat() {
    const repBrowser = await portal.signedIn("rep1@accounts.example");
    const rep = await open(repBrowser);
    expect((await rep.emitWithAck("console:settings", { presence: "ONLINE" })).data.presence).toBe("ONLINE");
    const repOtherTab = await open(repBrowser);
    const customer = await open(await portal.signedIn("ap@acme-industrial.example"));
    const opened = await customer.emitWithAck("conversation:open", { topic: "INVOICE" });
    expect(opened.data.status).toMatchObject({ state: "assigned", repName: "Alice" });
    const conversationId: string = opened.data.conversation.id;
    await rep.emitWithAck("console:join", { conversationId });
    await repOtherTab.emitWithAck("console:join", { conversationId });
    return { conversationId, rep, repOtherTab, customer };
  }

  it("the rep gets a customer message as it arrives, then as stored; the sender gets no echo, and a resend is not broadcast again", async () => {
    const { conversationId, rep, customer } = await openChat();
    const atRep = record(rep, MESSAGE_EVENTS);
    const atCustomer = record(customer, MESSAGE_EVENTS);

    const stored = next(rep, "conversation:message", (m: Any) => m.clientMessageId === "c-1");
    const sent = await customer.emitWithAck("conversation:send", { conversationId, clientMessageId: "c-1", body: "Is INV-7 paid?" });
    expect((await stored).seq).toBe(sent.data.message.seq);
    const [incoming, message] = atRep.filter((e) => e.payload.clientMessageId === "c-1");
    expect(incoming.event).toBe("conversation:incoming");
    expect(incoming.payload).toEqual({
      conversationId,
      clientMessageId: "c-1",
      authorKind: "CUSTOMER",
      authorId: ids.ap,
      body: "Is INV-7 paid?",
      internal: false,
      createdAt: expect.any(String),
    });
    expect(message.event).toBe("conversation:message");
    expect(message.payload).toMatchObject({ conversationId, clientMessageId: "c-1", seq: sent.data.message.seq, body: "Is INV-7 paid?" });

    // A resend after a lost ack: the same stored message in the ack, and no second broadcast.
    const again = await customer.emitWithAck("conversation:send", { conversationId, clientMessageId: "c-1", body: "Is INV-7 paid?" });
    expect(again.data.message.seq).toBe(sent.data.message.seq);
    // Messages reach a socket in the order they were sent: once the next message is there,
    // a broadcast of the resend would be there too.
    const afterwards = next(rep, "conversation:message", (m: Any) => m.clientMessageId === "c-2");
    await customer.emitWithAck("conversation:send", { conversationId, clientMessageId: "c-2", body: "And INV-8?" });
    await afterwards;
    expect(atRep.filter((e) => e.event === "conversation:message" && e.payload.clientMessageId === "c-1")).toHaveLength(1);
    expect(await portal.db.message.count({ where: { conversationId, clientMessageId: "c-1" } })).toBe(1);
    // The sender's socket has its messages from the acks only.
    expect(about(atCustomer, "c-1")).toEqual([]);
    expect(about(atCustomer, "c-2")).toEqual([]);
  });

  it("a rep's reply reaches the customer and the rep's other tab as it arrives, then as stored, and never echoes to the sending tab", async () => {
    const { conversationId, rep, repOtherTab, customer } = await openChat();
    const atRep = record(rep, MESSAGE_EVENTS);
    const atOtherTab = record(repOtherTab, MESSAGE_EVENTS);
    const atCustomer = record(customer, MESSAGE_EVENTS);
    const storedAtCustomer = next(customer, "conversation:message", (m: Any) => m.clientMessageId === "r-1");
    const storedAtOtherTab = next(repOtherTab, "conversation:message", (m: Any) => m.clientMessageId === "r-1");
    const sent = await rep.emitWithAck("console:send", { conversationId, clientMessageId: "r-1", body: "Yes, paid on the 3rd." });
    expect((await storedAtCustomer).seq).toBe(sent.data.message.seq);
    expect((await storedAtOtherTab).seq).toBe(sent.data.message.seq);
    expect(about(atCustomer, "r-1")).toEqual(["conversation:incoming", "conversation:message"]);
    expect(about(atOtherTab, "r-1")).toEqual(["conversation:incoming", "conversation:message"]);
    expect(atCustomer.find((e) => e.event === "conversation:incoming")!.payload).toMatchObject({
      authorKind: "REP",
      authorId: ids.rep1,
      body: "Yes, paid on the 3rd.",
      internal: false,
    });
    // The customer's next message is a marker: anything sent to the rep before it has arrived.
    const marker = next(rep, "conversation:message", (m: Any) => m.clientMessageId === "c-marker");
    await customer.emitWithAck("conversation:send", { conversationId, clientMessageId: "c-marker", body: "Thanks" });
    await marker;
    expect(about(atRep, "r-1")).toEqual([]);
  });

  it("internal notes never reach the customer's side, not even as incoming", async () => {
    const { conversationId, rep, repOtherTab, customer } = await openChat();
    const atCustomer = record(customer, MESSAGE_EVENTS);
    const noteAtOtherTab = next(repOtherTab, "conversation:incoming", (m: Any) => m.clientMessageId === "n-1");
    await rep.emitWithAck("console:send", { conversationId, clientMessageId: "n-1", body: "Customer disputes late fees", internal: true });
    expect((await noteAtOtherTab).internal).toBe(true);
    // The reply after it is a marker: the note, had it been sent to the customer, would be there before it.
    const reply = next(customer, "conversation:message", (m: Any) => m.clientMessageId === "r-2");
    await rep.emitWithAck("console:send", { conversationId, clientMessageId: "r-2", body: "Let me check." });
    await reply;
    expect(about(atCustomer, "n-1")).toEqual([]);
    expect(about(atCustomer, "r-2")).toEqual(["conversation:incoming", "conversation:message"]);
  });

  it("a message the store refuses (the chat was closed meanwhile) is withdrawn: the sender hears why, the rep drops it, nothing is stored", async () => {
    const { conversationId, rep, customer } = await openChat();
    const atRep = record(rep, MESSAGE_EVENTS);
    // Closed elsewhere, between the room check and the write: the customer's socket is
    // still in the room (a close through the console would empty it), so the message is relayed.
    await portal.db.conversation.update({ where: { id: conversationId }, data: { status: "CLOSED" } });
    const withdrawn = next(rep, "conversation:withdrawn", (e: Any) => e.clientMessageId === "late-1");
    expect(await customer.emitWithAck("conversation:send", { conversationId, clientMessageId: "late-1", body: "One more thing" })).toEqual({
      error: "chat:errors.closed",
    });
    expect(await withdrawn).toEqual({ conversationId, clientMessageId: "late-1" });
    expect(about(atRep, "late-1")).toEqual(["conversation:incoming", "conversation:withdrawn"]);
    expect(await portal.db.message.count({ where: { conversationId, clientMessageId: "late-1" } })).toBe(0);
  });

  it("a console with the chat open counts its customer messages itself; a console without it is told the inbox changed", async () => {
    const { conversationId, rep, customer } = await openChat();
    const elsewhere = await open(await portal.signedIn("rep1@accounts.example"));
    const changedElsewhere = next(elsewhere, "console:inbox-changed", (e: Any) => e.reason === "message" && e.conversationId === conversationId);
    const atRep = record(rep, ["console:inbox-changed"]);
    const stored = next(rep, "conversation:message", (m: Any) => m.clientMessageId === "c-3");
    await customer.emitWithAck("conversation:send", { conversationId, clientMessageId: "c-3", body: "Hello?" });
    await stored;
    await changedElsewhere;
    // Round trip: whatever the send sent this console arrived before this answer.
    await rep.emitWithAck("console:inbox");
    expect(atRep.filter((e) => e.payload.reason === "message")).toEqual([]);
  });
});

describe("guests on the help page", () => {
  it("a chat waiting behind one that arrived a moment earlier is assigned right after it, while the rep has room", async () => {
    const rep1 = await repOnline("rep1@accounts.example");
    expect((await rep1.emitWithAck("console:settings", { capacity: 5 })).data.capacity).toBe(5);
    // Arrived just before and not routed yet (its customer's join still in flight): FIFO says it goes first.
    const earlier = await portal.db.conversation.create({
      data: {
        channel: "CHAT",
        topic: "OTHER",
        language: "en",
        status: "QUEUED",
        queuedAt: new Date(Date.now() - 5000),
        guestName: "Earlier Guest",
        guestEmail: "earlier@example.com",
        lastMessageAt: new Date(),
      },
    });
    const { browser, conversation } = await guest("en", { email: "later@example.com" });
    const socket = await open(browser);
    const assigned = new Promise((resolve) => socket.on("conversation:status", (s: Any) => s.state === "assigned" && resolve(s)));
    const joined = await socket.emitWithAck("conversation:join", { conversationId: conversation.id });
    // On a server database the follow-up pass can finish before the join answers.
    if (joined.data.status.state === "queued") {
      expect(joined.data.status.position).toBe(2);
      expect(await assigned).toMatchObject({ conversationId: conversation.id, state: "assigned", repName: "Alice" });
    } else {
      expect(joined.data.status).toMatchObject({ state: "assigned", repName: "Alice" });
    }
    const rows = await portal.db.conversation.findMany({ where: { id: { in: [earlier.id, conversation.id] } }, orderBy: { assignedAt: "asc" } });
    expect(rows.map((r) => [r.id, r.status, r.assignedRepId])).toEqual([
      [earlier.id, "ASSIGNED", ids.rep1],
      [conversation.id, "ASSIGNED", ids.rep1],
    ]);
  });

  it("a Spanish guest goes to the bilingual rep, not the English-only one, with system messages in Spanish", async () => {
    await repOnline("rep1@accounts.example");
    const rep3 = await repOnline("rep3@accounts.example");
    const { browser, conversation } = await guest("es", { accountNumber: "ACME-0001" });
    expect(conversation.language).toBe("es");
    const assigned = next(rep3, "console:assigned");
    const socket = await open(browser);
    const joined = await socket.emitWithAck("conversation:join", { conversationId: conversation.id });
    expect(joined.data.status).toMatchObject({ state: "assigned", repName: "Carlos" });
    expect((await assigned).conversationId).toBe(conversation.id);
    // System messages are written in batches, so the join snapshot can predate the
    // "joined" line: read what the guest will see once it is stored.
    let texts = "";
    for (let i = 0; i < 50 && !texts.includes("Carlos se unió al chat."); i++) {
      if (i) await new Promise((r) => setTimeout(r, 100));
      const again = await socket.emitWithAck("conversation:join", { conversationId: conversation.id });
      texts = again.data.messages.map((m: Any) => m.body).join(" | ");
    }
    expect(joined.data.messages.map((m: Any) => m.body).join(" | ")).toContain("Gracias por escribirnos");
    expect(texts).toContain("Gracias por escribirnos");
    expect(texts).toContain("Carlos se unió al chat.");
    // The claimed account number is an internal note for the rep, not shown to the guest.
    expect(texts).not.toContain("ACME-0001");
    const repView = await rep3.emitWithAck("console:join", { conversationId: conversation.id });
    expect(repView.data.messages.some((m: Any) => m.internal && m.body.includes("ACME-0001"))).toBe(true);
    expect(repView.data.conversation.accountId).toBeNull();
  });

  it("with only the English-only rep online, the Spanish guest is told, in Spanish terms, that nobody speaks the language", async () => {
    await repOnline("rep1@accounts.example");
    const { browser, conversation } = await guest("es");
    const socket = await open(browser);
    const joined = await socket.emitWithAck("conversation:join", { conversationId: conversation.id });
    expect(joined.data.status).toEqual({ conversationId: conversation.id, state: "offline", reason: "no_rep_for_language" });
  });

  it("queues with position and estimated wait when the language's reps are full", async () => {
    await portal.db.user.update({ where: { id: ids.rep2 }, data: { chatCapacity: 1 } });
    try {
      await repOnline("rep2@accounts.example");
      const first = await guest("es");
      await (await open(first.browser)).emitWithAck("conversation:join", { conversationId: first.conversation.id });
      const second = await guest("es", { email: "otro@example.mx" });
      const socket = await open(second.browser);
      const joined = await socket.emitWithAck("conversation:join", { conversationId: second.conversation.id });
      expect(joined.data.status).toMatchObject({ state: "queued", position: 1 });
      expect(joined.data.status.estimatedWaitSeconds).toBeGreaterThan(0);
    } finally {
      await portal.db.user.update({ where: { id: ids.rep2 }, data: { chatCapacity: 4 } });
    }
  });

  it("shows translated errors for a bad guest form and creates nothing", async () => {
    const browser = portal.browser({ acceptLanguage: "es" });
    const before = await portal.db.conversation.count();
    const res = await browser.post("/help", { name: "", email: "no-es-correo", topic: "NOPE" });
    expect(res.status).toBe(400);
    const text = textOf(await res.text());
    expect(text).toContain("Escriba su nombre.");
    expect(text).toContain("Escriba un correo electrónico válido.");
    expect(await portal.db.conversation.count()).toBe(before);
  });
});

describe("isolation", () => {
  it("a customer cannot read or write another conversation by guessing its id", async () => {
    await repOnline("rep1@accounts.example");
    const acme = await open(await portal.signedIn("ap@acme-industrial.example"));
    const { data } = await acme.emitWithAck("conversation:open", { topic: "PAYMENT" });
    const other = await open(await portal.signedIn("billing@pacificcoast.example"));
    expect(await other.emitWithAck("conversation:join", { conversationId: data.conversation.id })).toEqual({ error: "chat:errors.notFound" });
    expect(await other.emitWithAck("conversation:send", { conversationId: data.conversation.id, clientMessageId: "x", body: "hi" })).toEqual({
      error: "chat:errors.notFound",
    });
    expect(await portal.db.message.count({ where: { conversationId: data.conversation.id, clientMessageId: "x" } })).toBe(0);
    // Typing and read marks into a room it never joined go nowhere.
    other.emit("conversation:read", { conversationId: data.conversation.id, seq: "999999" });
    // A guest token is good for its own conversation only.
    const { browser } = await guest("en");
    const guestSocket = await open(browser);
    expect(await guestSocket.emitWithAck("conversation:join", { conversationId: data.conversation.id })).toEqual({ error: "chat:errors.notFound" });
    expect(await guestSocket.emitWithAck("conversation:open", { topic: "OTHER" })).toEqual({ error: "chat:errors.forbidden" });
  });

  it("customers never reach the rep side of the socket or the console", async () => {
    const customerBrowser = await portal.signedIn("ap@acme-industrial.example");
    const customer = await open(customerBrowser);
    expect(await customer.emitWithAck("console:inbox")).toEqual({ error: "chat:errors.forbidden" });
    expect(await customer.emitWithAck("console:settings", { presence: "ONLINE" })).toEqual({ error: "chat:errors.forbidden" });
    const acme = await portal.db.account.findFirstOrThrow({ where: { users: { some: { id: ids.ap } } } });
    expect((await customerBrowser.get("/rep/chat")).status).toBe(403);
    const glance = await customerBrowser.get(`/rep/chat/accounts/${acme.id}`);
    expect(glance.status).toBe(403);
    expect(await glance.text()).not.toContain("Acme");
    // Signed out: the console sends you to sign in; a socket without a session or guest token is refused.
    expect((await portal.browser().get("/rep/chat")).status).toBe(302);
    const anonymous = connect(portal.url, { transports: ["websocket"], reconnection: false });
    sockets.push(anonymous);
    expect((await new Promise<Error>((resolve) => anonymous.on("connect_error", resolve))).message).toBe("unauthorized");
  });

  it("staff get the account at a glance as JSON", async () => {
    const rep = await portal.signedIn("rep1@accounts.example");
    const acme = await portal.db.account.findFirstOrThrow({ where: { users: { some: { id: ids.ap } } } });
    const res = await rep.get(`/rep/chat/accounts/${acme.id}`);
    expect(res.status).toBe(200);
    const glance = await res.json();
    expect(glance.summary.account.legalName).toContain("Acme Industrial Supply");
    expect(glance.summary.openBalance.currency).toBe("USD");
    expect(Array.isArray(glance.invoices)).toBe(true);
    expect((await rep.get("/rep/chat/accounts/nope")).status).toBe(404);
  });
});

describe("requeue and reassignment", () => {
  it("puts a dropped rep's chat back at the head after the grace period; the next rep sees the full history", async () => {
    await portal.db.policySetting.update({ where: { key: "chat.disconnectGraceSeconds" }, data: { value: 1 } });
    const rep3 = await repOnline("rep3@accounts.example");
    const { browser, conversation } = await guest("es");
    const customer = await open(browser);
    const joined = await customer.emitWithAck("conversation:join", { conversationId: conversation.id });
    expect(joined.data.status).toMatchObject({ state: "assigned", repName: "Carlos" });
    await customer.emitWithAck("conversation:send", { conversationId: conversation.id, clientMessageId: "g-1", body: "¿Me ayuda con mi factura?" });
    const requeued = next(customer, "conversation:message", (m: Any) => m.authorKind === "SYSTEM" && m.body.includes("primer lugar"));
    rep3.disconnect();
    await requeued;
    const row = await until(
      () => portal.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } }),
      (c) => c.status === "QUEUED",
    );
    expect(row.assignedRepId).toBeNull();
    expect(await portal.db.auditLog.count({ where: { entityId: conversation.id, action: "chat.requeued" } })).toBe(1);
    expect((await portal.db.user.findUniqueOrThrow({ where: { id: ids.rep3 } })).presence).toBe("OFFLINE");

    const assigned = next(customer, "conversation:status", (s: Any) => s.state === "assigned");
    const senior = await repOnline("senior@accounts.example");
    expect(await assigned).toMatchObject({ repName: "Diana" });
    const history = await senior.emitWithAck("console:join", { conversationId: conversation.id });
    expect(history.data.messages.map((m: Any) => m.body)).toContain("¿Me ayuda con mi factura?");
  });

  it("moves an unanswered chat to another rep who speaks the language, and the audit shows it", async () => {
    await portal.db.policySetting.update({ where: { key: "chat.unansweredReassignSeconds" }, data: { value: 1 } });
    try {
      const rep3 = await repOnline("rep3@accounts.example");
      await repOnline("rep1@accounts.example");
      const { browser, conversation } = await guest("es");
      const customer = await open(browser);
      await customer.emitWithAck("conversation:join", { conversationId: conversation.id });
      expect((await portal.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).assignedRepId).toBe(ids.rep3);
      const rep2 = await repOnline("rep2@accounts.example");
      const toRep2 = next(rep2, "console:assigned");
      expect((await toRep2).conversationId).toBe(conversation.id);
      const audit = await portal.db.auditLog.findFirstOrThrow({ where: { entityId: conversation.id, action: "chat.reassigned_unanswered" } });
      expect(audit.before).toEqual({ assignedRepId: ids.rep3 });
      expect(rep3.connected).toBe(true);
      // A manager sees it happened, on the console.
      const manager = await portal.signedIn("manager@accounts.example");
      expect(textOf((await manager.page("/rep/chat")).html)).toContain("Not answered by Carlos Mendoza in time: moved to Beatriz Ramírez");
      const rep = await portal.signedIn("rep1@accounts.example");
      expect(textOf((await rep.page("/rep/chat")).html)).not.toContain("Not answered by");
    } finally {
      await portal.db.policySetting.update({ where: { key: "chat.unansweredReassignSeconds" }, data: { value: 90 } });
    }
  });

  it("transfers to a rep who speaks the language, or back to the queue", async () => {
    const rep1 = await repOnline("rep1@accounts.example");
    const rep3 = await repOnline("rep3@accounts.example");
    const customer = await open(await portal.signedIn("ap@acme-industrial.example"));
    const { data } = await customer.emitWithAck("conversation:open", { topic: "DISPUTE" });
    const conversationId = data.conversation.id;
    const toRep3 = next(rep3, "console:assigned");
    expect(await rep1.emitWithAck("console:transfer", { conversationId, toRepId: ids.rep3 })).toEqual({ data: { ok: true } });
    await toRep3;
    expect(await rep1.emitWithAck("console:send", { conversationId, clientMessageId: "no", body: "not mine any more" })).toEqual({
      error: "chat:errors.notYours",
    });
    expect(await rep3.emitWithAck("console:transfer", { conversationId, toRepId: ids.rep2 })).toEqual({ error: "chat:errors.transfer.not_available" });
    expect(await portal.db.auditLog.count({ where: { entityId: conversationId, action: "chat.transferred" } })).toBe(1);
  });
});
