/**
 * What a rep may set as an account's invoice delivery path, shared by the form and the
 * server. Errors are translation keys of the `delivery` namespace.
 */
import { z } from "zod";

export const DELIVERY_PATHS = ["PORTAL", "EMAIL", "EDI"] as const;
export type DeliveryPath = (typeof DELIVERY_PATHS)[number];
export const DELIVERY_STATUSES = ["QUEUED", "SENT", "ACCEPTED", "RETRYING", "FAILED"] as const;

/** ISA05/ISA07 interchange id qualifiers partners use most (X12 code list 0005/0007). */
export const ISA_QUALIFIERS = ["01", "08", "12", "14", "16", "ZZ"] as const;

export const MAX_BILLING_EMAILS = 5;

/** X12's basic character set, without our three delimiters (* ~ >). */
const partnerId = (max: number) =>
  z
    .string()
    .trim()
    .toUpperCase()
    .regex(new RegExp(`^[A-Z0-9 ._-]{2,${max}}$`), "delivery:errors.partnerId");

export const deliverySettingsSchema = z.discriminatedUnion("path", [
  z.object({ path: z.literal("PORTAL") }),
  z.object({
    path: z.literal("EMAIL"),
    billingEmails: z
      .string()
      .transform((raw) =>
        raw
          .split(/[\s,;]+/)
          .map((e) => e.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(z.email("delivery:errors.billingEmails").max(200, "delivery:errors.billingEmails"))
          .min(1, "delivery:errors.billingEmailsRequired")
          .max(MAX_BILLING_EMAILS, "delivery:errors.billingEmailsTooMany"),
      ),
  }),
  z.object({
    path: z.literal("EDI"),
    ediQualifier: z.enum(ISA_QUALIFIERS, "delivery:errors.ediQualifier"),
    ediInterchangeId: partnerId(15),
    ediGroupId: partnerId(15),
    ediTarget: z.string().regex(/^[a-z0-9-]{1,40}$/, "delivery:errors.ediTarget"),
  }),
]);
export type DeliverySettingsInput = z.infer<typeof deliverySettingsSchema>;
