/**
 * The one Redis connection for rate limits (the throttles on sign-in, resets, guest
 * chats, and the chat budgets), per Redis URL, shared by the server and the app bundle
 * (kept on globalThis: they load this file separately). Socket.IO's streams adapter
 * keeps a connection of its own: it blocks reading the stream, and a limit check must
 * never wait behind it.
 *
 * Commands fail at once while Redis is unreachable (no offline queue), so a limiter's
 * in-memory insurance answers instead of a request waiting on Redis.
 */
import { createClient } from "redis";

export type RedisClient = ReturnType<typeof createClient>;

type Shared = { client: Promise<RedisClient>; users: number };
const KEY = Symbol.for("portal.limitsRedis");
type Holder = { [KEY]?: Map<string, Shared> };

function shared(): Map<string, Shared> {
  const holder = globalThis as Holder;
  holder[KEY] ??= new Map();
  return holder[KEY];
}

/**
 * The limits connection for `url`, connected (or still trying; errors are left to the
 * limiters' insurance). Each caller that will let go of it calls `releaseLimitsRedis`;
 * the connection closes when the last one does.
 */
export function limitsRedis(url: string): Promise<RedisClient> {
  const connections = shared();
  let entry = connections.get(url);
  if (!entry) {
    entry = {
      users: 0,
      client: (async () => {
        const client: RedisClient = createClient({ url, disableOfflineQueue: true });
        client.on("error", () => undefined);
        await client.connect().catch(() => undefined);
        return client;
      })(),
    };
    connections.set(url, entry);
  }
  entry.users++;
  return entry.client;
}

export async function releaseLimitsRedis(url: string): Promise<void> {
  const connections = shared();
  const entry = connections.get(url);
  if (!entry || --entry.users > 0) return;
  connections.delete(url);
  const client = await entry.client;
  await client.quit().catch(() => undefined);
}
