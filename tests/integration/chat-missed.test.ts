/**
 * Chats nobody should be routed: a visitor offered "leave a message" (after hours) who
 * leaves without writing is closed as missed, and such an offer never reaches a rep when
 * chat opens. Also the team's chat rules (policy data) as routing reads them, and the
 * message length the server enforces. All through the socket, as the widget and console use it.
 */
import crypto from "node:crypto";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connected, keepChatOpenAllDay, clearChatFloor } from "../support/sockets";
import { startPortal, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
const sockets: Socket[] = [];

beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await portal?.close();
});
beforeEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await clearChatFloor(portal.db);
  await keepChatOpenAllDay(portal.db);
  await portal.db.policySetting.deleteMany({ where: { key: { in: ["chat.defaultCapacity", "chat.maxCapacity"] } } });
});

async function open(browser: Browser): Promise<Socket> {
  const socket = connect(portal.url, { transports: ["websocket"], extraHeaders: { Cookie: browser.cookieHeader() }, reconnection: false });
  sockets.push(socket);
  await connected(socket);
  return socket;
}

/** A customer of Acme's of their own: chat budgets are per person. */
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

/** Live chat closed right now (today is a holiday for both teams). */
async function closeChatForToday() {
  const today = new Date().toISOString().slice(0, 10);
  for (const lang of ["en", "es"])
    await portal.db.policySetting.update({
      where: { key: `hours.${lang}` },
      data: { value: { timezone: "UTC", days: [0, 1, 2, 3, 4, 5, 6], open: "00:00", close: "24:00", holidays: [today] } },
    });
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition not reached");
}

