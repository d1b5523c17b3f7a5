/** The chat rules routing reads on every decision (policy data; the chat policy page sets them). */
import { policyValue } from "../policy/policy-value.server";
const DEFAULT_AVERAGE_HANDLE_SECONDS = 300;

export const DEFAULT_UNANSWERED_SECONDS = 90;
/** Chats a rep takes at once until they choose their own number, and the most anyone takes (`chat.defaultCapacity`, `chat.maxCapacity`). */
export const DEFAULT_CAPACITY = 3;
export const DEFAULT_MAX_CAPACITY = 20;

export async function chatPolicy() {
  const [unansweredSeconds, graceSeconds, averageHandleSeconds, capacity] = await Promise.all([
    policyValue<number>("chat.unansweredReassignSeconds", DEFAULT_UNANSWERED_SECONDS),
    policyValue<number>("chat.disconnectGraceSeconds", 30),
    policyValue<number>("chat.averageHandleSeconds", DEFAULT_AVERAGE_HANDLE_SECONDS),
    capacityPolicy(),
  ]);
  return { unansweredSeconds, graceSeconds, averageHandleSeconds, ...capacity };
}

/** The team's capacity rules, as supervisors set them on the chat policy page. */
export async function capacityPolicy(): Promise<{ defaultCapacity: number; maxCapacity: number }> {
  const [defaultCapacity, maxCapacity] = await Promise.all([
    policyValue<number>("chat.defaultCapacity", DEFAULT_CAPACITY),
    policyValue<number>("chat.maxCapacity", DEFAULT_MAX_CAPACITY),
  ]);
  return { defaultCapacity, maxCapacity };
}

/** A rep's capacity as routing counts it: their own choice (else the team default), never above the team maximum. */
export function effectiveCapacity(rep: { chatCapacity: number; chatCapacityChosenAt: Date | null }, policy: { defaultCapacity: number; maxCapacity: number }) {
  return Math.min(rep.chatCapacityChosenAt ? rep.chatCapacity : policy.defaultCapacity, policy.maxCapacity);
}
