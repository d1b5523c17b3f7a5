import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

// Per email+address: 5 wrong passwords in 15 minutes locks that pair for 15 minutes.
// Per address: 50 attempts an hour, whatever the email (credential stuffing).
const perEmailAndIp = new RateLimiterMemory({ keyPrefix: "login_email_ip", points: 5, duration: 15 * 60, blockDuration: 15 * 60 });
const perIp = new RateLimiterMemory({ keyPrefix: "login_ip", points: 50, duration: 60 * 60 });

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

function keyFor(email: string, ip: string) {
  return `${email.toLowerCase()}|${ip}`;
}

export async function checkLoginAllowed(email: string, ip: string): Promise<ThrottleVerdict> {
  const [pair, address] = await Promise.all([perEmailAndIp.get(keyFor(email, ip)), perIp.get(ip)]);
  const blocked = [
    { res: pair, limit: perEmailAndIp.points },
    { res: address, limit: perIp.points },
  ]
    .filter(({ res, limit }) => res !== null && res.consumedPoints >= limit)
    .map(({ res }) => res as RateLimiterRes);
  if (blocked.length === 0) return { allowed: true };
  const ms = Math.max(...blocked.map((res) => res.msBeforeNext));
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) };
}

export async function recordFailedLogin(email: string, ip: string): Promise<void> {
  await Promise.all([
    perEmailAndIp.consume(keyFor(email, ip)).catch(() => undefined),
    perIp.consume(ip).catch(() => undefined),
  ]);
}

export async function recordSuccessfulLogin(email: string, ip: string): Promise<void> {
  await perEmailAndIp.delete(keyFor(email, ip));
}
