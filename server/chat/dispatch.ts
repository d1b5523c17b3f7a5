import type { Logger } from "pino";
import { businessHours, fillRep, loadRepFacts, routeConversation } from "../../app/domain/chat/assignment.server";
import { nextOpening } from "../../app/domain/chat/routing";
import { conversationWithRep, queuedChatIds } from "../../app/domain/chat/conversation-facts.server";
import type { ChatStatus } from "../../app/domain/chat/events";
import { closeIfMissed, offerOffline, pendingOfflineOffers } from "../../app/domain/chat/missed-chats.server";
import type { PortalSocketServer } from "../socket";
import type { Broadcast } from "./broadcast";
import { convRoom, firstName, STAFF } from "./rooms";

/** An offline offer this old with no visitor socket in it is closed by the sweep (a departure this server did not see). */
const OFFER_SWEEP_AFTER_SECONDS = 60;

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
    // Offered to leave a message: after hours out of the live queue from now on; either way a visitor who leaves without writing is a missed chat.
    if (c.status === "QUEUED" && c.channel === "CHAT") await offerOffline(conversationId, decision.reason);
    // Outside hours the customer is told when chat reopens (their widget writes it in their zone).
    const reopensAt = decision.reason === "outside_hours" ? nextOpening(await businessHours(c.language), new Date()) : null;
    return { conversationId, state: "offline", reason: decision.reason, ...(reopensAt ? { reopensAt: reopensAt.toISOString() } : {}) };
  }

  // Departures being checked, so a shutdown waits for them before the database closes;
  // sockets closed by the shutdown itself are not visitors leaving.
  const departures = new Set<Promise<void>>();
  let stopping = false;

  /** Nobody of the customer side is in the conversation any more (on any instance): an untouched offline offer closes as missed. */
  function visitorLeft(conversationId: string): Promise<void> {
    if (stopping) return Promise.resolve();
    const check = (async () => {
      if ((await io.in(convRoom(conversationId)).fetchSockets()).length > 0) return;
      if (await closeIfMissed(conversationId)) io.to(STAFF).emit("console:inbox-changed", { reason: "missed", conversationId });
    })();
    departures.add(check);
    return check.finally(() => departures.delete(check));
  }

  /** Stops taking departures and waits for the ones under way. */
  async function stop() {
    stopping = true;
    await Promise.allSettled([...departures]);
  }

  /** Offline offers whose visitor is gone without a disconnect being seen here (another instance died, a restart). */
  async function closeAbandonedOffers() {
    for (const id of await pendingOfflineOffers(OFFER_SWEEP_AFTER_SECONDS)) await visitorLeft(id);
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

  return { statusOf, refreshQueue, dispatch, visitorLeft, closeAbandonedOffers, stop };
}

export type Dispatch = ReturnType<typeof createDispatch>;
