/**
 * Rep reconciliation: payments that arrived but are not (fully) applied, or that were
 * flagged (amount or currency mismatch). A rep applies unapplied money to one or more
 * invoices (a split), or refunds it — each with a note, each audited.
 */
import crypto from "node:crypto";
import type { StaffLevel } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { CLAIM_TRANSACTION } from "../../utils/transactions.server";
import { recordAudit } from "../audit/audit.server";
import { checkAuthority } from "../authority/authority.server";
import { loadHistory } from "../audit/history.server";
import { invalidateAccount } from "../invoices/ledger-cache.server";
import { toMinor, type Money } from "../money/money";
import { releaseOrdersIfUnderLimit } from "./after-payment.server";
import { markPromisesKeptOrBroken } from "../collections/promises.server";
import { deliverToWebhook, sandboxRefundEvent } from "./sandbox.server";
import { createRefund, isSandboxPayment, sandboxActive } from "./stripe-provider.server";
import { isUniqueViolation } from "./unique-violation";
import { isAccountCredit } from "./account-credit.server";
import { applyToInvoices } from "./webhook.server";

export type Actor = { id: string; staffLevel?: StaffLevel | null };

export async function reconciliationQueue() {
  const rows = await db().payment.findMany({
    // Needs attention = money still to place: unapplied cash, or a currency mismatch (nothing applied yet) not refunded in full.
    where: { status: { in: ["SUCCEEDED", "PARTIALLY_REFUNDED"] }, OR: [{ unappliedMinor: { gt: 0n } }, { flaggedReason: "currency_mismatch" }] },
    orderBy: { receivedAt: "asc" },
    take: 200,
    include: { account: { select: { id: true, legalName: true, number: true } } },
  });
  return rows.map((p) => ({
    id: p.id,
    number: p.number,
    account: p.account,
    amount: { amountMinor: toMinor(p.amountMinor), currency: p.currency },
    unapplied: { amountMinor: toMinor(p.unappliedMinor), currency: p.currency },
    flaggedReason: p.flaggedReason,
    receivedAt: p.receivedAt?.toISOString() ?? null,
    sandbox: isSandboxPayment(p),
  }));
}

export async function paymentForStaff(paymentId: string) {
  const p = await db().payment.findUnique({
    where: { id: paymentId },
    include: {
      account: { select: { id: true, legalName: true, number: true } },
      adjustment: { select: { number: true } },
      allocations: { orderBy: { createdAt: "asc" }, include: { invoice: { select: { id: true, number: true } } } },
    },
  });
  if (!p) return null;
  const m = (v: bigint): Money => ({ amountMinor: toMinor(v), currency: p.currency });
  const openInvoices = await db().invoice.findMany({
    where: { accountId: p.accountId, currency: p.currency, status: { in: ["OPEN", "PARTIALLY_PAID"] }, balanceMinor: { gt: 0n } },
    orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    take: 100,
    select: { id: true, number: true, dueOn: true, balanceMinor: true },
  });
  // The payment's own events and what it did to invoices (applied, reversed), oldest first.
  const history = await loadHistory({
    OR: [
      { entity: "Payment", entityId: p.id },
      { entity: "Invoice", after: { path: ["paymentId"], equals: p.id } },
    ],
  });
  return {
    id: p.id,
    number: p.number,
    status: p.status,
    account: p.account,
    amount: m(p.amountMinor),
    unapplied: m(p.unappliedMinor),
    refunded: m(p.refundedMinor),
    flaggedReason: p.flaggedReason,
    receivedAt: p.receivedAt?.toISOString() ?? null,
    sandbox: isSandboxPayment(p),
    accountCredit: isAccountCredit(p),
    memoNumber: p.adjustment?.number ?? null,
    allocations: p.allocations.map((a) => ({ invoiceId: a.invoice.id, number: a.invoice.number, amount: m(a.amountMinor) })),
    openInvoices: openInvoices.map((i) => ({ id: i.id, number: i.number, dueOn: i.dueOn.toISOString().slice(0, 10), balance: m(i.balanceMinor) })),
    history,
  };
}

/**
 * Refused: a translation key per form field (`amount-<invoiceId>` for one invoice's
 * amount), and why when it is not the input: `over_authority` (with the level that may
 * do it) or `done_meanwhile` (a concurrent request already did it, or the payment moved).
 */
