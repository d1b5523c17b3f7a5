/**
 * A customer's receipt for one payment (page and PDF): only within the given account,
 * so another account's payment is simply not found.
 */
import { db } from "../../utils/db.server";
import { toMinor, type Money } from "../money/money";
import { isSandboxPayment } from "./stripe-provider.server";

export type Receipt = NonNullable<Awaited<ReturnType<typeof receiptForAccount>>>;

export async function receiptForAccount(accountId: string, paymentId: string) {
  const payment = await db().payment.findFirst({
    where: { id: paymentId, accountId },
    include: {
      account: { select: { number: true, legalName: true } },
      adjustment: { select: { number: true } },
      allocations: { include: { invoice: { select: { id: true, number: true } } }, orderBy: { createdAt: "asc" } },
    },
  });
  if (!payment) return null;
  const m = (v: bigint): Money => ({ amountMinor: toMinor(v), currency: payment.currency });
  const unapplied = m(payment.unappliedMinor);
  return {
    id: payment.id,
    number: payment.number,
    account: payment.account,
    status: payment.status,
    method: payment.method,
    amount: m(payment.amountMinor),
    unapplied,
    refunded: m(payment.refundedMinor),
    /** Waiting for a rep because what arrived did not match what was asked for. */
    underReview: payment.flaggedReason === "amount_mismatch" || payment.flaggedReason === "currency_mismatch",
    /** Money that found nothing left to pay: held as a credit on the account. */
    heldAsCredit:
      !payment.adjustment &&
      payment.status !== "PENDING" &&
      payment.flaggedReason !== "amount_mismatch" &&
      payment.flaggedReason !== "currency_mismatch" &&
      unapplied.amountMinor > 0,
    /** Not money received: credit from credit memo `memoNumber` above its invoice's balance (account-credit.server.ts). */
    accountCredit: payment.adjustment ? { memoNumber: payment.adjustment.number } : null,
    /** Taken by the payment sandbox: no money moved. */
    sandbox: isSandboxPayment(payment),
    receivedAt: payment.receivedAt?.toISOString() ?? null,
    createdAt: payment.createdAt.toISOString(),
    allocations: payment.allocations.map((a) => ({ invoiceId: a.invoice.id, number: a.invoice.number, amount: m(a.amountMinor) })),
    /** The invoices the customer chose to pay: a declined payment is tried again with them chosen. */
    intendedInvoiceIds: (Array.isArray(payment.intendedAllocations) ? (payment.intendedAllocations as { invoiceId?: unknown }[]) : [])
      .map((i) => i.invoiceId)
      .filter((id): id is string => typeof id === "string"),
  };
}
