/** What follows a received payment: the receipt, and orders it frees from a credit hold. */
import { db } from "../../utils/db.server";
import type { Job } from "../jobs/runner.server";
import { log } from "../../utils/logger.server";
import { releaseOrdersThatClear, type ReleasedOrder } from "../credit/holds.server";
import { liftCreditHoldIfCurrent } from "../collections/credit-hold.server";
import { isLanguage, type Language } from "../../i18n/config";
import { mailDay, mailJoin, mailText, queueEmail, type EmailInput, type MailValue } from "../mail/outbox.server";
import { mailReaderWith } from "../mail/recipient-formatting.server";
import { isSandboxPayment } from "./stripe-provider.server";

type RecipientAccount = { preferredLanguage: string | null; legalName: string; locale: string | null; timeZone: string | null };
type RecipientUser = { email: string; name: string; preferredLanguage: string | null; locale: string | null; timeZone: string | null };
export type PaymentMailRecipient = NonNullable<ReturnType<typeof paymentMailRecipient>>;

/**
 * Who is told about a payment: the user who paid, else the account's first active
 * customer user, in their language and their locale (else the account's).
 */
export function paymentMailRecipient(account: RecipientAccount, user: RecipientUser | null) {
  if (!user) return null;
  const preferred = user.preferredLanguage ?? account.preferredLanguage;
  const language: Language = isLanguage(preferred) ? preferred : "en";
  // The account's locale and zone when the user has none of their own (es-ES → Spain's words and 1.234,56 €).
  return { email: user.email, name: user.name, reader: mailReaderWith(user, account, language), legalName: account.legalName };
}

async function recipientFor(accountId: string, userId: string | null) {
  const account = await db().account.findUniqueOrThrow({
    where: { id: accountId },
    select: { preferredLanguage: true, legalName: true, locale: true, timeZone: true },
  });
  const user =
    (userId ? await db().user.findFirst({ where: { id: userId, accountId } }) : null) ??
    (await db().user.findFirst({ where: { accountId, role: "CUSTOMER", active: true }, orderBy: { createdAt: "asc" } }));
  return paymentMailRecipient(account, user);
}

/**
 * The receipt, in the customer's language: what was applied to which invoice and, in
 * plain words, any money that found nothing left to pay (it arrived after the invoice was
 * paid) and is held as a credit on the account. `meant` are the numbers of the invoices
 * the customer chose, in order.
 */
export function receiptEmail(
  to: PaymentMailRecipient,
  payment: { number: string; currency: string; amountMinor: bigint; unappliedMinor: bigint; receivedAt: Date | null; sandbox: boolean },
  applied: { invoiceNumber: string; amountMinor: bigint }[],
  meant: string[],
): EmailInput {
  const money = (minor: bigint) => ({ amountMinor: minor, currency: payment.currency });
  const lines = applied.map((a) => mailJoin([`• ${a.invoiceNumber}: `, money(a.amountMinor)], ""));
  // A sandbox payment moved no money: the customer's copy says so as plainly as the page does.
  const details: MailValue[] = payment.sandbox ? [mailText("mail:payment_receipt.sandbox", {})] : [];
  if (lines.length) details.push(mailText("mail:payment_receipt.applied", { lines: mailJoin(lines) }));
  if (payment.unappliedMinor > 0n) {
    details.push(
      mailText(lines.length ? "mail:payment_receipt.creditPart" : "mail:payment_receipt.creditAll", {
        amount: money(payment.unappliedMinor),
        invoices: meant.join(", "),
        count: meant.length,
      }),
    );
  }
  return {
    to: to.email,
    reader: to.reader,
    template: "payment_receipt",
    values: {
      name: to.name,
      amount: money(payment.amountMinor),
      reference: payment.number,
      date: mailDay(payment.receivedAt ?? new Date(), "long"),
      details: mailJoin(details, "\n\n"),
    },
  };
}

