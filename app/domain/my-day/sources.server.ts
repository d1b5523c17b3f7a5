/** Every kind of work My day brings together, in one list: a new kind is one source file and one line here. */
import type { ItemSource } from "./items";
import { creditApplications } from "./sources/credit-applications.server";
import { creditReviews } from "./sources/credit-reviews.server";
import { deliveryFailures } from "./sources/delivery-failures.server";
import { disputeReplies } from "./sources/dispute-replies.server";
import { dunningExceptions } from "./sources/dunning-exceptions.server";
import { escalations } from "./sources/escalations.server";
import { followUps } from "./sources/follow-ups.server";
import { heldOrders } from "./sources/held-orders.server";
import { promises } from "./sources/promises.server";
import { queuedChats } from "./sources/queued-chats.server";
import { watchSignals } from "./sources/watch-signals.server";

export const DAY_SOURCES: readonly ItemSource[] = [
  heldOrders,
  creditApplications,
  escalations,
  disputeReplies,
  promises,
  dunningExceptions,
  deliveryFailures,
  followUps,
  creditReviews,
  watchSignals,
  queuedChats,
];
