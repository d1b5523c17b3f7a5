// Longer than 300 lines because the act panel's actions share one claim, one authority check and one customer notice; each action is a short function below.
/**
 * What a rep does for the customer from inside a conversation: send a pay link for
 * chosen invoices, log a promise to pay, open a dispute on the customer's behalf,
 * release a held order. Each action reuses the capability's own domain function (so
 * authority, audit and validation are the same as on the rep pages) and then tells the
 * customer in the conversation, in the customer's language.
 *
 * Who may act: the rep the conversation is assigned to, or a manager; and only on a
 * conversation linked to an account (a guest's claimed account number never counts).
 */
import crypto from "node:crypto";
import { z } from "zod";
import { publicUrl } from "../../utils/config.server";
import { freeText } from "../../utils/forms";
import type { Prisma } from "../../generated/prisma/client";
import type { Language } from "../../i18n/config";
import { accountFormatting } from "../mail/recipient-formatting.server";
import { translatorFor } from "../../i18n/i18n.server";
import type { StoredEvent } from "../../i18n/stored-event";
import { db } from "../../utils/db.server";
import type { SessionUser } from "../auth/session-user";
import { recordAudit } from "../audit/audit.server";
import { actOnHeldOrder, heldOrdersOf } from "../credit/holds.server";
import { openDisputeSchema } from "../disputes/dispute-schemas";
import { disputeRequestFrom, openDispute } from "../disputes/open-dispute.server";
import { formatMoney, toMinor, type Money } from "../money/money";
import { collectionsPolicy, isoDay } from "../collections/policy.server";
import { createPromise, promisableInvoices } from "../collections/promises.server";
import { announce } from "./chat-events.server";
import { cardLine, type ChatCard } from "./cards";
import { storeMessage } from "./store-message.server";
import { conversationLanguage } from "./system-messages.server";
import { replyByEmail } from "./email-channel.server";

const id = freeText().min(1).max(64);
const optionalNote = freeText().trim().max(500, "chat:errors.tooLong").optional().default("");
/** One id per submitted form: a resent form (a retry, a double click) is done once. */
const actionId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, "chat:actions.errors.unknown")
  .optional();

export const conversationActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("pay_link"),
      actionId,
      invoiceIds: z.array(id).min(1, "chat:actions.errors.chooseInvoices").max(50, "chat:actions.errors.tooManyInvoices"),
    }),
    z.object({
      intent: z.literal("promise"),
      actionId,
      amount: freeText().trim().min(1, "chat:actions.errors.amount").max(30, "chat:actions.errors.amount"),
      promisedFor: z.iso.date({ error: "chat:actions.errors.promiseDate" }),
      /** The past-due invoices the promise covers (at least one; the domain says which are promisable). */
      invoiceIds: z.array(id).max(50, "chat:actions.errors.tooManyInvoices").optional().default([]),
      note: optionalNote,
    }),
    openDisputeSchema.extend({ intent: z.literal("dispute"), actionId }),
    z.object({ intent: z.literal("release"), actionId, orderId: id, note: optionalNote }),
  ],
  { error: "chat:actions.errors.unknown" },
);

export type ConversationAction = z.infer<typeof conversationActionSchema>;
export type ActionIntent = ConversationAction["intent"];

/**
 * Why an action was not done: `invalid` input (with `fieldErrors`), `not_found`, `not_yours`
 * (someone else's chat), `over_authority` (`level` names who may), or `conflict` (the chat
 * is closed or has no account, the order moved on, the form is still being done).
 */
export type RefusalReason = "invalid" | "not_found" | "not_yours" | "over_authority" | "conflict";
export type Refusal = { ok: false; reason: RefusalReason; error: string; level?: string | null; fieldErrors?: Record<string, string> };
export type ActionOutcome = { ok: true; intent: ActionIntent; done: string } | Refusal;

type Actable = Prisma.ConversationGetPayload<{ include: { account: { select: { id: true; number: true; currency: true } } } }> & { accountId: string };

const refuse = (reason: RefusalReason, error: string, extra: Partial<Refusal> = {}): Refusal => ({ ok: false, reason, error, ...extra });

/**
 * The conversation, if this rep may act on it: not someone else's, open, and linked to an account.
 */
