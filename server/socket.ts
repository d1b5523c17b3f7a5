import crypto from "node:crypto";
import type http from "node:http";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import type { Logger } from "pino";
import { createClient } from "redis";
import { requestIdFrom, withRequestLogger } from "../app/utils/logger.server";
import { limitsRedis, releaseLimitsRedis, type RedisClient } from "../app/utils/redis.server";
import { Server, type Socket } from "socket.io";
import { sessionEvents, type SessionsEnded } from "../app/domain/auth/session-events.server";
import { liveSessionIds, signedInFromCookie } from "../app/utils/session.server";
import { guestConversationFromCookie } from "../app/domain/chat/open-conversation.server";
import { drainMessageWrites, flushConversationTouches } from "../app/domain/chat/store-message.server";
import { languageFor } from "../app/i18n/i18n.server";
import { createChat } from "./chat/chat-server";
import type { ChatClientToServer, ChatServerToClient } from "../app/domain/chat/events";
import type { Env } from "../app/utils/config.server";

/** Who is on the other end of a socket; the only per-connection state we keep. */
export type SocketUser = { id: string; role: "CUSTOMER" | "REP" | "MANAGER"; accountId: string | null; name: string };

export type ClientToServerEvents = ChatClientToServer & {
  "system:health": (ack: (reply: { data: { ok: true; serverTime: string; user: Pick<SocketUser, "id" | "role"> | null } }) => void) => void;
};
export type ServerToClientEvents = ChatServerToClient;
/** A guest (no session) holds a chat token valid for exactly one conversation. */
export type SocketGuest = { conversationId: string; name: string };
export type SocketData = { user?: SocketUser; guest?: SocketGuest; language: string };

export type PortalSocketServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type PortalSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export type AttachedSockets = {
  io: PortalSocketServer;
  /** Whether Redis answers a PING (true when the server runs without Redis); for /readyz. */
  redisReachable(): Promise<boolean>;
  close(): Promise<void>;
};

export async function attachSockets(httpServer: http.Server, env: Env, logger: Logger): Promise<AttachedSockets> {
  const io: PortalSocketServer = new Server(httpServer, {
    // Missed events are replayed to a client that reconnects within two minutes.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false },
    serveClient: false,
  });

  let redis: ReturnType<typeof connectAdapterRedis> | undefined;
  let limiterRedis: RedisClient | undefined;
  if (env.REDIS_URL) {
    // The streams adapter (unlike the classic one) keeps connection state recovery.
    redis = connectAdapterRedis(env.REDIS_URL, logger);
    await redis.connect();
    io.adapter(createAdapter(redis));
    // Chat rate limits are counted in Redis, so every process spends one budget per person.
    limiterRedis = await limitsRedis(env.REDIS_URL);
  }
  const sessions = sessionGuard(io, env.SESSION_RECHECK_SECONDS * 1000, logger);

  // The session cookie is the credential; without one, only a guest chat token
  // (httpOnly cookie issued on /help) lets a socket in, for its one conversation.
  // A socket's handshake and each event it sends run under a request id, as HTTP requests
  // do: the connection's (the client's X-Request-Id when it is a plain token) and the
  // event's number on it, so domain log lines can be matched with the socket event behind them.
  io.use((socket, next) => withRequestLogger(connectionIdOf(socket), () => next()));
  io.use(async (socket, next) => {
    try {
      const cookie = socket.handshake.headers.cookie;
      const signedIn = await signedInFromCookie(cookie);
      const languageOf = (profile?: string | null) => languageFor({ cookie, acceptLanguage: socket.handshake.headers["accept-language"] }, profile);
      if (signedIn) {
        const { user } = signedIn;
        socket.data.user = { id: user.id, role: user.role, accountId: user.accountId, name: user.name };
        socket.data.language = await languageOf(user.preferredLanguage);
        sessions.admit(socket, signedIn.sessionId);
        return next();
      }
      const guest = await guestConversationFromCookie(cookie);
      if (!guest || guest.status === "CLOSED") return next(new Error("unauthorized"));
      socket.data.guest = { conversationId: guest.id, name: guest.guestName ?? "" };
      socket.data.language = guest.language;
      next();
    } catch (error) {
      logger.error({ err: error, socketId: socket.id }, "socket handshake could not be checked");
      next(new Error("unavailable"));
    }
  });

  const chat = createChat(io, { logger, redis: limiterRedis, keyPrefix: env.REDIS_KEY_PREFIX, trustProxy: env.TRUST_PROXY });
  io.on("connection", (socket: PortalSocket) => {
    const connectionId = connectionIdOf(socket);
    let events = 0;
    socket.use((_event, next) => withRequestLogger(`${connectionId}.${++events}`, () => next()));
    const { user } = socket.data;
    if (user) {
      void socket.join(`user:${user.id}`);
      sessions.watch(socket);
      if (user.role === "CUSTOMER" && user.accountId) void socket.join(`account:${user.accountId}`);
    }

    socket.on("system:health", (ack) => {
      if (typeof ack !== "function") return;
      ack({ data: { ok: true, serverTime: new Date().toISOString(), user: user ? { id: user.id, role: user.role } : null } });
    });
    chat.register(socket);
  });

  return {
    io,
    async redisReachable() {
      if (!redis) return true;
      try {
        return (await redis.ping()) === "PONG";
      } catch {
        return false;
      }
    },
    close: async () => {
      sessions.stop();
      await chat.runtime.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      // Before the database closes: every message a socket handed over (and the other side
      // may already have seen relayed) is written, then the conversation touches.
      await drainMessageWrites();
      await flushConversationTouches();
      const quitFailed = (error: unknown) => logger.warn({ err: error }, "redis connection did not close cleanly");
      if (env.REDIS_URL) await releaseLimitsRedis(env.REDIS_URL).catch(quitFailed);
      if (redis) await redis.quit().catch(quitFailed);
    },
  };
}

