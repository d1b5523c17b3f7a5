import { io as connect, type Socket } from "socket.io-client";
import { expect } from "vitest";
import type { PrismaClient } from "../../app/utils/db.server";
import type { Browser } from "./portal";

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

/**
 * The sockets one test file opens as signed-in browsers (closed together between tests),
 * and the usual start of a chat test: a customer's chat taken by the only rep online,
 * both sides joined.
 */
export function chatSockets(portal: { url: string; signedIn(email: string): Promise<Browser> }) {
  const sockets: Socket[] = [];
  async function open(browser: Pick<Browser, "cookieHeader">): Promise<Socket> {
    const socket = connect(portal.url, { transports: ["websocket"], extraHeaders: { Cookie: browser.cookieHeader() }, reconnection: false });
    sockets.push(socket);
    await connected(socket);
    return socket;
  }
  async function chatBetween(customerEmail: string, repEmail: string) {
    const repBrowser = await portal.signedIn(repEmail);
    const rep = await open(repBrowser);
    await rep.emitWithAck("console:inbox");
    const customerBrowser = await portal.signedIn(customerEmail);
    const customer = await open(customerBrowser);
    const opened = await customer.emitWithAck("conversation:open", { topic: "PAYMENT" });
    expect(opened.data.status).toMatchObject({ state: "assigned" });
    const conversationId: string = opened.data.conversation.id;
    const joined = await rep.emitWithAck("console:join", { conversationId });
    return { rep, repBrowser, customer, customerBrowser, conversationId, joined: joined.data };
  }
  return {
    open,
    chatBetween,
    closeAll() {
      for (const s of sockets.splice(0)) s.disconnect();
    },
  };
}
