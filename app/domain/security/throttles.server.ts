/**
 * Throttles on what anyone can trigger without an account: each limit is named here, as
 * policy, with its key (a client address, a recipient, a user). In memory on one process;
 * in Redis when REDIS_URL is set, so every server process counts against the same limit
 * (a memory limiter stands in while Redis is unreachable, so a Redis outage never turns
 * into refused or failed requests).
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type IRateLimiterOptions, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getEnv } from "../../utils/config.server";
import { limitsRedis, type RedisClient } from "../../utils/redis.server";

const HOUR = 60 * 60;

export type ThrottleRule = Required<Pick<IRateLimiterOptions, "keyPrefix" | "points" | "duration">> & Pick<IRateLimiterOptions, "blockDuration">;

/**
 * The limits. A person who means well stays far below each (an office behind one
 * address included); a script hits it at once.
 * Per recipient limits protect the person at the other end of a mail (a typed address
 * is not proof of owning it); per client limits protect the portal.
 */
export const THROTTLES = {
  /** Guest chats opened on /help from one client address. */
  guestChatPerClient: { keyPrefix: "guest_chat_ip", points: 20, duration: HOUR },
  /** Chat transcripts mailed to one address (the guest typed it; a customer's is their own). */
  transcriptPerRecipient: { keyPrefix: "transcript_to", points: 3, duration: HOUR },
  /** Chat transcripts asked for from one client address, whatever the recipient. */
  transcriptPerClient: { keyPrefix: "transcript_ip", points: 10, duration: HOUR },
  /** Password-reset mails to one address. */
  passwordResetPerRecipient: { keyPrefix: "reset_to", points: 3, duration: HOUR },
  /** Password-reset requests from one client address, whatever the address typed. */
  passwordResetPerClient: { keyPrefix: "reset_ip", points: 20, duration: HOUR },
  /** Credit application drafts a new (signed-out) company opens from one client address. */
  anonymousCreditDraftPerClient: { keyPrefix: "credit_draft_ip", points: 10, duration: 24 * HOUR },
} as const satisfies Record<string, ThrottleRule>;

/** What one credit application (a new company's draft above all) may hold in documents. */
export const UPLOAD_BUDGET_PER_CREDIT_APPLICATION = { files: 10, bytes: 25 * 1024 * 1024 } as const;

export type ThrottleName = keyof typeof THROTTLES;

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const memoryLimiters = new Map<string, RateLimiterAbstract>();
/** Per connection: a limiter made on a connection that has since closed is not reused. */
const redisLimiters = new WeakMap<RedisClient, Map<string, RateLimiterAbstract>>();
/** The throttles hold the limits connection for the life of the process. */
const held = new Map<string, Promise<RedisClient>>();

/** A limiter for a rule: Redis-backed (shared by every process) when REDIS_URL is set. */
export async function limiterFor(rule: ThrottleRule): Promise<RateLimiterAbstract> {
  const { REDIS_URL, REDIS_KEY_PREFIX } = getEnv();
  if (!REDIS_URL) {
    let limiter = memoryLimiters.get(rule.keyPrefix);
    if (!limiter) memoryLimiters.set(rule.keyPrefix, (limiter = new RateLimiterMemory(rule)));
    return limiter;
  }
  let pending = held.get(REDIS_URL);
  if (!pending) held.set(REDIS_URL, (pending = limitsRedis(REDIS_URL)));
  const client = await pending;
  let byRule = redisLimiters.get(client);
  if (!byRule) redisLimiters.set(client, (byRule = new Map()));
  const key = `${REDIS_KEY_PREFIX}${rule.keyPrefix}`;
  let limiter = byRule.get(key);
  if (!limiter) {
    limiter = new RateLimiterRedis({ ...rule, keyPrefix: key, storeClient: client, useRedisPackage: true, insuranceLimiter: new RateLimiterMemory(rule) });
    byRule.set(key, limiter);
  }
  return limiter;
}

/** Keys are compared case-blind and trimmed: `A@x.com` and `a@x.com ` are one recipient. */
function normalKey(key: string) {
  return key.trim().toLowerCase().slice(0, 320);
}

/**
 * Counts one attempt against each named limit. Allowed only when every limit has room;
 * when one is full the others are given their point back, so a refused attempt does not
 * use up a limit it never got past (and concurrent attempts still count exactly once each).
 */
export async function consumeThrottles(checks: readonly { limit: ThrottleName; key: string }[]): Promise<ThrottleVerdict> {
  const attempts = await Promise.all(
    checks.map(async ({ limit, key }) => {
      const limiter = await limiterFor(THROTTLES[limit]);
      const k = normalKey(key);
      try {
        await limiter.consume(k);
        return { limiter, key: k, refused: null };
      } catch (outcome) {
        if (outcome instanceof RateLimiterRes) return { limiter, key: k, refused: outcome };
        // The store failed and so did its stand-in: let the request through rather than fail it.
        return { limiter, key: k, refused: null };
      }
    }),
  );
  const refused = attempts.filter((a) => a.refused).map((a) => a.refused as RateLimiterRes);
  if (refused.length === 0) return { allowed: true };
  await Promise.all(attempts.filter((a) => !a.refused).map((a) => a.limiter.reward(a.key).catch(() => undefined)));
  const ms = Math.max(...refused.map((r) => r.msBeforeNext));
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) };
}
