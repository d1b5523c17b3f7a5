import { z } from "zod";

export const DISPUTE_REASONS = ["PRICING", "QUANTITY", "DAMAGED", "NOT_RECEIVED", "DUPLICATE_BILLING", "TAX", "OTHER"] as const;
export const OPEN_DISPUTE_STATUSES = ["OPEN", "IN_REVIEW", "ESCALATED"] as const;

export const openDisputeSchema = z.object({
  invoiceId: z.string().min(1, "disputes:errors.invoice").max(100),
  reason: z.enum(DISPUTE_REASONS, { message: "disputes:errors.reason" }),
  scope: z.enum(["invoice", "lines"], { message: "disputes:errors.scope" }),
  lineIds: z.array(z.string().min(1).max(100)).max(200),
  amount: z.string().trim().max(30),
  message: z.string().trim().min(5, "disputes:errors.message").max(4000, "disputes:errors.messageLong"),
});

export const messageSchema = z.object({
  body: z.string().trim().min(1, "disputes:errors.body").max(4000, "disputes:errors.messageLong"),
});

export const resolveSchema = z.object({
  amount: z.string().trim().min(1, "disputes:errors.amount").max(30),
  resolution: z.string().trim().min(5, "disputes:errors.resolution").max(2000, "disputes:errors.messageLong"),
});

export const rejectSchema = z.object({
  resolution: z.string().trim().min(5, "disputes:errors.resolution").max(2000, "disputes:errors.messageLong"),
});

export function isOpen(status: string) {
  return (OPEN_DISPUTE_STATUSES as readonly string[]).includes(status);
}
