/**
 * Scale shape of the throttles: two server processes on one PostgreSQL database with
 * REDIS_URL set count guest chats from one client against one shared limit. Needs
 * PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379); when either is unreachable
 * the test says so and does nothing else.
 */
import crypto from "node:crypto";
import { createClient } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import { THROTTLES } from "../../app/domain/security/throttles.server";
import { Browser } from "../support/portal";
import { createTemplate, dropTemplate } from "../support/databases";
import { REDIS_URL } from "../support/services";
import { postgresAndRedisUnreachable, sharedSettings, startServerProcess, stopServerProcesses } from "../support/processes";

let databaseUrl: string | undefined;
let disposeUploads: (() => void) | undefined;
const redis = createClient({ url: REDIS_URL, socket: { connectTimeout: 3000, reconnectStrategy: false } });
redis.on("error", () => undefined);

afterAll(async () => {
  await stopServerProcesses();
  if (databaseUrl) await dropTemplate(databaseUrl);
  disposeUploads?.();
  if (redis.isOpen) await redis.quit();
});

function openGuestChat(url: string, ip: string, email: string) {
  return new Browser(url).request("/help", {
    method: "POST",
    body: new URLSearchParams({ name: "Flood", email, topic: "OTHER" }),
    headers: { "X-Forwarded-For": ip },
  });
}

describe("throttles across two server processes with REDIS_URL", () => {
  it("counts one client's guest chats on either process against one limit", { timeout: 420_000 }, async () => {
    const reason = await postgresAndRedisUnreachable();
    if (reason) {
      console.log(`SKIPPED shared throttles over Redis: ${reason}`);
      return;
    }
    await redis.connect();
    databaseUrl = await createTemplate("postgres");
    const shared = sharedSettings(databaseUrl, { TRUST_PROXY: "loopback" });
    disposeUploads = shared.dispose;
    const prefix = shared.env.REDIS_KEY_PREFIX;
    const [a, b] = (await Promise.all([startServerProcess(shared.env), startServerProcess(shared.env)])).map((p) => p.url);

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
