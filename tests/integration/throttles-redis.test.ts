/**
 * Scale shape of the throttles: two server processes on one PostgreSQL database with
 * REDIS_URL set count guest chats from one client against one shared limit. Needs
 * PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379); when either is unreachable
 * the test says so and does nothing else.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createClient } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import { THROTTLES } from "../../app/domain/security/throttles.server";
import { Browser } from "../support/portal";
import { createTemplate, dropTemplate, POSTGRES_ADMIN_URL } from "../support/databases";
import { REDIS_URL } from "../support/services";

const children: ChildProcess[] = [];
let databaseUrl: string | undefined;
let uploadDir: string | undefined;
const redis = createClient({ url: REDIS_URL, socket: { connectTimeout: 3000, reconnectStrategy: false } });
redis.on("error", () => undefined);

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  }
  if (databaseUrl) await dropTemplate(databaseUrl);
  if (uploadDir) fs.rmSync(uploadDir, { recursive: true, force: true });
  if (redis.isOpen) await redis.quit();
});

async function unreachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    return `PostgreSQL unreachable at ${POSTGRES_ADMIN_URL}: ${(error as Error).message}`;
  }
  try {
    await redis.connect();
    await redis.ping();
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
      TRUST_PROXY: "loopback",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 2400; i++) {
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

function openGuestChat(url: string, ip: string, email: string) {
  return new Browser(url).request("/help", {
    method: "POST",
    body: new URLSearchParams({ name: "Flood", email, topic: "OTHER" }),
    headers: { "X-Forwarded-For": ip },
  });
}

describe("throttles across two server processes with REDIS_URL", () => {
  it("counts one client's guest chats on either process against one limit", { timeout: 420_000 }, async () => {
    const reason = await unreachable();
    if (reason) {
      console.log(`SKIPPED shared throttles over Redis: ${reason}`);
      return;
    }
    databaseUrl = await createTemplate("postgres");
    uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-throttle-redis-"));
    // Redis outlives test runs: each run counts under its own prefix.
    const prefix = `test-${crypto.randomBytes(4).toString("hex")}:`;
    const shared = {
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
      UPLOAD_DIR: uploadDir,
      LOG_LEVEL: "silent",
    };
    const [a, b] = await Promise.all([startProcess(shared), startProcess(shared)]);

    const ip = "203.0.113.77";
    const email = `shared-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const allowed = THROTTLES.guestChatPerClient.points;
    // Alternating processes: each alone would allow all of them.
    for (let i = 0; i < allowed; i++) expect((await openGuestChat(i % 2 ? b : a, ip, email)).status).toBe(302);
    expect((await openGuestChat(a, ip, email)).status).toBe(429);
    expect((await openGuestChat(b, ip, email)).status).toBe(429);
    expect(Number(await redis.get(`${prefix}${THROTTLES.guestChatPerClient.keyPrefix}:${ip}`))).toBeGreaterThanOrEqual(allowed);
    // Another client is not affected.
    expect((await openGuestChat(b, "203.0.113.78", email)).status).toBe(302);
  });
});