async function actable(rep: SessionUser, conversationId: string): Promise<{ ok: true; conversation: Actable } | Refusal> {
  const conversation = await db().conversation.findUnique({
    where: { id: conversationId },
    include: { account: { select: { id: true, number: true, currency: true } } },
  });
  if (!conversation) return refuse("not_found", "chat:errors.notFound");
  if (rep.role !== "MANAGER" && conversation.assignedRepId !== rep.id) return refuse("not_yours", "chat:errors.notYours");
  if (conversation.status === "CLOSED") return refuse("conflict", "chat:errors.closed");
  if (!conversation.accountId || !conversation.account) return refuse("conflict", "chat:actions.errors.noAccount");
  return { ok: true, conversation: conversation as Actable };
}

/** What the Act panel offers: the account's open invoices (with lines, for a dispute) and held orders. */
export async function conversationActionChoices(rep: SessionUser, conversationId: string) {
  const found = await actable(rep, conversationId);
  if (!found.ok) return found;
  const { accountId, account } = found.conversation;
  const [invoices, heldOrders] = await Promise.all([
    db().invoice.findMany({
      where: { accountId, status: { in: ["OPEN", "PARTIALLY_PAID"] }, balanceMinor: { gt: 0n } },
      orderBy: [{ dueOn: "asc" }, { id: "asc" }],
      take: 100,
      select: {
        id: true,
        number: true,
        currency: true,
        dueOn: true,
        balanceMinor: true,
        lines: { orderBy: { lineNo: "asc" }, select: { id: true, lineNo: true, description: true, amountMinor: true } },
      },
    }),
    heldOrdersOf(accountId),
  ]);
  const [promisable, policy] = await Promise.all([promisableInvoices(accountId), collectionsPolicy()]);
  return {
    ok: true as const,
    currency: account!.currency,
    /** What a promise can cover: past due, money left, no open promise yet. */
    promisable: promisable.map((i) => ({ id: i.id, number: i.number, balance: { amountMinor: toMinor(i.balanceMinor), currency: i.currency } })),
    /** The furthest date a promise may name (the collections policy's horizon). */
    latestPromiseDate: isoDay(new Date(), policy.promiseMaxDaysAhead),
    invoices: invoices.map((i) => ({
      id: i.id,
      number: i.number,
      dueOn: i.dueOn.toISOString().slice(0, 10),
      balance: { amountMinor: toMinor(i.balanceMinor), currency: i.currency },
      lines: i.lines.map((l) => ({
        id: l.id,
        lineNo: l.lineNo,
        description: l.description,
        amount: { amountMinor: toMinor(l.amountMinor), currency: i.currency },
      })),
    })),
    heldOrders,
  };
}

export type ConversationActionChoices = Extract<Awaited<ReturnType<typeof conversationActionChoices>>, { ok: true }>;

/**
 * Runs one action. `locale` is the rep's (amounts are typed the way the rep writes
 * numbers); links sent to the customer start with the configured public address.
 */
export async function actOnConversation(
  rep: SessionUser,
  conversationId: string,
  action: ConversationAction,
  context: { locale: string },
): Promise<ActionOutcome> {
  const found = await actable(rep, conversationId);
  if (!found.ok) return found;
  const conversation = found.conversation;
  // The message is the action's receipt: if this form's message exists, the action was done.
  const clientMessageId = `action-${action.actionId ?? crypto.randomUUID()}`;
  const done = { ok: true as const, intent: action.intent, done: `chat:actions.done.${action.intent}` };
  if (action.actionId) {
    // Claimed before acting: of two copies arriving together only one runs. The other
    // answers from the receipt once it exists, or says the form is still being done.
    const claimed = await db().conversationActionClaim.createMany({ data: [{ conversationId, actionId: action.actionId }], skipDuplicates: true });
    if (claimed.count === 0) {
      const receipt = await db().message.findUnique({ where: { conversationId_clientMessageId: { conversationId, clientMessageId } }, select: { seq: true } });
      return receipt ? done : refuse("conflict", "chat:actions.errors.inProgress");
    }
  }
  const release = () => (action.actionId ? db().conversationActionClaim.deleteMany({ where: { conversationId, actionId: action.actionId } }) : null);
  let outcome: Step;
  try {
    outcome = await (action.intent === "pay_link"
      ? sendPayLink(rep, conversation, action)
      : action.intent === "promise"
        ? logPromise(rep, conversation, action, context)
        : action.intent === "dispute"
          ? disputeForCustomer(rep, conversation, action, context)
          : releaseOrder(rep, conversation, action));
  } catch (error) {
    await release();
    throw error;
  }
  // A refused form is corrected and sent again with the same id: it has not been done.
  if (!outcome.ok) {
    await release();
    return outcome;
  }
  await tellCustomer(rep, conversation, outcome, clientMessageId);
  return done;
}

