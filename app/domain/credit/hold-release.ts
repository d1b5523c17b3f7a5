/**
 * What releases a held order: one rule, read from the hold's reason and the account's
 * state now. The payment webhook releases by it, and the customer's and rep's pages
 * show its answer as text, so the two cannot disagree.
 */
import type { HoldReason } from "../../generated/prisma/client";
import type { Money } from "../money/money";

export type HoldAccountState = {
  status: string;
  currency: string;
  /** Credit limit minus exposure; held orders are already in exposure. */
  availableMinor: number;
  /** Undisputed past-due balance. */
  pastDueMinor: number;
  /** Past due at or under this (policy data) does not keep an order held. */
  pastDueToleranceMinor: number;
};

export type ReleaseCondition =
  /** Nothing left to do: the order may be released now. */
  | { kind: "met" }
  /** An over-limit hold: a payment of at least `amount` makes the order fit. */
  | { kind: "pay_to_fit"; amount: Money }
  /** A past-due hold: paying `amount` brings past due within tolerance. */
  | { kind: "pay_past_due"; amount: Money }
  /** The account itself is on hold: only a representative lifts it (after `pastDue` is paid, when any). */
  | { kind: "rep_lifts_hold"; pastDue: Money | null };

export function releaseConditionFor(reason: HoldReason | null, state: HoldAccountState): ReleaseCondition {
  const money = (amountMinor: number): Money => ({ amountMinor, currency: state.currency });
  const pastDueOver = state.pastDueMinor - state.pastDueToleranceMinor;
  if (reason === "ACCOUNT_ON_HOLD" || state.status !== "ACTIVE")
    return { kind: "rep_lifts_hold", pastDue: state.pastDueMinor > 0 ? money(state.pastDueMinor) : null };
  if (reason === "PAST_DUE") return pastDueOver > 0 ? { kind: "pay_past_due", amount: money(state.pastDueMinor) } : { kind: "met" };
  // Over the limit (and a hold with no recorded reason, which was placed by the limit check).
  return state.availableMinor < 0 ? { kind: "pay_to_fit", amount: money(-state.availableMinor) } : { kind: "met" };
}

/** The translation key and values that say a condition to the customer or a rep. */
/** The customer reads "your representative"; a rep reads it about the customer and the team. */
const CONDITION_KEYS = {
  customer: {
    met: "credit:clears.met",
    payToFit: "credit:clears.payToFit",
    payPastDue: "credit:clears.payPastDue",
    payThenRep: "credit:clears.payThenRep",
    repLifts: "credit:clears.repLifts",
  },
  staff: {
    met: "credit:clearsForStaff.met",
    payToFit: "credit:clearsForStaff.payToFit",
    payPastDue: "credit:clearsForStaff.payPastDue",
    payThenRep: "credit:clearsForStaff.payThenRep",
    repLifts: "credit:clearsForStaff.repLifts",
  },
} as const;

export function releaseConditionText(
  condition: ReleaseCondition,
  money: (m: Money) => string,
  reader: "customer" | "staff" = "customer",
): { key: string; values: Record<string, string> } {
  const keys = CONDITION_KEYS[reader];
  switch (condition.kind) {
    case "met":
      return { key: keys.met, values: {} };
    case "pay_to_fit":
      return { key: keys.payToFit, values: { amount: money(condition.amount) } };
    case "pay_past_due":
      return { key: keys.payPastDue, values: { amount: money(condition.amount) } };
    case "rep_lifts_hold":
      return condition.pastDue ? { key: keys.payThenRep, values: { amount: money(condition.pastDue) } } : { key: keys.repLifts, values: {} };
  }
}
