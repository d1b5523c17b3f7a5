import type { RateLimiterAbstract, RateLimiterRes } from "rate-limiter-flexible";
import { limiterFor } from "../security/throttles.server";

/**
 * How long a password reset is remembered: longer than any lock it lifted lasts (a pair's
 * count and lock live at most 15 minutes after its last failure), so a lifted lock never comes back.
 */
const RESET_MEMORY_SECONDS = 24 * 60 * 60;

// Per email+address: 5 wrong passwords in 15 minutes locks that pair for 15 minutes.
// Per address: 50 attempts an hour, whatever the email (credential stuffing).
// Per email: when its password was last reset (see `liftSignInLockout`).
const RULES = {
  pair: { keyPrefix: "login_email_ip", points: 5, duration: 15 * 60, blockDuration: 15 * 60 },
  address: { keyPrefix: "login_ip", points: 50, duration: 60 * 60 },
  reset: { keyPrefix: "login_reset", points: 1, duration: RESET_MEMORY_SECONDS },
} as const;

type Limiters = { pair: RateLimiterAbstract; address: RateLimiterAbstract; reset: RateLimiterAbstract };

/** Shared by every server process through Redis when REDIS_URL is set (see throttles.server.ts). */
async function getLimiters(): Promise<Limiters> {
  const [pair, address, reset] = await Promise.all([limiterFor(RULES.pair), limiterFor(RULES.address), limiterFor(RULES.reset)]);
  return { pair, address, reset };
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * The failures of one email from one address are counted under a key that names the
 * email's last password reset, if any: a reset starts every address's count afresh at
 * once (the store cannot list an email's keys, and the lock may be on a laptop while the
 * reset link was opened on a phone), and the earlier counts simply expire.
 */
async function pairKeyFor(limiters: Limiters, email: string, ip: string) {
  const key = email.trim().toLowerCase();
  const reset = await limiters.reset.get(key).catch(() => null);
  return reset ? `${key}|${ip}|reset-${reset.consumedPoints}` : `${key}|${ip}`;
}

export async function checkLoginAllowed(email: string, ip: string): Promise<ThrottleVerdict> {
  const limiters = await getLimiters();
  const { pair, address } = limiters;
  const [pairState, addressState] = await Promise.all([pair.get(await pairKeyFor(limiters, email, ip)), address.get(ip)]);
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
  const limiters = await getLimiters();
  const { pair, address } = limiters;
  const pairKey = await pairKeyFor(limiters, email, ip);
  await Promise.all([pair.consume(pairKey).catch(() => undefined), address.consume(ip).catch(() => undefined)]);
}

export async function recordSuccessfulLogin(email: string, ip: string): Promise<void> {
  const limiters = await getLimiters();
  await limiters.pair.delete(await pairKeyFor(limiters, email, ip));
}

/**
 * A completed password reset (or a first password) lifts the email's sign-in lock, from
 * every address: the lock message tells a locked-out person to reset, and whoever holds
 * the emailed link is the account's owner. The per-address limit stays: it guards the
 * portal, not one account.
 */
export async function liftSignInLockout(email: string): Promise<void> {
  const { reset } = await getLimiters();
  // A new value each time (the moment, in milliseconds), so a later reset never reuses an earlier one's keys.
  await reset.set(email.trim().toLowerCase(), Date.now(), RESET_MEMORY_SECONDS).catch(() => undefined);
}
