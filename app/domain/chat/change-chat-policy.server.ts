import { db } from "../../utils/db.server";
import { recordAudit } from "../audit/audit.server";
import { capacityPolicy, chatPolicy } from "./chat-policy.server";
import type { ChatPolicyForm } from "./chat-policy";

const KEYS = {
  unansweredReassignSeconds: "chat.unansweredReassignSeconds",
  defaultCapacity: "chat.defaultCapacity",
  maxCapacity: "chat.maxCapacity",
} as const satisfies Record<keyof ChatPolicyForm, string>;

/** The team's chat rules as they stand (defaults where never set). */
export async function currentChatPolicy(): Promise<ChatPolicyForm> {
  const [{ unansweredSeconds }, capacity] = await Promise.all([chatPolicy(), capacityPolicy()]);
  return { unansweredReassignSeconds: unansweredSeconds, ...capacity };
}

/** A supervisor changes the team's chat rules: each changed value is written and audited with what it was. */
export async function changeChatPolicy(actorId: string, next: ChatPolicyForm): Promise<void> {
  const before = await currentChatPolicy();
  await db().$transaction(async (tx) => {
    for (const field of Object.keys(KEYS) as (keyof ChatPolicyForm)[]) {
      if (before[field] === next[field]) continue;
      const key = KEYS[field];
      await tx.policySetting.upsert({ where: { key }, create: { key, value: next[field] }, update: { value: next[field] } });
      await recordAudit({ actorId, entity: "PolicySetting", entityId: key, action: "chat.policy_changed", before: before[field], after: next[field] }, tx);
    }
  });
}
