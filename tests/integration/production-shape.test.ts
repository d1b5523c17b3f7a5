/**
 * The production shape: two server processes on different ports, one PostgreSQL database,
 * one Redis. A customer on process A chats with a rep on B, pays on B while the rep
 * watches the balance on A, and a credit decision made on A shows at once on B (whose
 * page cache had the page already). Then the operations: /healthz and /readyz, graceful
 * shutdown (no chat message lost), a process killed mid-chat and brought back, and no
 * secret or personal data in either process's log. Needs PostgreSQL (127.0.0.1:5432)
 * and Redis (127.0.0.1:6379); when either is unreachable the tests say so and do nothing.
 */
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../app/utils/db.server";
import { DEMO_PASSWORD } from "../../prisma/demo-users";
import { createTemplate, dropTemplate } from "../support/databases";
import { Browser, textOf } from "../support/portal";
import { postgresAndRedisUnreachable, sharedSettings, startServerProcess, stopServerProcesses, type ServerProcess } from "../support/processes";
import { connected, keepChatOpenAllDay, next } from "../support/sockets";

type Any = any;
const WEBHOOK_SECRET = `whsec_shape_${Date.now()}`;

let skipped: string | null = null;
let databaseUrl: string | undefined;
let database: Database;
let disposeUploads: (() => void) | undefined;
let a: ServerProcess;
let b: ServerProcess;
const sockets: Socket[] = [];

beforeAll(async () => {
  skipped = await postgresAndRedisUnreachable();
  if (skipped) {
    console.log(`SKIPPED production shape (two processes): ${skipped}`);
    return;
  }
  databaseUrl = await createTemplate("postgres");
  database = await openDatabase(databaseUrl);
  await keepChatOpenAllDay(database.prisma);
  // Debug level: every request line is logged too, so the secrets check reads everything.
  const shared = sharedSettings(databaseUrl, { LOG_LEVEL: "debug", STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, JOBS_INTERVAL_SECONDS: "0" });
  disposeUploads = shared.dispose;
  [a, b] = await Promise.all([startServerProcess(shared.env), startServerProcess(shared.env)]);
}, 300_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stopServerProcesses();
  await database?.close();
  if (databaseUrl) await dropTemplate(databaseUrl);
  disposeUploads?.();
}, 120_000);

async function signIn(url: string, email: string) {
  const browser = new Browser(url);
  const res = await browser.post("/login", { email, password: DEMO_PASSWORD });
  expect(res.status).toBe(302);
  return browser;
}

function socketOn(url: string, browser: Browser, options: { reconnection?: boolean } = {}) {
  const socket = connect(url, {
    transports: ["websocket"],
    extraHeaders: { Cookie: browser.cookieHeader() },
    reconnection: options.reconnection ?? false,
    reconnectionDelay: 200,
    reconnectionDelayMax: 500,
  });
  sockets.push(socket);
  return socket;
}

const usd = (minor: bigint) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(Number(minor) / 100);
const factOf = (html: string, testId: string) => new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(html)?.[1];

async function openBalance(accountId: string) {
  const sum = await database.prisma.invoice.aggregate({ where: { accountId, status: { in: ["OPEN", "PARTIALLY_PAID"] } }, _sum: { balanceMinor: true } });
  return sum._sum.balanceMinor ?? 0n;
}

/** A customer's open chat with `rep` (who is set online), the customer on one process and the rep on the other. */
async function chatBetween(customerUrl: string, customerEmail: string, repUrl: string, repEmail: string, options: { reconnection?: boolean } = {}) {
  const repBrowser = await signIn(repUrl, repEmail);
  const rep = socketOn(repUrl, repBrowser, options);
  await connected(rep);
  expect((await rep.emitWithAck("console:settings", { presence: "ONLINE" })).data.presence).toBe("ONLINE");
  const customerBrowser = await signIn(customerUrl, customerEmail);
  const customer = socketOn(customerUrl, customerBrowser, options);
  await connected(customer);
  const assigned = next(rep, "console:assigned");
  const opened = await customer.emitWithAck("conversation:open", { topic: "INVOICE" });
  const conversationId: string = opened.data.conversation.id;
  expect((await assigned).conversationId).toBe(conversationId);
  await rep.emitWithAck("console:join", { conversationId });
  return { rep, customer, conversationId };
}

async function storedBodies(conversationId: string) {
  const rows = await database.prisma.message.findMany({ where: { conversationId, authorKind: "CUSTOMER" }, select: { clientMessageId: true } });
  return rows.map((r) => r.clientMessageId);
}

