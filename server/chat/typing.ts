import { z } from "zod";
import { TYPING_TIMEOUT_MS } from "../../app/domain/chat/thread";
import type { PortalSocket, PortalSocketServer } from "../socket";
import { convRoom, staffRoom } from "./rooms";

// Built once: zod compiles a schema on first use, and these run on every keystroke pause and scroll.
export const typingSchema = z.object({ conversationId: z.string().max(64), typing: z.boolean() });
export const readSchema = z.object({ conversationId: z.string().max(64), seq: z.coerce.bigint().min(0n) });

/**
 * Who is typing where, per socket: each "typing" restarts a timeout, and a stop, a sent
 * message, the timeout or a disconnect tells the other side it stopped — so a lost stop
 * (a closed tab, a dropped event) never leaves "is typing…" on screen.
 */
export function createTyping(io: PortalSocketServer) {
  const timers = new Map<string, Map<string, NodeJS.Timeout>>();

  const isStaff = (socket: PortalSocket) => socket.data.user?.role === "REP" || socket.data.user?.role === "MANAGER";

  function tell(socket: PortalSocket, conversationId: string, typing: boolean) {
    const staff = isStaff(socket);
    io.to(staff ? convRoom(conversationId) : staffRoom(conversationId)).emit("conversation:typing", {
      conversationId,
      side: staff ? "rep" : "customer",
      typing,
    });
  }

  function stopped(socket: PortalSocket, conversationId: string) {
    const mine = timers.get(socket.id);
    const timer = mine?.get(conversationId);
    if (!mine || !timer) return false;
    clearTimeout(timer);
    mine.delete(conversationId);
    if (!mine.size) timers.delete(socket.id);
    tell(socket, conversationId, false);
    return true;
  }

  function started(socket: PortalSocket, conversationId: string) {
    const mine = timers.get(socket.id) ?? new Map<string, NodeJS.Timeout>();
    timers.set(socket.id, mine);
    clearTimeout(mine.get(conversationId));
    const timer = setTimeout(() => stopped(socket, conversationId), TYPING_TIMEOUT_MS);
    timer.unref();
    mine.set(conversationId, timer);
    tell(socket, conversationId, true);
  }

  return {
    started,
    stopped,
    /** The socket went away: whatever it was typing stops. */
    disconnected(socket: PortalSocket) {
      for (const conversationId of [...(timers.get(socket.id)?.keys() ?? [])]) stopped(socket, conversationId);
    },
    stop() {
      for (const mine of timers.values()) for (const t of mine.values()) clearTimeout(t);
      timers.clear();
    },
  };
}

export type Typing = ReturnType<typeof createTyping>;
