import { EventEmitter } from "node:events";

/**
 * Domain code (routes, webhooks) never touches sockets: it announces what changed
 * here, and the socket layer (server/chat/broadcast.ts) turns it into broadcasts.
 * Kept on globalThis so the app bundle and the server share one emitter.
 */
export type ChatDomainEvent = { type: "inbox-changed"; conversationId: string; reason: string } | { type: "message"; conversationId: string; seq: string };

const KEY = Symbol.for("portal.chatEvents");
type Holder = { [KEY]?: EventEmitter };

export function chatEvents(): EventEmitter {
  const holder = globalThis as Holder;
  holder[KEY] ??= new EventEmitter();
  return holder[KEY];
}

export function announce(event: ChatDomainEvent) {
  chatEvents().emit("event", event);
}
