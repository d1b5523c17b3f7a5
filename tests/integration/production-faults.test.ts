/**
 * Faults injected into the production shape. Process A reaches PostgreSQL and Redis
 * through TCP proxies the test cuts and restores; process B reaches them directly.
 * Redis gone: chat keeps working within a process, and across processes once it is back.
 * PostgreSQL gone: a translated error page (503), /readyz names the database, nothing
 * half-written, and the server recovers by itself. Then a storm of 1,000 signed Stripe
 * events (duplicates, replays, reordering) over both processes: balances reconcile to the
 * cent against figures the test works out itself. Needs PostgreSQL (127.0.0.1:5432) and
 * Redis (127.0.0.1:6379); when either is unreachable the tests say so and do nothing.
 */
import crypto from "node:crypto";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../app/utils/db.server";
import { DEMO_PASSWORD } from "../../prisma/demo-users";
import { createTemplate, dropTemplate, POSTGRES_ADMIN_URL } from "../support/databases";
import { Browser, textOf } from "../support/portal";
import { postgresAndRedisUnreachable, sharedSettings, startServerProcess, stopServerProcesses, type ServerProcess } from "../support/processes";
import { REDIS_URL } from "../support/services";
import { connected, keepChatOpenAllDay, next } from "../support/sockets";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { completedEvent, expiredEvent, failedEvent, signedBy } from "../support/stripe-events";

type Any = any;
const WEBHOOK_SECRET = `whsec_faults_${crypto.randomBytes(8).toString("hex")}`;

let skipped: string | null = null;
let databaseUrl: string | undefined;
let database: Database;
let disposeUploads: (() => void) | undefined;
let pgProxy: TcpProxy;
let redisProxy: TcpProxy;
let a: ServerProcess;
let b: ServerProcess;
const sockets: Socket[] = [];

function through(url: string, proxy: TcpProxy) {
  const u = new URL(url);
  u.hostname = "127.0.0.1";
  u.port = String(proxy.port);
  return u.toString();
}

beforeAll(async () => {
  skipped = await postgresAndRedisUnreachable();
  if (skipped) {
    console.log(`SKIPPED production faults: ${skipped}`);
    return;
  }
  databaseUrl = await createTemplate("postgres");
  database = await openDatabase(databaseUrl);
  await keepChatOpenAllDay(database.prisma);
  const pg = new URL(POSTGRES_ADMIN_URL);
  const redis = new URL(REDIS_URL);
  pgProxy = await startTcpProxy({ host: pg.hostname, port: Number(pg.port || 5432) });
  redisProxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
  const shared = sharedSettings(databaseUrl, { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, JOBS_INTERVAL_SECONDS: "0", LOG_LEVEL: "error" });
  disposeUploads = shared.dispose;
  [a, b] = await Promise.all([
    startServerProcess({ ...shared.env, DATABASE_URL: through(databaseUrl, pgProxy), REDIS_URL: through(REDIS_URL, redisProxy) }),
    startServerProcess(shared.env),
  ]);
}, 300_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await pgProxy?.restore().catch(() => undefined);
  await redisProxy?.restore().catch(() => undefined);
  await stopServerProcesses();
  await pgProxy?.close();
  await redisProxy?.close();
  await database?.close();
  if (databaseUrl) await dropTemplate(databaseUrl);
  disposeUploads?.();
}, 120_000);

async function signIn(url: string, email: string, acceptLanguage?: string) {
  const browser = new Browser(url, acceptLanguage);
  const res = await browser.post("/login", { email, password: DEMO_PASSWORD });
  expect(res.status).toBe(302);
  return browser;
}

async function socketAs(url: string, browser: Browser) {
  const socket = connect(url, { transports: ["websocket"], extraHeaders: { Cookie: browser.cookieHeader() }, reconnection: false });
  sockets.push(socket);
  await connected(socket);
  return socket;
}

async function readiness(url: string) {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as Any };
}

async function until(what: string, check: () => Promise<boolean>, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const signed = signedBy(WEBHOOK_SECRET);

function postEvent(url: string, payload: string) {
  return fetch(`${url}/webhooks/stripe`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Stripe-Signature": signed(payload) },
    body: payload,
  });
}

