/**
 * Scale shape: two server processes on one PostgreSQL database with Socket.IO's Redis
 * streams adapter. The customer is on one process, the rep on the other, and the
 * conversation works both ways. Needs PostgreSQL (127.0.0.1:5432) and Redis
 * (127.0.0.1:6379); when either is unreachable the test says so and does nothing else.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createClient } from "redis";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, describe, expect, it } from "vitest";
import { connected, next, keepChatOpenAllDay } from "../support/sockets";
import { openDatabase } from "../../app/utils/db.server";
import { DEMO_PASSWORD } from "../../prisma/demo-users";
import { Browser } from "../support/portal";
import { createTemplate, dropTemplate, POSTGRES_ADMIN_URL } from "../support/databases";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const children: ChildProcess[] = [];
const sockets: Socket[] = [];
let databaseUrl: string | undefined;
let uploadDir: string | undefined;
let servers: { a: string; b: string; prefix: string } | undefined;
type Any = any;

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  for (const child of children) {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  }
  if (databaseUrl) await dropTemplate(databaseUrl);
  if (uploadDir) fs.rmSync(uploadDir, { recursive: true, force: true });
});

async function unreachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    return `PostgreSQL unreachable at ${POSTGRES_ADMIN_URL}: ${(error as Error).message}`;
  }
  const redis = createClient({ url: REDIS_URL, socket: { connectTimeout: 3000, reconnectStrategy: false } });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    await redis.quit();
  } catch (error) {
    return `Redis unreachable at ${REDIS_URL}: ${(error as Error).message}`;
  }
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function startProcess(env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "server/index.ts"], {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      APP_URL: `http://127.0.0.1:${port}`,
      PAYMENTS_SANDBOX: "on",
      MAIL_OUTBOX: "on",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  // Two minutes: on a machine shared with other work, tsx and the build take a while to load.
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return url;
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start: ${output}`);
}

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
    uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-redis-"));
    const prefix = `test-${crypto.randomBytes(4).toString("hex")}:`;
    const shared = {
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
      UPLOAD_DIR: uploadDir,
      LOG_LEVEL: "silent",
      SESSION_RECHECK_SECONDS: "1",
    };
    const [a, b] = await Promise.all([startProcess(shared), startProcess(shared)]);
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