/**
 * `message` is written for the customer: their conversation's language, their account's
 * locale. `card`, when the action has one, is stored with it as data for every reader.
 */
type Step = { ok: true; message: (t: Awaited<ReturnType<typeof translatorFor>>, language: Language, locale: string) => string; card?: ChatCard } | Refusal;

async function sendPayLink(rep: SessionUser, conversation: Actable, action: Extract<ConversationAction, { intent: "pay_link" }>): Promise<Step> {
  const invoices = await db().invoice.findMany({
    where: { id: { in: action.invoiceIds }, accountId: conversation.accountId },
    orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    select: { id: true, number: true, currency: true, status: true, balanceMinor: true },
  });
  // Another account's invoice looks exactly like one that cannot be paid.
  if (invoices.length !== action.invoiceIds.length) return refuse("invalid", "chat:actions.errors.invoiceNotPayable");
  if (invoices.some((i) => (i.status !== "OPEN" && i.status !== "PARTIALLY_PAID") || i.balanceMinor <= 0n))
    return refuse("invalid", "chat:actions.errors.invoiceNotPayable");
  const currency = invoices[0].currency;
  if (invoices.some((i) => i.currency !== currency)) return refuse("invalid", "chat:actions.errors.oneCurrency");
  const total: Money = { amountMinor: invoices.reduce((s, i) => s + toMinor(i.balanceMinor), 0), currency };
  const query = new URLSearchParams([["currency", currency], ...invoices.map((i) => ["invoice", i.id])]);
  const path = `/pay?${query}`;
  const url = publicUrl(path);
  await recordAudit({
    actorId: rep.id,
    accountId: conversation.accountId,
    entity: "Conversation",
    entityId: conversation.id,
    action: "chat.pay_link_sent",
    after: { invoiceIds: invoices.map((i) => i.id), totalMinor: total.amountMinor, currency },
  });
  return {
    ok: true,
    card: {
      kind: "pay_link",
      total,
      invoices: invoices.map((i) => ({ id: i.id, number: i.number, balance: { amountMinor: toMinor(i.balanceMinor), currency } })),
      path,
    },
    message: (t, _language, locale) =>
      t("chat:actions.messages.payLink", {
        count: invoices.length,
        invoices: invoices.map((i) => i.number).join(", "),
        total: formatMoney(total, locale),
        url,
      }),
  };
}

function longDate(date: string, locale: string) {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
}

/** The account page's promise, with its rules (past-due invoices, the policy's horizon, one open promise per invoice), noted in the account's log. */
async function logPromise(
  rep: SessionUser,
  conversation: Actable,
  action: Extract<ConversationAction, { intent: "promise" }>,
  context: { locale: string },
): Promise<Step> {
  const en = await translatorFor("en");
  const made = await createPromise({
    accountId: conversation.accountId,
    actorId: rep.id,
    byCustomer: false,
    invoiceIds: action.invoiceIds,
    amount: action.amount,
    promisedFor: action.promisedFor,
    note: action.note,
    locale: context.locale,
    recordWith: (tx, promise) => {
      const amount: Money = { amountMinor: promise.amountMinor, currency: promise.currency };
      // The note is data, so each rep reads it in their language; the body is an English copy for search.
      const event: StoredEvent = {
        code: "chat:actions.note.promise",
        values: { amount, date: action.promisedFor },
        ...(action.note ? { detail: action.note } : {}),
      };
      return tx.accountNote.create({
        data: {
          accountId: conversation.accountId,
          authorId: rep.id,
          kind: "promise_to_pay",
          body: [en("chat:actions.note.promise", { amount: formatMoney(amount, "en-US"), date: action.promisedFor }), action.note].filter(Boolean).join("\n"),
          event,
        },
      });
    },
  });
  if (!made.ok) {
    const [, error] = Object.entries(made.errors)[0];
    return refuse("invalid", error, { fieldErrors: made.errors });
  }
  const promise = await db().promiseToPay.findUniqueOrThrow({
    where: { id: made.id },
    select: { amountMinor: true, currency: true, invoices: { select: { invoice: { select: { id: true, number: true, dueOn: true } } } } },
  });
  const amount: Money = { amountMinor: toMinor(promise.amountMinor), currency: promise.currency };
  const covered = promise.invoices
    .map((p) => p.invoice)
    .sort((a, b) => a.dueOn.getTime() - b.dueOn.getTime() || a.id.localeCompare(b.id))
    .map(({ id, number }) => ({ id, number }));
  return {
    ok: true,
    card: { kind: "promise", amount, promisedFor: action.promisedFor, invoices: covered },
    message: (t, _language, locale) => t("chat:actions.messages.promise", { amount: formatMoney(amount, locale), date: longDate(action.promisedFor, locale) }),
  };
}