/**
 * The adapter's Redis connection. Publishing fails at once while Redis is unreachable (no
 * offline queue), and the adapter then delivers to this process's sockets only: chat
 * keeps working on each process instead of waiting for Redis. The adapter's reading
 * copies keep their queue, so a blocked read waits for Redis to come back instead of
 * failing in a tight loop. Outages are logged once each way, not on every retry.
 */
function connectAdapterRedis(url: string, logger: Logger): RedisClient {
  const client: RedisClient = createClient({ url, disableOfflineQueue: true });
  let down = false;
  client.on("error", (error: unknown) => {
    if (down) return;
    down = true;
    logger.warn({ err: error }, "redis unreachable: chat delivers within this process until it is back");
  });
  client.on("ready", () => {
    if (!down) return;
    down = false;
    logger.info("redis reachable again: chat delivers across processes");
  });
  const duplicate = client.duplicate.bind(client);
  client.duplicate = ((overrides?: Parameters<typeof duplicate>[0]) => duplicate({ ...overrides, disableOfflineQueue: false })) as typeof client.duplicate;
  return client;
}

const connectionIds = new WeakMap<PortalSocket, string>();
function connectionIdOf(socket: PortalSocket): string {
  let id = connectionIds.get(socket);
  if (!id) connectionIds.set(socket, (id = requestIdFrom(socket.handshake.headers["x-request-id"]?.toString())));
  return id;
}

/** A session's sockets share a room; named by a digest, since room names travel through Redis. */
const sessionRoom = (sessionId: string) => `session:${crypto.createHash("sha256").update(sessionId).digest("hex").slice(0, 32)}`;

/**
 * Events that open, join or change something check the session every time; the hot
 * ones (a message, typing, a read mark) trust a proof younger than the re-check period.
 */
const HOT_EVENTS = new Set([
  "conversation:send",
  "conversation:typing",
  "conversation:read",
  "console:send",
  "console:typing",
  "console:read",
  "system:health",
]);

/**
 * A socket lives only as long as the session it was opened with. A sign-out or a reset
 * in this or any other process ends the session's (or the user's) sockets at once, by
 * room, through the adapter; a session that ends some other way (deleted or deactivated
 * in the database, expired) is found by checking it again: on every event that is not
 * hot, on a hot one once the proof is older than `recheckMs`, and for every socket on
 * this process every `recheckMs`, so an idle socket stops receiving too.
 */
function sessionGuard(io: PortalSocketServer, recheckMs: number, logger: Logger) {
  type Proof = { sessionId: string; checkedAt: number; checking?: Promise<boolean> };
  const proofs = new Map<string, Proof>();

  const end = (socket: PortalSocket) => {
    proofs.delete(socket.id);
    socket.disconnect(true);
  };

  function check(proof: Proof): Promise<boolean> {
    proof.checking ??= liveSessionIds([proof.sessionId]).then(
      (live) => {
        proof.checking = undefined;
        proof.checkedAt = Date.now();
        return live.has(proof.sessionId);
      },
      // The database did not answer: the event's own handler will fail as it would have; nobody is signed out for it.
      (error: unknown) => {
        logger.warn({ err: error, socketId: [...proofs].find(([, p]) => p === proof)?.[0] }, "socket session re-check failed; event let through");
        proof.checking = undefined;
        return true;
      },
    );
    return proof.checking;
  }

  const onEnded = (event: SessionsEnded) => {
    io.in("sessionId" in event ? sessionRoom(event.sessionId) : `user:${event.userId}`).disconnectSockets(true);
  };
  sessionEvents().on("ended", onEnded);

  const sweep = setInterval(() => {
    const due = [...proofs.entries()].filter(([, proof]) => !proof.checking);
    if (!due.length) return;
    void liveSessionIds([...new Set(due.map(([, proof]) => proof.sessionId))])
      .then((live) => {
        const now = Date.now();
        for (const [socketId, proof] of due) {
          const socket = io.of("/").sockets.get(socketId);
          if (!socket) proofs.delete(socketId);
          else if (live.has(proof.sessionId)) proof.checkedAt = now;
          else end(socket);
        }
      })
      // The next sweep checks again; nobody is signed out for a database that did not answer.
      .catch((error: unknown) => logger.warn({ err: error }, "socket session sweep could not check sessions"));
  }, recheckMs);
  sweep.unref();

  return {
    /** The handshake proved this session just now. */
    admit(socket: PortalSocket, sessionId: string) {
      proofs.set(socket.id, { sessionId, checkedAt: Date.now() });
    },
    /** Joins the session's room and checks the session before each event the socket sends. */
    watch(socket: PortalSocket) {
      const proof = proofs.get(socket.id);
      if (!proof) return;
      void socket.join(sessionRoom(proof.sessionId));
      socket.on("disconnect", () => proofs.delete(socket.id));
      socket.use((packet, next) => {
        const current = proofs.get(socket.id);
        if (!current) return;
        // A check under way holds every later event behind it, so events keep their order.
        const fresh = !current.checking && HOT_EVENTS.has(packet[0]) && Date.now() - current.checkedAt < recheckMs;
        if (fresh) return next();
        void check(current).then((alive) => {
          if (alive) return next();
          const ack = packet.at(-1);
          if (typeof ack === "function") ack({ error: "chat:errors.signedOut" });
          end(socket);
        });
      });
    },
    stop() {
      clearInterval(sweep);
      sessionEvents().off("ended", onEnded);
      proofs.clear();
    },
  };
}
