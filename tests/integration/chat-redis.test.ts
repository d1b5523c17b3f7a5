/**
 * Scale shape: two server processes on one PostgreSQL database with Socket.IO's Redis
 * streams adapter. The customer is on one process, the rep on the other, and the
 * conversation works both ways. Needs PostgreSQL (127.0.0.1:5432) and Redis
 * (127.0.0.1:6379); when either is unreachable the test says so and does nothing else.
 */
import { createClient } from "redis";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, describe, expect, it } from "vitest";
import { connected, next, keepChatOpenAllDay } from "../support/sockets";
import { openDatabase } from "../../app/utils/db.server";
import { DEMO_PASSWORD } from "../../prisma/demo-users";
import { Browser } from "../support/portal";
import { createTemplate, dropTemplate } from "../support/databases";
import { REDIS_URL } from "../support/services";
import { postgresAndRedisUnreachable as unreachable, sharedSettings, startServerProcess, stopServerProcesses } from "../support/processes";

const sockets: Socket[] = [];
let databaseUrl: string | undefined;
let disposeUploads: (() => void) | undefined;
let servers: { a: string; b: string; prefix: string } | undefined;
type Any = any;

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stopServerProcesses();
  if (databaseUrl) await dropTemplate(databaseUrl);
  disposeUploads?.();
});

async function signedIn(url: string, email: string) {
  const browser = new Browser(url);
  const res = await browser.post("/login", { email, password: DEMO_PASSWORD });
  expect(res.status).toBe(302);
  return socketOn(url, browser);
}

/** A socket to `url` carrying `browser`'s cookies (a session made on any process works on every one). */
async function socketOn(url: string, browser: Browser) {
  const socket = connect(url, { transports: ["websocket"], extraHeaders: { Cookie: browser.cookieHeader() }, reconnection: false });
  sockets.push(socket);
  await connected(socket);
  return socket;
}

const ended = (socket: Socket) => new Promise<string>((resolve) => socket.on("disconnect", (reason) => resolve(reason)));

describe("two server processes, PostgreSQL and Redis", () => {
  it("carries a conversation between a customer on one process and the rep on the other", { timeout: 300_000 }, async () => {
    const reason = await unreachable();
    if (reason) {
      console.warn(`[chat-redis] not run: ${reason}`);
      return;
    }
    databaseUrl = await createTemplate("postgres");
    const database = await openDatabase(databaseUrl);
    await keepChatOpenAllDay(database.prisma);
    await database.close();
    const shared = sharedSettings(databaseUrl, { SESSION_RECHECK_SECONDS: "1" });
    disposeUploads = shared.dispose;
    const prefix = shared.env.REDIS_KEY_PREFIX;
    const [a, b] = (await Promise.all([startServerProcess(shared.env), startServerProcess(shared.env)])).map((p) => p.url);
    servers = { a, b, prefix };

    const rep = await signedIn(b, "rep1@accounts.example");
    expect((await rep.emitWithAck("console:settings", { presence: "ONLINE" })).data.presence).toBe("ONLINE");
    const customer = await signedIn(a, "ap@acme-industrial.example");

    const assigned = next(rep, "console:assigned");
    const opened = await customer.emitWithAck("conversation:open", { topic: "INVOICE" });
    expect(opened.data.status).toMatchObject({ state: "assigned", repName: "Alice" });
    const conversationId = opened.data.conversation.id;
    // Process A assigned the chat; the rep's socket on process B heard it through Redis.
    expect((await assigned).conversationId).toBe(conversationId);
    await rep.emitWithAck("console:join", { conversationId });

    const atRep = next(rep, "conversation:message", (m: Any) => m.authorKind === "CUSTOMER");
    await customer.emitWithAck("conversation:send", { conversationId, clientMessageId: "a-1", body: "Hello from process A" });
    expect((await atRep).body).toBe("Hello from process A");

    const atCustomer = next(customer, "conversation:message", (m: Any) => m.authorKind === "REP");
    await rep.emitWithAck("console:send", { conversationId, clientMessageId: "b-1", body: "Hi from process B" });
    expect((await atCustomer).body).toBe("Hi from process B");

    const typing = next(customer, "conversation:typing");
    rep.emit("console:typing", { conversationId, typing: true });
    expect(await typing).toMatchObject({ side: "rep", typing: true });
  });

  it("ends a session's sockets on every process, and spends one chat budget per person across processes", { timeout: 120_000 }, async () => {
    if (!servers) {
      console.warn(`[chat-redis] not run: ${(await unreachable()) ?? "the servers did not start"}`);
      return;
    }
    const { a, b, prefix } = servers;

    // Signed out on process A: the socket on process B ends at once, through the adapter.
    const browser = new Browser(a);
    expect((await browser.post("/login", { email: "rep3@accounts.example", password: DEMO_PASSWORD })).status).toBe(302);
    const onB = await socketOn(b, browser);
    const gone = ended(onB);
    expect((await browser.post("/logout", {})).status).toBe(302);
    expect(await gone).toBe("io server disconnect");

    // A session deleted in the database by someone else: process B finds out on its next check.
    const database = await openDatabase(databaseUrl!);
    try {
      const senior = await signedIn(b, "senior@accounts.example");
      const seniorGone = ended(senior);
      const user = await database.prisma.user.findUniqueOrThrow({ where: { email: "senior@accounts.example" } });
      await database.prisma.session.deleteMany({ where: { userId: user.id } });
      expect(await seniorGone).toBe("io server disconnect");

      // One budget per person, counted in Redis: what process A spent, process B does not give again.
      const customer = new Browser(a);
      expect((await customer.post("/login", { email: "billing@pacificcoast.example", password: DEMO_PASSWORD })).status).toBe(302);
      const onA = await socketOn(a, customer);
      const opened = await onA.emitWithAck("conversation:open", { topic: "PAYMENT" });
      const conversationId = opened.data.conversation.id;
      for (let i = 0; i < 19; i++)
        expect((await onA.emitWithAck("conversation:send", { conversationId, clientMessageId: `r-${i}`, body: `m${i}` })).data).toBeDefined();
      const fresh = await socketOn(b, customer);
      expect(await fresh.emitWithAck("conversation:send", { conversationId, clientMessageId: "r-over", body: "over" })).toMatchObject({
        error: "chat:errors.rateLimited",
        retryAfterMs: expect.any(Number),
      });
      const billing = await database.prisma.user.findUniqueOrThrow({ where: { email: "billing@pacificcoast.example" } });
      const redis = createClient({ url: REDIS_URL });
      await redis.connect();
      try {
        expect(Number(await redis.get(`${prefix}chat_send:user:${billing.id}`))).toBeGreaterThanOrEqual(21);
      } finally {
        await redis.quit();
      }
    } finally {
      await database.close();
    }
  });
});
