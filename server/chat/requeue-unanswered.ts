import { reassignUnanswered } from "../../app/domain/chat/assignment.server";
import type { PortalSocketServer } from "../socket";
import type { Broadcast } from "./broadcast";
import type { Dispatch } from "./dispatch";
import { STAFF, userRoom } from "./rooms";

/**
 * How a chat goes back into line and is routed again. A chat returns to the head of its
 * language queue when its rep sends it back, goes OFFLINE, drops past the grace period
 * (`timers.ts`), or leaves it unanswered past `chat.unansweredReassignSeconds` — then it
 * goes to another rep who speaks the language, or back in line with nobody free
 * (`reassignUnanswered` in `app/domain/chat/assignment.server.ts`). Once back in line,
 * dispatch (`dispatch.ts`) gives it to the next free rep.
 */
export function createRequeue(io: PortalSocketServer, broadcast: Broadcast, dispatch: Dispatch) {
  /** Chats just put back in line: the thread says so, the team's inbox hears, and free reps take them. */
  async function requeued(conversationIds: string[]) {
    for (const id of conversationIds) {
      await broadcast.system(id, "requeued");
      io.to(STAFF).emit("console:inbox-changed", { reason: "requeued", conversationId: id });
    }
    if (conversationIds.length) await dispatch.dispatch();
  }

  /** One sweep: chats assigned but unanswered too long move to another rep or back in line. */
  async function moveUnanswered() {
    for (const move of await reassignUnanswered()) {
      io.to(userRoom(move.fromRepId)).emit("console:inbox-changed", { reason: "unanswered", conversationId: move.conversationId });
      if (move.toRepId) await broadcast.assigned(move.conversationId);
      else await requeued([move.conversationId]);
    }
  }

  return { requeued, moveUnanswered };
}

export type Requeue = ReturnType<typeof createRequeue>;
