import type { StoredEvent } from "../../i18n/stored-event";
import { z } from "zod";
import { SUPPORTED_LANGUAGES } from "../../i18n/config";
import { freeText } from "../../utils/forms";
import { PRESENCES } from "./routing";

/** Chat input schemas and wire types, shared by the server, the socket handlers and the browser. */

export const TOPICS = ["CREDIT", "INVOICE", "PAYMENT", "DISPUTE", "OTHER"] as const;
export type Topic = (typeof TOPICS)[number];

export const CONVERSATION_STATUSES = ["QUEUED", "ASSIGNED", "WAITING_EMAIL", "CLOSED"] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

const optionalText = (max: number) =>
  freeText()
    .trim()
    .max(max, "chat:errors.tooLong")
    .optional()
    .transform((v) => (v ? v : undefined));

export const openChatSchema = z.object({
  topic: z.enum(TOPICS, { error: "chat:errors.topicRequired" }),
  invoiceRef: optionalText(40),
});

export const guestChatSchema = openChatSchema.extend({
  name: freeText().trim().min(1, "chat:errors.nameRequired").max(120, "chat:errors.tooLong"),
  email: z.email({ error: "chat:errors.emailInvalid" }).max(200, "chat:errors.tooLong"),
  accountNumber: optionalText(40),
});

/** The longest chat message, in characters; the composers count toward it and the server refuses beyond it. */
export const MESSAGE_MAX_LENGTH = 4000;

export const sendSchema = z.object({
  conversationId: z.string().min(1).max(64),
  clientMessageId: z.string().min(1).max(64),
  body: freeText().trim().min(1).max(MESSAGE_MAX_LENGTH, "chat:errors.messageTooLong"),
  internal: z.boolean().optional(),
});

/** The translated reason a message was refused: too long says so, anything else is "check it". */
export function sendRefusal(error: z.ZodError): string {
  return error.issues.some((i) => i.message === "chat:errors.messageTooLong") ? "chat:errors.messageTooLong" : "chat:errors.invalid";
}

export const afterSchema = z.object({ conversationId: z.string().min(1).max(64), afterSeq: z.coerce.bigint().min(0n).optional() });

/** What goes over the wire: seq as a string (BigInt), dates as ISO strings. */
export type WireMessage = {
  seq: string;
  conversationId: string;
  authorKind: "CUSTOMER" | "REP" | "SYSTEM";
  authorId: string | null;
  body: string;
  /** A system line as data, for each reader to read in their own language (null: `body` is all there is). */
  event?: StoredEvent | null;
  internal: boolean;
  clientMessageId: string | null;
  createdAt: string;
  deliveredAt: string | null;
  readAt: string | null;
};

/**
 * A message relayed to the other side the moment it arrives, before it is stored:
 * no seq yet, and it may still be withdrawn. The stored copy (same client message id)
 * replaces it.
 */
export type IncomingMessage = Pick<WireMessage, "conversationId" | "authorKind" | "authorId" | "body" | "internal" | "createdAt"> & { clientMessageId: string };

export const DISPOSITIONS = ["resolved", "follow_up", "payment_promised", "dispute_opened", "no_response"] as const;
export const closeSchema = z.object({ conversationId: z.string().min(1).max(64), disposition: z.enum(DISPOSITIONS) });
export const dismissSpamSchema = z.object({
  conversationIds: z.array(z.string().min(1).max(64)).min(1, "chat:errors.chooseSpam").max(50, "chat:errors.tooManySpam"),
});

/** A rep's own settings from the console: presence, how many chats at once, languages served. */
export const repSettingsSchema = z.object({
  presence: z.enum(PRESENCES).optional(),
  capacity: z.number().int().min(1).max(20).optional(),
  languages: z.array(z.enum(SUPPORTED_LANGUAGES)).min(1).max(2).optional(),
});