describe("two processes behind one address, on PostgreSQL and Redis", () => {
  it("answers /healthz (alive) and /readyz (database and Redis reachable) on both", async () => {
    if (skipped) return;
    for (const p of [a, b]) {
      expect(await (await fetch(`${p.url}/healthz`)).json()).toEqual({ ok: true });
      const ready = await fetch(`${p.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ok: true, database: "ok", redis: "ok" });
    }
  });

  it("carries chat, a payment and a credit decision across the processes, with every cache up to date", { timeout: 180_000 }, async () => {
    if (skipped) return;
    const acme = await database.prisma.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
    const { rep, customer, conversationId } = await chatBetween(a.url, "ap@acme-industrial.example", b.url, "rep1@accounts.example");

    const atRep = next(rep, "conversation:message", (m: Any) => m.authorKind === "CUSTOMER");
    await customer.emitWithAck("conversation:send", { conversationId, clientMessageId: "shape-1", body: "I'd like to pay INV today" });
    expect((await atRep).body).toBe("I'd like to pay INV today");
    const atCustomer = next(customer, "conversation:message", (m: Any) => m.authorKind === "REP");
    await rep.emitWithAck("console:send", { conversationId, clientMessageId: "shape-r1", body: "Go ahead, I'm watching your balance" });
    expect((await atCustomer).body).toBe("Go ahead, I'm watching your balance");

    // Pages on both processes are rendered (and the customer's kept by the page cache) before anything changes.
    const watcher = await signIn(a.url, "rep1@accounts.example");
    const before = await openBalance(acme.id);
    expect(textOf((await watcher.page(`/rep/accounts/${acme.id}`)).html)).toContain(usd(before));
    const onA = await signIn(a.url, "ap@acme-industrial.example");
    const homeA = (await onA.page("/account")).html;
    expect((await onA.get("/account")).headers.get("x-page-cache")).toBe("hit");
    const customerOnB = await signIn(b.url, "ap@acme-industrial.example");
    await customerOnB.page("/invoices");

    // The customer pays one invoice in full on process B: sandbox checkout, signed event.
    const invoice = await database.prisma.invoice.findFirstOrThrow({
      where: { accountId: acme.id, status: "OPEN", disputes: { none: {} } },
      orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    });
    const fields = new URLSearchParams({ idempotencyKey: crypto.randomUUID(), currency: "USD", invoiceId: invoice.id });
    fields.set(`amount-${invoice.id}`, (Number(invoice.balanceMinor) / 100).toFixed(2));
    const pay = await customerOnB.request("/pay", { method: "POST", body: fields });
    expect(pay.status).toBe(302);
    const done = await customerOnB.request(pay.headers.get("location")!, { method: "POST", body: new URLSearchParams({ outcome: "pay" }) });
    expect(done.status).toBe(302);
    const after = await openBalance(acme.id);
    expect(after).toBe(before - invoice.balanceMinor);

    // Process A never saw the payment: the rep's view, the customer's cached home and the
    // invoice list (ledger totals cache) there show the new balance at once.
    expect(textOf((await watcher.page(`/rep/accounts/${acme.id}`)).html)).toContain(usd(after));
    const homeAfter = (await onA.page("/account")).html;
    expect(factOf(homeAfter, "fact-balance")).not.toBe(factOf(homeA, "fact-balance"));
    expect(factOf(homeAfter, "fact-balance")).toBe(usd(after));
    expect(textOf((await onA.page("/invoices")).html)).toContain(usd(after));

    // A credit decision on A (new terms and limit) shows on B at once, where the page was kept.
    const termsBefore = textOf((await customerOnB.page("/account")).html);
    expect(termsBefore).toContain(`Net ${acme.paymentTermsDays}`);
    const senior = await signIn(a.url, "senior@accounts.example");
    const limit = (Number(acme.creditLimitMinor) / 100 + 1000).toFixed(2);
    const decided = await senior.post(`/rep/credit/accounts/${acme.id}`, { limit, termsDays: "45", reason: "Cross-process review" });
    expect(decided.status).toBe(302);
    const termsAfter = textOf((await customerOnB.page("/account")).html);
    expect(termsAfter).toContain("Net 45");
    expect(termsAfter).not.toContain(`Net ${acme.paymentTermsDays} `);
  });

  it("logs with request ids and writes no password, session cookie, webhook secret, email address or token", async () => {
    if (skipped) return;
    // A request id sent by the client comes back and is on the lines the request wrote.
    const res = await new Browser(a.url).request("/login", {
      method: "POST",
      body: new URLSearchParams({ email: "ap@acme-industrial.example", password: "wrong-password-123" }),
      headers: { "X-Request-Id": "shape-trace-1" },
    });
    expect(res.headers.get("x-request-id")).toBe("shape-trace-1");
    await new Promise((r) => setTimeout(r, 300));
    // The log: every JSON line both processes wrote (the demo's sign-in banner, printed on
    // purpose when the sandbox and the outbox are on, is not a log line and never in production).
    const output = (a.output() + b.output())
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .join("\n");
    expect(output).toMatch(/"requestId":"shape-trace-1"/);
    expect(output).toMatch(/"url":"\/pay"/);

    const sessions = await database.prisma.session.findMany({ select: { id: true } });
    expect(sessions.length).toBeGreaterThan(0);
    const forbidden = [DEMO_PASSWORD, "wrong-password-123", WEBHOOK_SECRET, ...sessions.map((s) => s.id)];
    for (const secret of forbidden) expect(output).not.toContain(secret);
    // Cookie values (signed session cookie) and anything that looks like an email address or a bearer token.
    expect(output).not.toMatch(/__session=|portal_session=/i);
    expect(output).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.(example|com)\b/);
    expect(output).not.toMatch(/whsec_|sk_(test|live)_|token=[A-Za-z0-9]/);
  });

  it("on SIGTERM writes every chat message it was handed before exiting: none lost, none twice", { timeout: 180_000 }, async () => {
    if (skipped) return;
    const { rep, customer, conversationId } = await chatBetween(a.url, "billing@pacificcoast.example", b.url, "rep3@accounts.example");
    const relayed = new Set<string>();
    rep.on("conversation:incoming", (m: Any) => relayed.add(m.clientMessageId));
    const acked = new Set<string>();
    const ids = Array.from({ length: 15 }, (_, i) => `term-${i}`);
    for (const id of ids) {
      customer
        .timeout(20_000)
        .emitWithAck("conversation:send", { conversationId, clientMessageId: id, body: `before shutdown ${id}` })
        .then(
          (reply: Any) => reply.data && acked.add(id),
          () => undefined,
        );
    }
    // SIGTERM as soon as the rep (on B) has seen the first message relayed from A.
    while (relayed.size === 0) await new Promise((r) => setTimeout(r, 5));
    expect(await a.stop()).toBe(0);
    const stored = new Set(await storedBodies(conversationId));
    // Everything the other side saw or the sender was told is stored is in the database.
    for (const id of [...relayed, ...acked]) expect(stored.has(id)).toBe(true);

    // The customer's client sends what was not acknowledged again, to the restarted process.
    await a.restart();
    const again = socketOn(a.url, await signIn(a.url, "billing@pacificcoast.example"));
    await connected(again);
    await again.emitWithAck("conversation:join", { conversationId });
    // As the widget does: a send over the per-person rate limit (kept in Redis, so the burst
    // before the restart still counts) is sent again when the server says it will be taken.
    for (const id of ids.filter((i) => !acked.has(i))) {
      let reply: Any;
      for (let attempt = 0; attempt < 20; attempt++) {
        reply = await again.emitWithAck("conversation:send", { conversationId, clientMessageId: id, body: `before shutdown ${id}` });
        if (!reply.retryAfterMs) break;
        await new Promise((r) => setTimeout(r, reply.retryAfterMs));
      }
      expect(reply.data, JSON.stringify(reply)).toBeDefined();
    }
    const final = await storedBodies(conversationId);
    expect(final.sort()).toEqual([...ids].sort());
  });

  it("a process killed mid-chat comes back; its clients resume with nothing lost or duplicated", { timeout: 180_000 }, async () => {
    if (skipped) return;
    const { rep, customer, conversationId } = await chatBetween(b.url, "cxp@distnorte.example", a.url, "rep2@accounts.example", { reconnection: true });
    const atRep: string[] = [];
    rep.on("conversation:message", (m: Any) => m.authorKind === "CUSTOMER" && atRep.push(m.clientMessageId));
    const ids = Array.from({ length: 20 }, (_, i) => `kill-${i}`);
    // The client's outbox: a message is sent until it is acknowledged, as the chat widget does.
    const send = async (id: string) => {
      for (;;) {
        try {
          const reply: Any = await customer.timeout(3_000).emitWithAck("conversation:send", { conversationId, clientMessageId: id, body: `msg ${id}` });
          if (reply.data) return;
        } catch {
          // no answer (the process is gone): send again once reconnected
        }
        while (!customer.connected) await new Promise((r) => setTimeout(r, 50));
      }
    };
    await Promise.all(ids.slice(0, 10).map(send));
    const sending = Promise.all(ids.slice(10).map(send));
    await b.kill();
    await b.restart();
    await sending;
    expect((await storedBodies(conversationId)).sort()).toEqual([...ids].sort());
    // The rep (on A) still hears the customer, now on the restarted B.
    const heard = next(rep, "conversation:message", (m: Any) => m.clientMessageId === "kill-after");
    await customer.emitWithAck("conversation:join", { conversationId });
    await send("kill-after");
    expect((await heard).body).toBe("msg kill-after");
    expect(new Set(atRep).size).toBe(atRep.length);
  });
});
