import type { Socket } from "socket.io-client";
import type { PrismaClient } from "../../app/utils/db.server";

// Event payloads differ per event; the tests read the fields they assert on.
type Any = any;

/** Resolves once the socket is connected; rejects with the server's refusal. */
export function connected(socket: Socket): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    socket.on("connect", resolve);
    socket.on("connect_error", reject);
  });
}

/** The next `event` on `socket` whose payload passes `test`, recorded from now on. */
export function next<T = Any>(socket: Socket, event: string, test: (payload: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const handler = (payload: T) => {
      if (!test(payload)) return;
      socket.off(event, handler);
      resolve(payload);
    };
    socket.on(event, handler);
  });
}

/** Every `events` payload `socket` gets from now on, in arrival order. */
export function record(socket: Socket, events: string[]): { event: string; payload: Any }[] {
  const seen: { event: string; payload: Any }[] = [];
  for (const event of events) socket.on(event, (payload: Any) => seen.push({ event, payload }));
  return seen;
}

/** Live chat open around the clock, whatever time the tests run. */
export async function keepChatOpenAllDay(db: PrismaClient) {
  for (const lang of ["en", "es"]) {
    await db.policySetting.update({
      where: { key: `hours.${lang}` },
      data: { value: { timezone: "UTC", days: [0, 1, 2, 3, 4, 5, 6], open: "00:00", close: "24:00", holidays: [] } },
    });
  }
}

/** Every chat closed and every rep offline with no assignment history: each test starts from an empty floor. */
export async function clearChatFloor(db: PrismaClient) {
  await db.conversation.updateMany({ where: { status: { not: "CLOSED" } }, data: { status: "CLOSED", assignedRepId: null } });
  await db.user.updateMany({ where: { role: { in: ["REP", "MANAGER"] } }, data: { presence: "OFFLINE", lastChatAssignedAt: null } });
}