async function disputeForCustomer(
  rep: SessionUser,
  conversation: Actable,
  action: Extract<ConversationAction, { intent: "dispute" }>,
  context: { locale: string },
): Promise<Step> {
  const asked = await disputeRequestFrom(conversation.accountId, action, context.locale);
  const result = asked.ok
    ? await openDispute({ ...asked.value, accountId: conversation.accountId, userId: rep.id, language: conversation.language, files: [] })
    : asked;
  if (!result.ok) return refuse("invalid", result.errors.form ?? "chat:actions.errors.checkFields", { fieldErrors: result.errors });
  const dispute = await db().dispute.findUniqueOrThrow({
    where: { id: result.value.id },
    select: { id: true, number: true, amountMinor: true, currency: true, invoice: { select: { id: true, number: true } } },
  });
  const path = `/disputes/${dispute.id}`;
  return {
    ok: true,
    card: {
      kind: "dispute",
      disputeId: dispute.id,
      number: dispute.number,
      invoice: dispute.invoice,
      amount: { amountMinor: toMinor(dispute.amountMinor), currency: dispute.currency },
      path,
    },
    message: (t, _language, locale) =>
      t("chat:actions.messages.dispute", {
        number: dispute.number,
        invoice: dispute.invoice.number,
        amount: formatMoney({ amountMinor: toMinor(dispute.amountMinor), currency: dispute.currency }, locale),
        url: publicUrl(path),
      }),
  };
}

async function releaseOrder(rep: SessionUser, conversation: Actable, action: Extract<ConversationAction, { intent: "release" }>): Promise<Step> {
  const order = await db().order.findUnique({ where: { id: action.orderId }, select: { accountId: true, number: true } });
  // An order of another account is not reachable from this conversation.
  if (!order || order.accountId !== conversation.accountId) return refuse("not_found", "credit:heldWork.errors.not_found");
  const result = await actOnHeldOrder(rep, action.orderId, "release", action.note);
  if (!result.ok)
    return refuse(
      result.error === "not_found" ? "not_found" : result.error === "over_authority" ? "over_authority" : "conflict",
      `credit:heldWork.errors.${result.error}`,
      { level: result.requiredLevel ?? null },
    );
  return { ok: true, message: (t) => t("chat:actions.messages.released", { order: order.number }) };
}

/**
 * Posts what was done into the conversation as the rep, in the customer's language, and
 * announces it so the socket layer delivers it live (email conversations are mailed, as
 * every rep reply there is).
 */
async function tellCustomer(rep: SessionUser, conversation: Actable, step: Extract<Step, { ok: true }>, clientMessageId: string) {
  const language = conversationLanguage(conversation.language);
  const { locale } = await accountFormatting(conversation.accountId!, language);
  const body = step.message(await translatorFor(language, locale), language, locale);
  // The card as data; its code and values read as one line where no card can be drawn (transcripts).
  const event: StoredEvent | null = step.card ? { ...cardLine(step.card, publicUrl), card: step.card } : null;
  const message =
    conversation.channel === "EMAIL"
      ? await replyByEmail(conversation.id, { id: rep.id, name: rep.name }, body, clientMessageId, event)
      : (await storeMessage({ conversationId: conversation.id, authorKind: "REP", authorId: rep.id, body, clientMessageId, event })).message;
  if (message) announce({ type: "message", conversationId: conversation.id, seq: message.seq.toString() });
}
