import { EventEmitter } from "node:events";

/**
 * Sign-ins that ended (sign-out, password reset, deactivation). Domain code never
 * touches sockets: it announces here, and the socket layer (server/socket.ts) ends the
 * sockets that rode on those sessions — on every server process, through the adapter.
 * Kept on globalThis so the app bundle and the server share one emitter.
 */
export type SessionsEnded = { sessionId: string } | { userId: string };

const KEY = Symbol.for("portal.sessionEvents");
type Holder = { [KEY]?: EventEmitter };

export function sessionEvents(): EventEmitter {
  const holder = globalThis as Holder;
  holder[KEY] ??= new EventEmitter();
  return holder[KEY];
}

export function announceSessionsEnded(event: SessionsEnded) {
  sessionEvents().emit("ended", event);
}