/** A payment of `minor` on one invoice, through the pay form (the customer's own idempotency key). */
async function payPartly(customer: Browser, invoiceId: string, minor: bigint) {
  const fields = new URLSearchParams({ idempotencyKey: crypto.randomUUID(), currency: "USD", invoiceId });
  fields.set(`amount-${invoiceId}`, (Number(minor) / 100).toFixed(2));
  const res = await customer.request("/pay", { method: "POST", body: fields });
  expect(res.status).toBe(302);
  const sessionId = decodeURIComponent(res.headers.get("location")!.split("/").pop()!);
  return database.prisma.payment.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } });
}

describe("faults injected into two processes on PostgreSQL and Redis", () => {
  it("Redis gone: chat still delivers within a process; across processes again once Redis is back", { timeout: 180_000 }, async () => {
    if (skipped) return;
    const repOnB = await socketAs(b.url, await signIn(b.url, "rep1@accounts.example"));
    expect((await repOnB.emitWithAck("console:settings", { presence: "ONLINE" })).data.presence).toBe("ONLINE");
    const customer = await socketAs(a.url, await signIn(a.url, "ap@acme-industrial.example"));
    const assigned = next(repOnB, "console:assigned");
    const conversationId: string = (await customer.emitWithAck("conversation:open", { topic: "INVOICE" })).data.conversation.id;
    expect((await assigned).conversationId).toBe(conversationId);
    await repOnB.emitWithAck("console:join", { conversationId });
    // The same rep also has the console open on process A.
    const repOnA = await socketAs(a.url, await signIn(a.url, "rep1@accounts.example"));
    await repOnA.emitWithAck("console:join", { conversationId });

    const send = (id: string) => customer.timeout(10_000).emitWithAck("conversation:send", { conversationId, clientMessageId: id, body: `body ${id}` });
    const heardOnA = next(repOnA, "conversation:message", (m: Any) => m.clientMessageId === "r-0");
    const heardOnB = next(repOnB, "conversation:message", (m: Any) => m.clientMessageId === "r-0");
    expect((await send("r-0")).data).toBeDefined();
    await Promise.all([heardOnA, heardOnB]);

    await redisProxy.cut();
    await until("process A to report Redis unreachable", async () => (await readiness(a.url)).body.redis === "unreachable");
    expect(await readiness(a.url)).toEqual({ status: 503, body: { ok: false, database: "ok", redis: "unreachable" } });
    const onlyB: string[] = [];
    repOnB.on("conversation:message", (m: Any) => onlyB.push(m.clientMessageId));
    for (const id of ["r-1", "r-2", "r-3"]) {
      const heard = next(repOnA, "conversation:message", (m: Any) => m.clientMessageId === id);
      expect((await send(id)).data.message.clientMessageId).toBe(id);
      expect((await heard).body).toBe(`body ${id}`);
    }

    await redisProxy.restore();
    await until("process A to be ready again", async () => (await readiness(a.url)).status === 200);
    // Delivery across processes resumes: the rep's console on B hears A's customer again.
    await until("a message from A to reach B", async () => {
      const id = `r-back-${crypto.randomUUID().slice(0, 6)}`;
      const heard = next(repOnB, "conversation:message", (m: Any) => m.clientMessageId === id);
      await send(id);
      return Promise.race([heard.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 1_500))]);
    });
    const stored = await database.prisma.message.findMany({ where: { conversationId, authorKind: "CUSTOMER" }, select: { clientMessageId: true } });
    for (const id of ["r-0", "r-1", "r-2", "r-3"]) expect(stored.filter((m) => m.clientMessageId === id)).toHaveLength(1);
  });

  it("PostgreSQL gone: a translated error page, nothing half-written, and the server recovers by itself", { timeout: 180_000 }, async () => {
    if (skipped) return;
    const acme = await database.prisma.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
    const customer = await signIn(a.url, "ap@acme-industrial.example");
    const spanish = await signIn(a.url, "billing@pacificcoast.example", "es");
    const invoice = await database.prisma.invoice.findFirstOrThrow({
      where: { accountId: acme.id, status: "OPEN", disputes: { none: {} }, checkoutClaim: null },
      orderBy: { dueOn: "desc" },
    });
    // A checkout made before the outage; its completion arrives while the database is gone.
    const payment = await payPartly(customer, invoice.id, 12_34n);
    const completion = completedEvent(`evt_outage_${payment.id}`, payment, 12_34);

    await pgProxy.cut();
    const home = await customer.request("/account", { headers: { Accept: "text/html" } });
    expect(home.status, a.output().slice(-4000)).toBe(503);
    const page = textOf(await home.text());
    expect(page).toContain("Something went wrong");
    expect(page).toContain("Please try again in a moment.");
    expect(page).not.toMatch(/\bat \S+ \(|Error:|ECONNREFUSED|prisma/i);
    const enSpanol = await spanish.request("/invoices", { headers: { Accept: "text/html" } });
    expect(enSpanol.status).toBe(503);
    expect(textOf(await enSpanol.text())).toContain("Inténtelo de nuevo en un momento.");
    expect(await readiness(a.url)).toMatchObject({ status: 503, body: { ok: false, database: "unreachable" } });
    // The provider's delivery fails (it will retry), and a new payment is refused.
    expect((await postEvent(a.url, completion)).status).toBeGreaterThanOrEqual(500);
    const refused = new URLSearchParams({ idempotencyKey: crypto.randomUUID(), currency: "USD", invoiceId: invoice.id });
    refused.set(`amount-${invoice.id}`, "5.00");
    expect((await customer.request("/pay", { method: "POST", body: refused })).status).toBeGreaterThanOrEqual(500);

    await pgProxy.restore();
    await until("process A to be ready again", async () => (await readiness(a.url)).status === 200);
    expect((await customer.get("/account")).status).toBe(200);
    // Nothing of the outage's work was half done: the payment is as it was, the invoice too, no new payment.
    const untouched = await database.prisma.payment.findUniqueOrThrow({ where: { id: payment.id }, include: { allocations: true } });
    expect(untouched.status).toBe("PENDING");
    expect(untouched.allocations).toHaveLength(0);
    expect((await database.prisma.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).balanceMinor).toBe(invoice.balanceMinor);
    expect(await database.prisma.payment.count({ where: { accountId: acme.id, createdAt: { gt: payment.createdAt } } })).toBe(0);
    // The provider's retry is applied, once.
    expect((await postEvent(a.url, completion)).status).toBe(200);
    expect(await (await postEvent(b.url, completion)).json()).toMatchObject({ duplicate: true });
    const applied = await database.prisma.payment.findUniqueOrThrow({ where: { id: payment.id }, include: { allocations: true } });
    expect(applied.status).toBe("SUCCEEDED");
    expect(applied.allocations.map((x) => x.amountMinor)).toEqual([12_34n]);
    expect((await database.prisma.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).balanceMinor).toBe(invoice.balanceMinor - 12_34n);
  });

  it("a storm of 1,000 signed events, duplicated and out of order, over both processes: balances reconcile to the cent", { timeout: 300_000 }, async () => {
    if (skipped) return;
    const customers = [
      { number: "ACC-1001", email: "ap@acme-industrial.example" },
      { number: "ACC-1004", email: "billing@pacificcoast.example" },
    ];
    type Planned = { payment: { id: string; checkoutSessionId: string | null; accountId: string }; invoiceId: string; minor: bigint; pays: boolean };
    const planned: Planned[] = [];
    const before = new Map<string, bigint>();
    for (const c of customers) {
      const account = await database.prisma.account.findUniqueOrThrow({ where: { number: c.number } });
      const invoices = await database.prisma.invoice.findMany({
        where: {
          accountId: account.id,
          currency: "USD",
          status: { in: ["OPEN", "PARTIALLY_PAID"] },
          balanceMinor: { gt: 100_00 },
          disputes: { none: {} },
          checkoutClaim: null,
        },
        orderBy: { id: "asc" },
        take: 30,
      });
      expect(invoices.length).toBeGreaterThanOrEqual(20);
      const browser = await signIn(b.url, c.email);
      for (const [i, invoice] of invoices.entries()) {
        before.set(invoice.id, invoice.balanceMinor);
        const minor = BigInt(1_00 + ((i * 3_701) % 9_000) + 1);
        const payment = await payPartly(browser, invoice.id, minor);
        // Two in three pay; the rest are declined.
        planned.push({ payment, invoiceId: invoice.id, minor, pays: i % 3 !== 2 });
      }
    }

    const events: string[] = [];
    for (const p of planned) {
      if (p.pays) {
        const completed = completedEvent(`evt_storm_${p.payment.id}`, p.payment, Number(p.minor));
        for (let i = 0; i < 9; i++) events.push(completed); // Stripe resends the same event
        for (let i = 0; i < 3; i++) events.push(completedEvent(`evt_storm_${p.payment.id}_replay_${i}`, p.payment, Number(p.minor)));
        events.push(failedEvent(`evt_storm_fail_${p.payment.id}`, p.payment)); // an earlier card attempt, delivered in any order
      } else {
        for (let i = 0; i < 6; i++) events.push(failedEvent(`evt_storm_fail_${p.payment.id}`, p.payment));
        events.push(expiredEvent(`evt_storm_exp_${p.payment.id}`, p.payment));
      }
    }
    while (events.length < 1_000) {
      const ghost = { id: `ghost_${events.length}`, checkoutSessionId: `cs_ghost_${events.length}` };
      events.push(completedEvent(`evt_ghost_${events.length}`, ghost, 1_00));
    }
    expect(events).toHaveLength(1_000);
    // Out of order: shuffled, and sent sixteen at a time, alternating processes.
    for (let i = events.length - 1; i > 0; i--) {
      const j = crypto.randomInt(i + 1);
      [events[i], events[j]] = [events[j], events[i]];
    }
    let cursor = 0;
    const deliver = async () => {
      while (cursor < events.length) {
        const index = cursor++;
        // As Stripe does: a 5xx answer is delivered again later.
        for (let attempt = 0; ; attempt++) {
          const res = await postEvent(index % 2 ? a.url : b.url, events[index]);
          if (res.status < 500) {
            expect(res.status).toBe(200);
            break;
          }
          if (attempt > 10) {
            const id = (JSON.parse(events[index]) as { id: string }).id;
            const stored = await database.prisma.webhookEvent.findFirst({ where: { eventId: id } });
            throw new Error(
              `event ${id} kept failing with ${res.status}: ${stored?.error ?? (await res.text())}\n${(index % 2 ? a : b).output().slice(-4000)}`,
            );
          }
          await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, deliver));

    // The test's own books: each invoice's balance less what its paying payments paid.
    for (const p of planned) {
      const invoice = await database.prisma.invoice.findUniqueOrThrow({ where: { id: p.invoiceId } });
      expect(invoice.balanceMinor).toBe(before.get(p.invoiceId)! - (p.pays ? p.minor : 0n));
      const payment = await database.prisma.payment.findUniqueOrThrow({ where: { id: p.payment.id }, include: { allocations: true } });
      if (p.pays) {
        expect(payment.status).toBe("SUCCEEDED");
        expect(payment.allocations.map((x) => [x.invoiceId, x.amountMinor])).toEqual([[p.invoiceId, p.minor]]);
        expect(payment.unappliedMinor).toBe(0n);
      } else {
        expect(["FAILED", "EXPIRED"]).toContain(payment.status);
        expect(payment.allocations).toHaveLength(0);
      }
    }
    const paidTotal = planned.filter((p) => p.pays).reduce((sum, p) => sum + p.minor, 0n);
    const allocated = await database.prisma.paymentAllocation.aggregate({
      where: { paymentId: { in: planned.map((p) => p.payment.id) } },
      _sum: { amountMinor: true },
    });
    expect(allocated._sum.amountMinor).toBe(paidTotal);
    expect(await database.prisma.webhookEvent.count({ where: { eventId: { startsWith: "evt_storm_" }, processedAt: null } })).toBe(0);
    // The record of what happened is exact too: of each payment's completions (the event and its
    // replays), the one that applied it says so, even when its own resends ran alongside it.
    for (const p of planned.filter((x) => x.pays)) {
      const completions = await database.prisma.webhookEvent.findMany({
        where: { eventId: { in: [`evt_storm_${p.payment.id}`, ...[0, 1, 2].map((i) => `evt_storm_${p.payment.id}_replay_${i}`)] } },
      });
      expect(completions).toHaveLength(4);
      expect(completions.filter((e) => e.error === null).map((e) => e.eventId)).toHaveLength(1);
      expect(completions.filter((e) => e.error !== null).every((e) => e.error === "already_applied")).toBe(true);
    }
  });
});