export async function sendReceipt(paymentId: string) {
  const payment = await db().payment.findUniqueOrThrow({
    where: { id: paymentId },
    include: { allocations: { include: { invoice: { select: { number: true } } }, orderBy: { createdAt: "asc" } } },
  });
  const to = await recipientFor(payment.accountId, payment.createdById);
  if (!to) return;
  const intended = ((payment.intendedAllocations as { invoiceId: string }[]) ?? []).map((i) => i.invoiceId);
  const meant = intended.length ? await db().invoice.findMany({ where: { id: { in: intended } }, select: { number: true }, orderBy: { number: "asc" } }) : [];
  const applied = payment.allocations.map((a) => ({ invoiceNumber: a.invoice.number, amountMinor: a.amountMinor }));
  await queueEmail(
    receiptEmail(
      to,
      { ...payment, sandbox: isSandboxPayment(payment) },
      applied,
      meant.map((i) => i.number),
    ),
  );
}

/**
 * Re-runs the release rule after a payment (see releaseOrdersThatClear) and tells the
 * customer which orders were released and why, by each hold's reason. Without a payment
 * (a credit memo or a write-off lowered the balance) the account's first user is told.
 */
export async function releaseOrdersIfUnderLimit(accountId: string, paymentId: string | null, asOf = new Date()) {
  // A payment that brings the account current lifts an automatic credit hold at once, not at the next job run.
  await liftCreditHoldIfCurrent(accountId, asOf);
  const released = await releaseOrdersThatClear(accountId, paymentId, asOf, async () => {
    const payment = paymentId ? await db().payment.findUniqueOrThrow({ where: { id: paymentId }, select: { createdById: true } }) : null;
    const to = await recipientFor(accountId, payment?.createdById ?? null);
    return to ? (orders) => ordersReleasedEmail(to, orders) : null;
  });
  return released.map((o) => o.number);
}

/** Which orders were released and why, by each hold's reason. */
function ordersReleasedEmail(to: PaymentMailRecipient, released: ReleasedOrder[]): EmailInput {
  const why = [
    released.some((o) => o.reason === "PAST_DUE") ? mailText("mail:orders_released.whyPastDue") : null,
    released.some((o) => o.reason !== "PAST_DUE") ? mailText("mail:orders_released.whyOverLimit") : null,
  ].filter((part) => part !== null);
  return {
    to: to.email,
    reader: to.reader,
    template: "orders_released",
    values: { name: to.name, orders: released.map((o) => o.number).join(", "), why: mailJoin(why, " ") },
  };
}

/**
 * The same rule on the job runner's interval (and its clock), for every account with an
 * order on hold. What a payment frees is released after its commit; a process that stops
 * in between (a crash, a deploy) leaves the orders held, and so would a batch of payments
 * whose follow-ups failed. Each release claims its order, so two processes running this
 * at once, or a payment's own follow-up racing it, release each order once, and the
 * customer's email is written in the same transaction as the releases it tells of.
 */
export const heldOrdersJob: Job = {
  name: "held_orders",
  run: async ({ now }) => {
    const accounts = await db().order.findMany({ where: { status: "ON_HOLD" }, distinct: ["accountId"], select: { accountId: true } });
    const result = { accounts: accounts.length, released: 0, failed: 0 };
    for (const { accountId } of accounts) {
      try {
        result.released += (await releaseOrdersIfUnderLimit(accountId, null, now())).length;
      } catch (error) {
        // One account's failure leaves the others' orders to be released; the next run tries it again.
        result.failed++;
        log().error({ err: error, accountId }, "held orders: the release rule failed for an account");
      }
    }
    return result;
  },
};

/**
 * A credit memo, a write-off or a dispute resolution lowered what the account owes
 * without a payment: the credit hold and held orders are checked by the same rule, and
 * the customer told, exactly as when a payment arrives.
 */
export function afterBalanceLowered(accountId: string) {
  return releaseOrdersIfUnderLimit(accountId, null);
}
