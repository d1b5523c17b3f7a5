import type { Logger } from "pino";
import { fillRep, loadRepFacts, routeConversation } from "../../app/domain/chat/assignment.server";
import { conversationWithRep, queuedChatIds } from "../../app/domain/chat/conversation-facts.server";
import type { ChatStatus } from "../../app/domain/chat/events";
import type { PortalSocketServer } from "../socket";
import type { Broadcast } from "./broadcast";
import { convRoom, firstName } from "./rooms";

/**
 * Routing orchestration: a queued chat is routed whenever its status is asked for, free
 * reps take the heads of their queues, and everyone waiting hears their place in line.
 * The rules themselves are pure functions in `app/domain/chat/routing.ts`; the atomic
 * claims are in `assignment.server.ts`.
 */
export function createDispatch(io: PortalSocketServer, broadcast: Broadcast, logger: Logger) {
  /** Status for the customer side; a QUEUED chat is (re)routed on the way, so it may get assigned right here. */
  async function statusOf(conversationId: string): Promise<ChatStatus> {
    const c = await conversationWithRep(conversationId);
    if (c.status === "CLOSED") return { conversationId, state: "closed" };
    if (c.channel === "EMAIL") return { conversationId, state: "email" };
    if (c.status === "ASSIGNED") return { conversationId, state: "assigned", repName: firstName(c.assignedRep?.name ?? "") };
    const decision = await routeConversation(conversationId);
    if (decision.kind === "assign") {
      // Announced by whoever claimed it; only a claim made here is announced here.
      if (decision.rule !== "already_assigned") await broadcast.assigned(conversationId);
      return statusOf(conversationId);
    }
    if (decision.kind === "queue") {
      // Waiting behind chats that arrived a moment earlier, while a rep has room: those
      // are being assigned right now (FIFO), and then this one's turn comes — nobody
      // else would notice, so look again once they are through.
      scheduleFill();
      return { conversationId, state: "queued", position: decision.position, estimatedWaitSeconds: decision.estimatedWaitSeconds };
    }
    return { conversationId, state: "offline", reason: decision.reason };
  }

  /** Tell every waiting customer where they stand (and route whoever can be routed now). */
  async function refreshQueue() {
    for (const id of await queuedChatIds()) io.to(convRoom(id)).emit("conversation:status", await statusOf(id));
  }

  /** Gives free reps the heads of their queues; how many chats that assigned. */
  async function fillFreeReps(): Promise<number> {
    let assigned = 0;
    for (const rep of await loadRepFacts()) {
      if (rep.presence !== "ONLINE" || rep.activeChats >= rep.capacity) continue;
      for (const id of await fillRep(rep.id)) {
        await broadcast.assigned(id);
        assigned++;
      }
    }
    return assigned;
  }

  /** Give free reps the heads of their queues, then refresh everyone's place in line. */
  async function dispatch() {
    await fillFreeReps();
    await refreshQueue();
  }

  // Coalesced: many chats queued at once need one pass, run again only if asked meanwhile.
  let filling = false;
  let fillAgain = false;
  function scheduleFill() {
    if (filling) {
      fillAgain = true;
      return;
    }
    filling = true;
    void (async () => {
      try {
        do {
          fillAgain = false;
          if ((await fillFreeReps()) > 0) await refreshQueue();
        } while (fillAgain);
      } catch (error) {
        // The next routing event tries again.
        logger.error({ err: error }, "chat fill pass failed; the next routing event retries");
      } finally {
        filling = false;
      }
    })();
  }

  return { statusOf, refreshQueue, dispatch };
}

export type Dispatch = ReturnType<typeof createDispatch>;