export type Outcome =
  { ok: true } | { ok: false; errors: Record<string, string>; refusal?: "over_authority" | "done_meanwhile"; requiredLevel?: StaffLevel | null };

/** Applies unapplied money to the chosen invoices: one or a split. */
export async function applyUnapplied(
  paymentId: string,
  actor: Actor,
  input: { note: string; amounts: { invoiceId: string; amountMinor: number }[] },
): Promise<Outcome> {
  const note = input.note.trim();
  if (note.length < 3 || note.length > 1000) return { ok: false, errors: { note: "payments:errors.note" } };
  const payment = await db().payment.findUnique({ where: { id: paymentId } });
  if (!payment || (payment.status !== "SUCCEEDED" && payment.status !== "PARTIALLY_REFUNDED"))
    return { ok: false, errors: { form: "payments:errors.notApplicable" } };
  const items: { invoiceId: string; amountMinor: number }[] = [];
  for (const { invoiceId, amountMinor } of input.amounts) {
    if (amountMinor <= 0) return { ok: false, errors: { [`amount-${invoiceId}`]: "payments:errors.amountInvalid" } };
    items.push({ invoiceId, amountMinor });
  }
  if (!items.length) return { ok: false, errors: { form: "payments:errors.chooseInvoice" } };
  const total = items.reduce((s, i) => s + i.amountMinor, 0);
  if (total > toMinor(payment.unappliedMinor)) return { ok: false, errors: { form: "payments:errors.moreThanUnapplied" } };
  const invoices = await db().invoice.findMany({
    where: { id: { in: items.map((i) => i.invoiceId) }, accountId: payment.accountId, currency: payment.currency },
    select: { id: true, balanceMinor: true },
  });
  for (const item of items) {
    const inv = invoices.find((i) => i.id === item.invoiceId);
    if (!inv) return { ok: false, errors: { form: "payments:errors.invoiceNotPayable" } };
    if (item.amountMinor > toMinor(inv.balanceMinor)) return { ok: false, errors: { [`amount-${item.invoiceId}`]: "payments:errors.amountTooHigh" } };
  }
  // The payment is claimed first (row lock, then the unapplied amount we read must still
  // be there): of several requests at once one applies, the others are told it was done.
  const applied = await db()
    .$transaction(async (tx) => {
      const [locked] = await tx.$queryRaw<{ unappliedMinor: bigint }[]>`SELECT "unappliedMinor" FROM "Payment" WHERE id = ${paymentId} FOR UPDATE`;
      if (!locked || BigInt(locked.unappliedMinor) !== payment.unappliedMinor) return false;
      const left = await applyToInvoices(tx, { paymentId, accountId: payment.accountId, currency: payment.currency, actorId: actor.id }, total, items);
      const applied = total - left;
      const unapplied = toMinor(payment.unappliedMinor) - applied;
      await tx.payment.update({ where: { id: paymentId }, data: { unappliedMinor: BigInt(unapplied), ...(unapplied === 0 ? { flaggedReason: null } : {}) } });
      await recordAudit(
        {
          actorId: actor.id,
          accountId: payment.accountId,
          entity: "Payment",
          entityId: paymentId,
          action: "payment_applied_by_rep",
          before: { unappliedMinor: payment.unappliedMinor, flaggedReason: payment.flaggedReason },
          after: { unappliedMinor: unapplied, items, note },
        },
        tx,
      );
      return true;
    }, CLAIM_TRANSACTION)
    .catch((error: unknown) => {
      // applyToInvoices refuses an invoice whose balance moved under it (a payment applied meanwhile).
      if (error instanceof Error && /changed while applying/.test(error.message)) return false;
      throw error;
    });
  if (!applied) return { ok: false, errors: { form: "payments:errors.changedMeanwhile" }, refusal: "done_meanwhile" };
  invalidateAccount(payment.accountId);
  await releaseOrdersIfUnderLimit(payment.accountId, paymentId);
  await markPromisesKeptOrBroken({ now: new Date(), accountId: payment.accountId });
  return { ok: true };
}

