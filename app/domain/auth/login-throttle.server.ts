import type { RateLimiterAbstract, RateLimiterRes } from "rate-limiter-flexible";
import { limiterFor } from "../security/throttles.server";

// Per email+address: 5 wrong passwords in 15 minutes locks that pair for 15 minutes.
// Per address: 50 attempts an hour, whatever the email (credential stuffing).
const RULES = {
  pair: { keyPrefix: "login_email_ip", points: 5, duration: 15 * 60, blockDuration: 15 * 60 },
  address: { keyPrefix: "login_ip", points: 50, duration: 60 * 60 },
} as const;

type Limiters = { pair: RateLimiterAbstract; address: RateLimiterAbstract };

/** Shared by every server process through Redis when REDIS_URL is set (see throttles.server.ts). */
async function getLimiters(): Promise<Limiters> {
  const [pair, address] = await Promise.all([limiterFor(RULES.pair), limiterFor(RULES.address)]);
  return { pair, address };
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

function keyFor(email: string, ip: string) {
  return `${email.toLowerCase()}|${ip}`;
}

export async function checkLoginAllowed(email: string, ip: string): Promise<ThrottleVerdict> {
  const { pair, address } = await getLimiters();
  const [pairState, addressState] = await Promise.all([pair.get(keyFor(email, ip)), address.get(ip)]);
  const blocked = [
    { res: pairState, limit: RULES.pair.points },
    { res: addressState, limit: RULES.address.points },
  ]
    .filter(({ res, limit }) => res !== null && res.consumedPoints >= limit)
    .map(({ res }) => res as RateLimiterRes);
  if (blocked.length === 0) return { allowed: true };
  const ms = Math.max(...blocked.map((res) => res.msBeforeNext));
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) };
}

export async function recordFailedLogin(email: string, ip: string): Promise<void> {
  const { pair, address } = await getLimiters();
  await Promise.all([pair.consume(keyFor(email, ip)).catch(() => undefined), address.consume(ip).catch(() => undefined)]);
}

export async function recordSuccessfulLogin(email: string, ip: string): Promise<void> {
  const { pair } = await getLimiters();
  await pair.delete(keyFor(email, ip));
}
