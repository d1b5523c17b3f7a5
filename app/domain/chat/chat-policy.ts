import { z } from "zod";

/**
 * The team's chat rules a supervisor sets (policy data, read by routing on every decision):
 * how long an assigned chat may go unanswered before it moves to another rep, how many
 * chats a rep takes at once until they choose their own number, and the most anyone takes.
 */

/** Supervisors (senior staff) and managers set the team's chat rules. */
export function mayManageChatPolicy(user: { role: string; staffLevel: string | null }): boolean {
  return user.role === "MANAGER" || user.staffLevel === "SENIOR" || user.staffLevel === "MANAGER";
}

const whole = (min: number, max: number, message: string) => z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);

export const chatPolicyFormSchema = z
  .object({
    unansweredReassignSeconds: whole(30, 3600, "chat:errors.policy.unanswered"),
    defaultCapacity: whole(1, 20, "chat:errors.policy.capacity"),
    maxCapacity: whole(1, 20, "chat:errors.policy.capacity"),
  })
  .refine((p) => p.defaultCapacity <= p.maxCapacity, { message: "chat:errors.policy.defaultOverMax", path: ["defaultCapacity"] });

export type ChatPolicyForm = z.infer<typeof chatPolicyFormSchema>;
