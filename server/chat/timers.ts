import type { Logger } from "pino";
import { requeueRepChats } from "../../app/domain/chat/assignment.server";
import { chatPolicy } from "../../app/domain/chat/chat-policy.server";
import { goOfflineAfterGrace } from "../../app/domain/chat/presence.server";
import type { PortalSocketServer } from "../socket";
import type { Dispatch } from "./dispatch";
import type { Requeue } from "./requeue-unanswered";
import { STAFF, userRoom } from "./rooms";

const SWEEP_EVERY_MS = 2000;
/** Abandoned offline offers are rare and not urgent: every 30 s is plenty. */
const OFFER_SWEEP_EVERY = 15;

/**
 * The chat's clocks: the unanswered-chat sweep, and each rep's disconnect grace period
 * (PolicySetting `chat.graceSeconds`) after which a rep with no console open goes OFFLINE
 * and their chats go back in line.
 */
export function createTimers(io: PortalSocketServer, requeue: Requeue, dispatch: Dispatch, logger: Logger) {
  const graceTimers = new Map<string, NodeJS.Timeout>();
  const stillConnected = async (repId: string) => (await io.in(userRoom(repId)).fetchSockets()).length > 0;

  let sweeping = false;
  let ticks = 0;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    ticks++;
    requeue
      .moveUnanswered()
      .then(() => (ticks % OFFER_SWEEP_EVERY === 0 ? dispatch.closeAbandonedOffers() : undefined))
      // The next sweep tries again.
      .catch((error: unknown) => logger.error({ err: error }, "unanswered-chat sweep failed; the next sweep retries"))
      .finally(() => {
        sweeping = false;
      });
  }, SWEEP_EVERY_MS);
  sweep.unref();

  async function graceOver(repId: string) {
    graceTimers.delete(repId);
    if (await stillConnected(repId)) return;
    await goOfflineAfterGrace(repId);
    await requeue.requeued(await requeueRepChats(repId, "disconnect_grace"));
    io.to(STAFF).emit("console:inbox-changed", { reason: "rep_dropped", conversationId: "" });
  }

  return {
    /** A rep's console reconnected within the grace period: they keep their chats. */
    cancelGrace(repId: string) {
      const pending = graceTimers.get(repId);
      if (!pending) return;
      clearTimeout(pending);
      graceTimers.delete(repId);
    },
    /** A rep's socket closed: with no other tab open (on any instance), the grace period starts. */
    async startGrace(repId: string) {
      if (await stillConnected(repId)) return;
      const { graceSeconds } = await chatPolicy();
      const timer = setTimeout(() => {
        graceOver(repId).catch((error: unknown) => logger.error({ err: error, userId: repId }, "rep's disconnect grace period could not be applied"));
      }, graceSeconds * 1000);
      timer.unref();
      graceTimers.set(repId, timer);
    },
    stop() {
      clearInterval(sweep);
      for (const t of graceTimers.values()) clearTimeout(t);
      graceTimers.clear();
    },
  };
}

export type Timers = ReturnType<typeof createTimers>;
