import { z } from "zod";
import type { StoredEventValue } from "../../i18n/stored-event";

/**
 * A card in the chat: what a rep's action (a pay link, a promise to pay, a dispute) sent
 * the customer, kept as data (invoice numbers, amounts in minor units with their currency,
 * a path inside the portal, a calendar day) so each reader sees it in their language and
 * their account's formatting. It rides in the message's stored event (`event.card`); the
 * event's own code and values are the card as one readable line (transcripts, mail).
 * Shared by the server (which writes it) and the widget and console (which draw it).
 */

const money = z.object({ amountMinor: z.number().int(), currency: z.string().regex(/^[A-Z]{3}$/) });
/** Only a path inside this portal: a card never links elsewhere. */
const portalPath = (prefix: string) =>
  z
    .string()
    .max(4000)
    .refine((p) => p.startsWith(prefix) && !p.startsWith("//"), "not a portal path");
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const invoiceRef = z.object({ id: z.string().min(1).max(64), number: z.string().min(1).max(64) });

export const chatCardSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("pay_link"),
    total: money,
    invoices: z.array(invoiceRef.extend({ balance: money })).min(1).max(50),
    /** The pay page with these invoices chosen. */
    path: portalPath("/pay?"),
  }),
  z.object({
    kind: z.literal("promise"),
    amount: money,
    promisedFor: day,
    invoices: z.array(invoiceRef).max(50),
  }),
  z.object({
    kind: z.literal("dispute"),
    disputeId: z.string().min(1).max(64),
    number: z.string().min(1).max(64),
    invoice: invoiceRef,
    amount: money,
    /** The customer's page for this dispute. */
    path: portalPath("/disputes/"),
  }),
]);

export type ChatCard = z.infer<typeof chatCardSchema>;
export type ChatCardKind = ChatCard["kind"];

/** A stored card, if the value is one (anything else — an old row, a damaged one — is no card). */
export function chatCardOf(value: unknown): ChatCard | null {
  const parsed = chatCardSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The card's readable line as a stored event's code and values (money and the day stay data). */
export function cardLine(card: ChatCard, absoluteUrl: (path: string) => string): { code: string; values: Record<string, StoredEventValue> } {
  const numbers = (list: { number: string }[]) => list.map((i) => i.number).join(", ");
  switch (card.kind) {
    case "pay_link":
      return {
        code: "chat:cards.payLink.line",
        values: { count: card.invoices.length, invoices: numbers(card.invoices), total: card.total, url: absoluteUrl(card.path) },
      };
    case "promise":
      return card.invoices.length
        ? { code: "chat:cards.promise.lineInvoices", values: { amount: card.amount, date: card.promisedFor, count: card.invoices.length, invoices: numbers(card.invoices) } }
        : { code: "chat:cards.promise.line", values: { amount: card.amount, date: card.promisedFor } };
    case "dispute":
      return {
        code: "disputes:chatCard.line",
        values: { number: card.number, invoice: card.invoice.number, amount: card.amount, url: absoluteUrl(card.path) },
      };
  }
}
