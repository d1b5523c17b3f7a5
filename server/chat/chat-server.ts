import type { Logger } from "pino";
import type { createClient } from "redis";
import type { Env } from "../../app/utils/config.server";
import type { PortalSocket, PortalSocketServer } from "../socket";
import { createBroadcast, type Broadcast } from "./broadcast";
import { registerConsole } from "./console-handlers";
import { registerCustomer } from "./customer-handlers";
import { createDispatch, type Dispatch } from "./dispatch";
import { createRateLimits, type RateLimits } from "./rate-limits";
import { createRequeue, type Requeue } from "./requeue-unanswered";
import { createTimers, type Timers } from "./timers";
import { createTyping, type Typing } from "./typing";

/**
 * The chat over Socket.IO, wired together. Each handler follows
 * validate → authorize → relay → persist → ack → broadcast; the database work is in
 * `app/domain/chat/`, the event contract in `app/domain/chat/events.ts`.
 */
export type ChatContext = {
  io: PortalSocketServer;
  logger: Logger;
  limits: RateLimits;
  typing: Typing;
  broadcast: Broadcast;
  dispatch: Dispatch;
  requeue: Requeue;
  timers: Timers;
  trustProxy: Env["TRUST_PROXY"];
};

export type ChatRuntime = { stop(): Promise<void> };

export function createChat(
  io: PortalSocketServer,
  options: { logger: Logger; redis?: ReturnType<typeof createClient>; keyPrefix?: string; trustProxy?: Env["TRUST_PROXY"] },
): { register(socket: PortalSocket): void; runtime: ChatRuntime } {
  const { logger } = options;
  const broadcast = createBroadcast(io, logger);
  const dispatch = createDispatch(io, broadcast, logger);
  const requeue = createRequeue(io, broadcast, dispatch);
  const context: ChatContext = {
    io,
    logger,
    limits: createRateLimits({ redis: options.redis, keyPrefix: options.keyPrefix ?? "portal:", logger }),
    typing: createTyping(io),
    broadcast,
    dispatch,
    requeue,
    timers: createTimers(io, requeue, dispatch, logger),
    trustProxy: options.trustProxy ?? false,
  };
  const stopRelaying = broadcast.relayDomainEvents();

  return {
    register(socket) {
      socket.on("disconnect", () => context.typing.disconnected(socket));
      // An event this side of the chat does not handle (a customer calling rep:*, or the
      // reverse) gets a "forbidden" answer instead of silence.
      socket.onAny((event: string, ...args: unknown[]) => {
        const ack = args.at(-1);
        if (typeof ack === "function" && event !== "system:health" && socket.listeners(event as "conversation:open").length === 0)
          ack({ error: "chat:errors.forbidden" });
      });
      const role = socket.data.user?.role;
      if (role === "REP" || role === "MANAGER") registerConsole(context, socket);
      else registerCustomer(context, socket);
    },
    runtime: {
      async stop() {
        context.timers.stop();
        stopRelaying();
        context.typing.stop();
        await dispatch.stop();
      },
    },
  };
}
