import crypto from "node:crypto";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, type TestPortal } from "../support/portal";
import { reachable, REDIS_URL } from "../support/services";

const redisUp = await reachable(Number(new URL(REDIS_URL).port || 6379), new URL(REDIS_URL).hostname);
if (!redisUp) console.log(`SKIPPED login throttling over Redis: no Redis answers at ${REDIS_URL}`);

describe.runIf(redisUp)("login throttling with REDIS_URL", () => {
  let portal: TestPortal;
  const redis = createClient({ url: REDIS_URL });
  // Each run counts under its own prefix: Redis outlives test runs, and the per-address
  // limit for 127.0.0.1 would otherwise fill up across runs.
  const prefix = `test-${crypto.randomUUID().slice(0, 8)}:`;
  beforeAll(async () => {
    portal = await startPortal({ REDIS_URL, REDIS_KEY_PREFIX: prefix });
    await redis.connect();
  });
  afterAll(async () => {
    await portal?.close();
    await redis.quit();
  });

  it("counts failures in Redis, where every server process sees them", async () => {
    const email = `probe-${crypto.randomUUID()}@nowhere.example`;
    for (let i = 0; i < 5; i++) expect((await portal.browser().post("/login", { email, password: "wrong-password" })).status).toBe(401);
    expect((await portal.browser().post("/login", { email, password: "wrong-password" })).status).toBe(429);
    const keys = await redis.keys(`${prefix}login_email_ip:${email}|*`);
    expect(keys).toHaveLength(1);
    expect(Number(await redis.get(keys[0]))).toBeGreaterThanOrEqual(5);
  });

  it("lifts an email's lock, kept in Redis, when its password is reset", async () => {
    const email = "rep3@accounts.example";
    for (let i = 0; i < 5; i++) expect((await portal.browser().post("/login", { email, password: "wrong-password" })).status).toBe(401);
    expect((await portal.browser().post("/login", { email, password: "wrong-password" })).status).toBe(429);
    // A reset link as the email carries it (the token's hash is what the portal stores).
    const token = crypto.randomBytes(32).toString("base64url");
    const user = await portal.db.user.findUniqueOrThrow({ where: { email } });
    await portal.db.passwordResetToken.create({
      data: { userId: user.id, tokenHash: crypto.createHash("sha256").update(token).digest("hex"), expiresAt: new Date(Date.now() + 60_000) },
    });
    expect((await portal.browser().post("/reset-password", { token, password: "Rep-Three-2026!", confirm: "Rep-Three-2026!" })).status).toBe(302);
    expect(await redis.exists(`${prefix}login_reset:${email}`)).toBe(1);
    expect((await portal.browser().post("/login", { email, password: "Rep-Three-2026!" })).status).toBe(302);
  });
});