/**
 * Refunds part or all of a payment with a note, within the rep's refund authority
 * (above it the refund is refused and names the level that may make it). With Stripe
 * keys the refund is made at Stripe and its charge.refunded webhook applies it; in the
 * sandbox a signed charge.refunded event is delivered to our webhook — the same path
 * either way. The request is claimed first: one PaymentRefund row per payment and
 * refunded-so-far and one per form (unique keys), so concurrent or repeated requests make one refund.
 */
export async function refundPayment(paymentId: string, actor: Actor, input: { note: string; amountMinor: number; requestKey: string }): Promise<Outcome> {
  const note = input.note.trim();
  if (note.length < 3 || note.length > 1000) return { ok: false, errors: { refundNote: "payments:errors.note" } };
  const payment = await db().payment.findUnique({ where: { id: paymentId } });
  if (!payment || (payment.status !== "SUCCEEDED" && payment.status !== "PARTIALLY_REFUNDED"))
    return { ok: false, errors: { form: "payments:errors.notApplicable" } };
  // Account credit came from a credit memo, not through the card provider: nothing to refund there.
  if (isAccountCredit(payment)) return { ok: false, errors: { form: "payments:errors.creditNotRefundable" } };
  const amount = input.amountMinor;
  if (amount <= 0) return { ok: false, errors: { refundAmount: "payments:errors.amountInvalid" } };
  if (amount > toMinor(payment.amountMinor) - toMinor(payment.refundedMinor)) return { ok: false, errors: { refundAmount: "payments:errors.moreThanPaid" } };
  const total = toMinor(payment.refundedMinor) + amount;
  // The level's limit covers everything refunded on the payment, so several smaller refunds never add up past it.
  // The claim below is keyed on the refunded-so-far it was checked against: two at once cannot both pass on it.
  const decision = await checkAuthority(actor.staffLevel, "refund", { amount: { amountMinor: total, currency: payment.currency } });
  if (!decision.allowed) {
    const alone = await checkAuthority(actor.staffLevel, "refund", { amount: { amountMinor: amount, currency: payment.currency } });
    const error = alone.allowed ? "payments:errors.refundTotalAboveAuthority" : "payments:errors.refundAboveAuthority";
    return { ok: false, errors: { refundAmount: error }, refusal: "over_authority", requiredLevel: decision.requiredLevel };
  }
  // The form's own key: the same form sent twice (a double click, a retry) is one request, even after the first is done.
  const formKey = input.requestKey.trim();
  const requestKey = /^[A-Za-z0-9-]{16,64}$/.test(formKey) ? `${paymentId}:${formKey}` : `${paymentId}:${crypto.randomUUID()}`;
  let refundId: string;
  try {
    refundId = await db().$transaction(async (tx) => {
      const refund = await tx.paymentRefund.create({
        data: {
          paymentId,
          requestKey,
          stateKey: `${paymentId}:${toMinor(payment.refundedMinor)}`,
          amountMinor: BigInt(amount),
          currency: payment.currency,
          note,
          requestedById: actor.id,
        },
      });
      await recordAudit(
        {
          actorId: actor.id,
          accountId: payment.accountId,
          entity: "Payment",
          entityId: paymentId,
          action: "refund_requested",
          after: { amountMinor: amount, note },
        },
        tx,
      );
      return refund.id;
    }, CLAIM_TRANSACTION);
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { form: "payments:errors.refundAlreadyRequested" }, refusal: "done_meanwhile" };
    throw error;
  }
  // A refund that never reached the provider frees its key, so the rep can try again.
  const withdraw = () => db().paymentRefund.delete({ where: { id: refundId } });
  // A sandbox payment moved no money: only the sandbox can take it back. With the sandbox
  // on there is no real provider at all (the two are refused together), so the demo's
  // other payments are refunded through it too.
  if (isSandboxPayment(payment) || sandboxActive()) {
    const applied = sandboxActive() && (await deliverToWebhook(sandboxRefundEvent(payment, total)));
    if (!applied) {
      await withdraw();
      return { ok: false, errors: { form: "payments:errors.refundFailed" } };
    }
  } else {
    if (!payment.providerPaymentId) {
      await withdraw();
      return { ok: false, errors: { form: "payments:errors.refundFailed" } };
    }
    try {
      await createRefund(payment.providerPaymentId, amount, `refund_${paymentId}_${total}`);
    } catch (error) {
      await withdraw();
      throw error;
    }
  }
  return { ok: true };
}