describe("a chat abandoned at the after-hours offer", () => {
  it("is closed as missed when the visitor leaves without writing, and no rep gets it when chat opens", async () => {
    await closeChatForToday();
    const customer = await open(await newCustomer());
    const opened = await customer.emitWithAck("conversation:open", { topic: "INVOICE" });
    expect(opened.data.status).toMatchObject({ state: "offline", reason: "outside_hours" });
    const conversationId: string = opened.data.conversation.id;

    customer.disconnect();
    const closed = await until(
      () => portal.db.conversation.findUniqueOrThrow({ where: { id: conversationId } }),
      (c) => c.status === "CLOSED",
    );
    expect(closed).toMatchObject({ status: "CLOSED", disposition: "missed", offlineReason: "outside_hours", assignedRepId: null });
    expect(await portal.db.auditLog.count({ where: { entityId: conversationId, action: "chat.missed" } })).toBe(1);

    // Next morning: a rep comes online and takes the head of the queue — not this one.
    await keepChatOpenAllDay(portal.db);
    const rep = await repOnline("rep1@accounts.example");
    const inbox = await rep.emitWithAck("console:inbox");
    expect(inbox.data.queued.map((c: { id: string }) => c.id)).not.toContain(conversationId);
    expect(await portal.db.auditLog.count({ where: { entityId: conversationId, action: "chat.assigned" } })).toBe(0);
  });

  it("stays out of the live queue while the visitor is still on the page, so chat opening does not route it", async () => {
    await closeChatForToday();
    const customer = await open(await newCustomer());
    const opened = await customer.emitWithAck("conversation:open", { topic: "PAYMENT" });
    expect(opened.data.status).toMatchObject({ state: "offline" });
    const conversationId: string = opened.data.conversation.id;

    await keepChatOpenAllDay(portal.db);
    const rep = await repOnline("rep1@accounts.example");
    // A full dispatch ran with the rep free (settings, then the inbox after it).
    await rep.emitWithAck("console:settings", { presence: "ONLINE" });
    await rep.emitWithAck("console:inbox");
    const row = await portal.db.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(row).toMatchObject({ status: "QUEUED", assignedRepId: null });
    expect(row.offlineOfferedAt).not.toBeNull();

    // Leaving the offer still closes it as missed.
    customer.disconnect();
    await until(
      () => portal.db.conversation.findUniqueOrThrow({ where: { id: conversationId } }),
      (c) => c.disposition === "missed",
    );
  });

  it("is not closed as missed while the visitor has another tab on it", async () => {
    await closeChatForToday();
    const browser = await newCustomer();
    const first = await open(browser);
    const opened = await first.emitWithAck("conversation:open", { topic: "OTHER" });
    const conversationId: string = opened.data.conversation.id;
    const second = await open(browser);
    expect((await second.emitWithAck("conversation:join", { conversationId })).data.status).toMatchObject({ state: "offline" });
    first.disconnect();
    await new Promise((r) => setTimeout(r, 300));
    expect((await portal.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe("QUEUED");
  });
});

describe("message length", () => {
  it("refuses a message over 4,000 characters with a translated reason, stores nothing, and takes one at the limit", async () => {
    const rep = await repOnline("rep1@accounts.example");
    const customer = await open(await portal.signedIn("ap@acme-industrial.example"));
    const opened = await customer.emitWithAck("conversation:open", { topic: "INVOICE" });
    const conversationId: string = opened.data.conversation.id;

    const long = await customer.emitWithAck("conversation:send", { conversationId, clientMessageId: "long-1", body: "x".repeat(20_000) });
    expect(long).toEqual({ error: "chat:errors.messageTooLong" });
    expect(await portal.db.message.count({ where: { conversationId, clientMessageId: "long-1" } })).toBe(0);

    const atLimit = await customer.emitWithAck("conversation:send", { conversationId, clientMessageId: "limit-1", body: "y".repeat(4000) });
    expect(atLimit.data.message.body).toHaveLength(4000);

    const repLong = await rep.emitWithAck("console:send", { conversationId, clientMessageId: "rep-long", body: "z".repeat(4001) });
    expect(repLong).toEqual({ error: "chat:errors.messageTooLong" });
  });
});

describe("the team's chat rules as routing reads them", () => {
  it("a supervisor's maximum capacity limits how many chats routing gives a rep, and a rep cannot choose more", async () => {
    const senior = await portal.signedIn("senior@accounts.example");
    const saved = await senior.post("/rep/chat/policy", { unansweredReassignSeconds: "90", defaultCapacity: "1", maxCapacity: "1" });
    expect(saved.status).toBe(200);

    const rep = await repOnline("rep1@accounts.example");
    const a = await open(await newCustomer());
    const b = await open(await newCustomer());
    expect((await a.emitWithAck("conversation:open", { topic: "INVOICE" })).data.status).toMatchObject({ state: "assigned" });
    expect((await b.emitWithAck("conversation:open", { topic: "INVOICE" })).data.status).toMatchObject({ state: "queued", position: 1 });

    expect(await rep.emitWithAck("console:settings", { capacity: 3 })).toEqual({ error: "chat:errors.overMaxCapacity" });
    expect((await rep.emitWithAck("console:inbox")).data.me).toMatchObject({ capacity: 1, maxCapacity: 1 });
  });

  it("a rep who never chose a capacity follows the supervisor's default", async () => {
    const rep = await portal.db.user.findUniqueOrThrow({ where: { email: "rep2@accounts.example" } });
    await portal.db.user.update({ where: { id: rep.id }, data: { chatCapacityChosenAt: null, chatCapacity: 4 } });
    const senior = await portal.signedIn("senior@accounts.example");
    expect((await senior.post("/rep/chat/policy", { unansweredReassignSeconds: "90", defaultCapacity: "2", maxCapacity: "10" })).status).toBe(200);
    const socket = await repOnline("rep2@accounts.example");
    expect((await socket.emitWithAck("console:inbox")).data.me).toMatchObject({ capacity: 2, maxCapacity: 10 });
    // Choosing their own number takes over from the default.
    expect((await socket.emitWithAck("console:settings", { capacity: 5 })).data).toMatchObject({ capacity: 5 });
  });

  it("the unanswered-chat timer a supervisor sets moves a chat the rep has not answered", async () => {
    const senior = await portal.signedIn("senior@accounts.example");
    expect((await senior.post("/rep/chat/policy", { unansweredReassignSeconds: "30", defaultCapacity: "3", maxCapacity: "20" })).status).toBe(200);
    await repOnline("rep1@accounts.example");
    const customer = await open(await newCustomer());
    const opened = await customer.emitWithAck("conversation:open", { topic: "INVOICE" });
    const conversationId: string = opened.data.conversation.id;
    // Assigned 40 s ago: past the 30 s the supervisor set, well short of the 90 s default.
    await portal.db.conversation.update({ where: { id: conversationId }, data: { assignedAt: new Date(Date.now() - 40_000) } });
    await until(
      () => portal.db.auditLog.count({ where: { entityId: conversationId, action: { in: ["chat.requeued", "chat.reassigned_unanswered"] } } }),
      (n) => n > 0,
    );
  });
});
