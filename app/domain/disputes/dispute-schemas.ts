import { z } from "zod";
import { freeText } from "../../utils/forms";

export const DISPUTE_REASONS = ["PRICING", "QUANTITY", "DAMAGED", "NOT_RECEIVED", "DUPLICATE_BILLING", "TAX", "OTHER"] as const;
export const OPEN_DISPUTE_STATUSES = ["OPEN", "IN_REVIEW", "ESCALATED"] as const;

export const openDisputeSchema = z.object({
  invoiceId: freeText().min(1, "disputes:errors.invoice").max(100),
  reason: z.enum(DISPUTE_REASONS, { message: "disputes:errors.reason" }),
  scope: z.enum(["invoice", "lines"], { message: "disputes:errors.scope" }),
  lineIds: z.array(freeText().min(1).max(100)).max(200),
  amount: freeText().trim().max(30),
  message: freeText().trim().min(5, "disputes:errors.message").max(4000, "disputes:errors.messageLong"),
});

export const messageSchema = z.object({
  body: freeText().trim().min(1, "disputes:errors.body").max(4000, "disputes:errors.messageLong"),
});

export const resolveSchema = z.object({
  amount: freeText().trim().min(1, "disputes:errors.amount").max(30),
  resolution: freeText().trim().min(5, "disputes:errors.resolution").max(2000, "disputes:errors.messageLong"),
});

export const rejectSchema = z.object({
  resolution: freeText().trim().min(5, "disputes:errors.resolution").max(2000, "disputes:errors.messageLong"),
});

export function isOpen(status: string) {
  return (OPEN_DISPUTE_STATUSES as readonly string[]).includes(status);
}
