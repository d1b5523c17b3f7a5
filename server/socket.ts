import type http from "node:http";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { createClient } from "redis";
import { Server, type Socket } from "socket.io";
import { userFromCookie } from "../app/domain/auth/session.server";
import type { Env } from "./env";

/** Who is on the other end of a socket; the only per-connection state we keep. */
export type SocketUser = { id: string; role: "CUSTOMER" | "REP" | "MANAGER"; accountId: string | null; name: string };

export type ClientToServerEvents = {
  "system:health": (ack: (reply: { data: { ok: true; serverTime: string; user: Pick<SocketUser, "id" | "role"> } }) => void) => void;
};
export type ServerToClientEvents = Record<string, never>;
export type SocketData = { user: SocketUser };

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

  // The session cookie is the only credential; a socket without one is refused.
  io.use(async (socket, next) => {
    try {
      const user = await userFromCookie(socket.handshake.headers.cookie);
      if (!user) return next(new Error("unauthorized"));
      socket.data.user = { id: user.id, role: user.role, accountId: user.accountId, name: user.name };
      next();
    } catch {
      next(new Error("unavailable"));
    }
  });

  io.on("connection", (socket: PortalSocket) => {
    const { user } = socket.data;
    void socket.join(`user:${user.id}`);
    if (user.role === "CUSTOMER" && user.accountId) void socket.join(`account:${user.accountId}`);
    else void socket.join("staff");

    socket.on("system:health", (ack) => {
      if (typeof ack !== "function") return;
      ack({ data: { ok: true, serverTime: new Date().toISOString(), user: { id: user.id, role: user.role } } });
    });
  });

  return {
    io,
    close: async () => {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      if (redis) await redis.quit().catch(() => undefined);
    },
  };
}
