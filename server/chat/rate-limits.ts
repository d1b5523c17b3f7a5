import type { Logger } from "pino";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { createClient } from "redis";
import type { PortalSocket } from "../socket";
import { log } from "../../app/utils/logger.server";
import { fail } from "./rooms";

/** How many chat events a person may send: messages, typing/read signals, and a rep's wider budget. */
const LIMITS = {
  messages: { keyPrefix: "chat_send", points: 20, duration: 10 },
  typing: { keyPrefix: "chat_typing", points: 30, duration: 10 },
  // A rep answers up to 20 chats at once, often with canned replies: more room than one customer.
  staff: { keyPrefix: "chat_staff", points: 40, duration: 10 },
} as const;

export type Budget = keyof typeof LIMITS;

/**
 * A budget per person, not per socket (new sockets would start afresh): counted in Redis
 * when the server has it, so every process spends the same budget, with a memory count
 * standing in while Redis does not answer.
 */
function chatLimiter(rule: (typeof LIMITS)[Budget], redis: ReturnType<typeof createClient> | undefined, keyPrefix: string): RateLimiterAbstract {
  const memory = new RateLimiterMemory(rule);
  if (!redis) return memory;
  return new RateLimiterRedis({ ...rule, keyPrefix: `${keyPrefix}${rule.keyPrefix}`, storeClient: redis, useRedisPackage: true, insuranceLimiter: memory });
}

/** Whose budget an event spends: the signed-in user, or the guest's chat token (one conversation each). */
const budgetKey = (socket: PortalSocket) => (socket.data.user ? `user:${socket.data.user.id}` : `guest:${socket.data.guest?.conversationId ?? socket.id}`);

export type RateLimits = {
  /** Spends one point; over budget, answers with when to try again (the client waits that long and resends). */
  limited(socket: PortalSocket, ack: unknown, budget?: Budget): Promise<boolean>;
};

export function createRateLimits(options: { redis?: ReturnType<typeof createClient>; keyPrefix: string; logger: Logger }): RateLimits {
  const limiters: Record<Budget, RateLimiterAbstract> = {
    messages: chatLimiter(LIMITS.messages, options.redis, options.keyPrefix),
    typing: chatLimiter(LIMITS.typing, options.redis, options.keyPrefix),
    staff: chatLimiter(LIMITS.staff, options.redis, options.keyPrefix),
  };
  return {
    async limited(socket, ack, budget = "messages") {
      const key = budgetKey(socket);
      try {
        await limiters[budget].consume(key);
        return false;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) {
          // The store failing with no stand-in: let the event through rather than refuse everyone.
          log().warn({ err: rejection, budget, key }, "chat rate limiter unavailable; event let through");
          return false;
        }
        fail(ack, "chat:errors.rateLimited", Math.max(1, Math.ceil(rejection.msBeforeNext)));
        return true;
      }
    },
  };
}
