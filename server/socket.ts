import type http from "node:http";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { createClient } from "redis";
import { Server, type Socket } from "socket.io";
import { userFromCookie } from "../app/domain/auth/session.server";
import { flushConversationTouches, guestConversationFromCookie } from "../app/domain/chat/conversations.server";
import { resolveLanguage } from "../app/i18n/i18n.server";
import { createChat } from "./chat/handlers";
import type { ChatClientToServer, ChatServerToClient } from "./chat/events";
import type { Env } from "./env";

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

export async function attachSockets(httpServer: http.Server, env: Env): Promise<{ io: PortalSocketServer; close: () => Promise<void> }> {
  const io: PortalSocketServer = new Server(httpServer, {
    // Missed events are replayed to a client that reconnects within two minutes.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false },
    serveClient: false,
  });

  let redis: ReturnType<typeof createClient> | undefined;
  if (env.REDIS_URL) {
    // The streams adapter (unlike the classic one) keeps connection state recovery.
    redis = createClient({ url: env.REDIS_URL });
    await redis.connect();
    io.adapter(createAdapter(redis));
  }

  // The session cookie is the credential; without one, only a guest chat token
  // (httpOnly cookie issued on /help) lets a socket in, for its one conversation.
  io.use(async (socket, next) => {
    try {
      const cookie = socket.handshake.headers.cookie;
      const user = await userFromCookie(cookie);
      const languageOf = (profile?: string | null) =>
        resolveLanguage(new Request("http://socket.local/", { headers: { cookie: cookie ?? "", "accept-language": socket.handshake.headers["accept-language"] ?? "" } }), profile);
      if (user) {
        socket.data.user = { id: user.id, role: user.role, accountId: user.accountId, name: user.name };
        socket.data.language = await languageOf(user.preferredLanguage);
        return next();
      }
      const guest = await guestConversationFromCookie(cookie);
      if (!guest || guest.status === "CLOSED") return next(new Error("unauthorized"));
      socket.data.guest = { conversationId: guest.id, name: guest.guestName ?? "" };
      socket.data.language = guest.language;
      next();
    } catch {
      next(new Error("unavailable"));
    }
  });

  const chat = createChat(io);
  io.on("connection", (socket: PortalSocket) => {
    const { user } = socket.data;
    if (user) {
      void socket.join(`user:${user.id}`);
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
    close: async () => {
      chat.runtime.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      // Before the database closes: the last messages' conversation touches.
      await flushConversationTouches();
      if (redis) await redis.quit().catch(() => undefined);
    },
  };
}
