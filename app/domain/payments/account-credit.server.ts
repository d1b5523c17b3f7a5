/**
 * Account credit: money the distributor owes the customer that is not tied to an invoice.
 * Today it comes from one place — the part of a credit memo above its invoice's open
 * balance (a paid or partly paid invoice disputed and credited). It is kept as a Payment
 * row (provider `account_credit`, linked to the memo by `adjustmentId`, unique) whose
 * unapplied amount is the credit left, so everything that shows and applies unapplied
 * cash — the reconciliation queue, a rep applying it to invoices, the account's balance —
 * works on it unchanged. What differs: it is not cash received (collections figures and
 * promises to pay leave it out), it cannot be refunded through the card provider, and the
 * statement credits it once, as the memo's own line (statement.server.ts).
 */
import type { Prisma } from "../../generated/prisma/client";
import { recordAudit } from "../audit/audit.server";

export const ACCOUNT_CREDIT_PROVIDER = "account_credit";

export function isAccountCredit(payment: { provider?: string | null; adjustmentId?: string | null }): boolean {
  return payment.provider === ACCOUNT_CREDIT_PROVIDER || Boolean(payment.adjustmentId);
}

/**
 * Puts `amountMinor` of a posted memo on the account as credit, inside `tx` — once: the
 * memo id is unique on the credit row and its idempotency key, so a second attempt fails
 * the transaction instead of making a second credit.
 */
export async function createAccountCredit(
  tx: Prisma.TransactionClient,
  memo: { id: string; number: string; accountId: string; currency: string },
  amountMinor: number,
  actorId: string,
) {
  const now = new Date();
  const credit = await tx.payment.create({
    data: {
      accountId: memo.accountId,
      currency: memo.currency,
      amountMinor: BigInt(amountMinor),
      unappliedMinor: BigInt(amountMinor),
      status: "SUCCEEDED",
      method: "credit_memo",
      provider: ACCOUNT_CREDIT_PROVIDER,
      idempotencyKey: `account-credit:${memo.id}`,
      adjustmentId: memo.id,
      flaggedReason: "account_credit",
      createdById: actorId,
      receivedAt: now,
    },
  });
  await recordAudit(
    {
      actorId,
      accountId: memo.accountId,
      entity: "Payment",
      entityId: credit.id,
      action: "account_credit_created",
      after: { amountMinor, currency: memo.currency, adjustment: memo.number, unappliedMinor: amountMinor },
    },
    tx,
  );
  return credit;
}
