// Longer than 300 lines because every state a provider event moves a payment to (succeeded, failed, expired, refunded) is applied here under one claim-and-lock rule; apart, those rules would drift.
/**
 * Stripe events in: verify the signature, store the event by its id, apply it once.
 * Handlers take only ids from the event and re-read the current truth (Stripe's and
 * ours), so duplicates, out-of-order delivery and unknown objects cannot corrupt
 * balances: every state change is a conditional update inside one transaction.
 */
import type Stripe from "stripe";
import { Prisma } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { isUniqueViolation } from "./unique-violation";
import { recordAudit } from "../audit/audit.server";
import { toMinor } from "../money/money";
import { invalidateAccount } from "../invoices/ledger-cache.server";
import { allocatePayment, invoiceStatusFor } from "./allocation";
import { sendReceipt, releaseOrdersIfUnderLimit } from "./after-payment.server";
import { markPromisesKeptOrBroken } from "../collections/promises.server";
import { refundedTruth, sessionTruth, verifyEvent } from "./stripe-provider.server";
import { applyPaidCheckout } from "./paid-checkouts.server";
import { log } from "../../utils/logger.server";

/**
 * What became of one delivery: applied now, applied before (a resend), refused (the
 * signature does not verify), or stored but not applied (the provider should retry).
 */
export type WebhookOutcome = "applied" | "duplicate" | "bad_signature" | "not_applied";

export async function handleStripeWebhook(rawBody: string, signature: string | null): Promise<WebhookOutcome> {
  let event: Stripe.Event;
  try {
    event = verifyEvent(rawBody, signature);
  } catch {
    return "bad_signature";
  }
  if (event.type === "checkout.session.completed" || event.type === "checkout.session.async_payment_succeeded") {
    const truth = await sessionTruth(event.data.object);
    if (truth.paid && truth.paymentId) {
      const outcome = await applyPaidCheckout({ eventId: event.id, type: event.type, rawBody, truth: { ...truth, paymentId: truth.paymentId } }).catch(
        (error) => {
          log().warn({ err: error, eventId: event.id }, "payments: a paid checkout could not be applied in a batch; applying it on its own");
          return "one_by_one" as const;
        },
      );
      if (outcome !== "one_by_one") return outcome;
    }
  }
  return applyOneByOne(event, rawBody);
}

/** Stores the event and applies it alone: every event that is not a plain paid checkout, and those a batch handed back. */
async function applyOneByOne(event: Stripe.Event, rawBody: string): Promise<WebhookOutcome> {
  let stored;
  try {
    stored = await db().webhookEvent.create({
      data: { provider: "stripe", eventId: event.id, type: event.type, payload: JSON.parse(rawBody) },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    stored = await db().webhookEvent.findUniqueOrThrow({ where: { provider_eventId: { provider: "stripe", eventId: event.id } } });
    if (stored.processedAt) return "duplicate";
  }
  let note: string | null = null;
  try {
    note = await applyEvent(event);
  } catch (error) {
    await db().webhookEvent.updateMany({ where: { id: stored.id, processedAt: null }, data: { error: String(error).slice(0, 500) } });
    // The stored event is applied when the provider sends it again.
    return "not_applied";
  }
  // Resends of one event can run side by side: the delivery that applied it writes the record
  // whatever order they finish in; the others only mark an event nobody has marked yet, so
  // "already applied" never overwrites the delivery that did apply it.
  const appliedHere = note === null;
  await db().webhookEvent.updateMany({
    where: { id: stored.id, ...(appliedHere ? {} : { processedAt: null }) },
    data: { processedAt: new Date(), error: note },
  });
  return "applied";
}

/** Returns a note for events that changed nothing (unknown object, ignored type). */
async function applyEvent(event: Stripe.Event): Promise<string | null> {
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const truth = await sessionTruth(event.data.object);
      const payment = await findPayment(truth.paymentId, truth.sessionId, truth.paymentIntentId);
      if (!payment) return "unknown_object";
      if (!truth.paid) return "not_paid_yet";
      const result = await applySucceeded(payment.id, truth, event.id);
      invalidateAccount(payment.accountId);
      if (result === "applied") {
        await sendReceipt(payment.id);
        await releaseOrdersIfUnderLimit(payment.accountId, payment.id);
        await markPromisesKeptOrBroken({ now: new Date(), accountId: payment.accountId });
      }
      return result === "applied" ? null : result;
    }
    case "checkout.session.expired": {
      const object = event.data.object;
      const payment = await findPayment(object.metadata?.paymentId ?? null, object.id, null);
      if (!payment) return "unknown_object";
      return markExpired(payment.id, event.id);
    }
    case "checkout.session.async_payment_failed": {
      const object = event.data.object;
      const payment = await findPayment(object.metadata?.paymentId ?? null, object.id, null);
      if (!payment) return "unknown_object";
      return markFailed(payment.id, event.type, event.id);
    }
    case "payment_intent.payment_failed": {
      const intent = event.data.object;
      const payment = await findPayment(intent.metadata?.paymentId ?? null, null, intent.id);
      if (!payment) return "unknown_object";
      return markFailed(payment.id, intent.last_payment_error?.code ?? "payment_failed", event.id);
    }
    case "charge.refunded": {
      const truth = await refundedTruth(event.data.object);
      const payment = await findPayment(truth.paymentId, null, truth.paymentIntentId);
      if (!payment) return "unknown_object";
      const note = await applyRefundTotal(payment.id, truth.refundedMinor, truth.currency, null, `event ${event.id}`);
      invalidateAccount(payment.accountId);
      return note;
    }
    default:
      return "ignored_type";
  }
}

async function findPayment(paymentId: string | null, sessionId: string | null, intentId: string | null) {
  const or: Prisma.PaymentWhereInput[] = [];
  if (paymentId) or.push({ id: paymentId });
  if (sessionId) or.push({ checkoutSessionId: sessionId });
  if (intentId) or.push({ providerPaymentId: intentId });
  if (!or.length) return null;
  return db().payment.findFirst({ where: { OR: or }, select: { id: true, accountId: true } });
}

/**
 * Marks the payment received and applies it to the chosen invoices, oldest due first,
 * in one transaction with its audit rows. A payment already past PENDING/FAILED is
 * left alone (a duplicate or a late event). Amount or currency that do not match what
 * was asked for are recorded and flagged for a rep, never applied.
 */
export async function applySucceeded(
  paymentId: string,
  truth: { amountMinor: number; currency: string; paymentIntentId: string | null; method: string | null },
  source: string,
): Promise<"applied" | "already_applied" | "flagged"> {
  return db().$transaction(async (tx) => {
    const payment = await tx.payment.findUniqueOrThrow({ where: { id: paymentId } });
    // EXPIRED: a checkout we closed that the customer still completed; the money is real and is recorded.
    if (payment.status !== "PENDING" && payment.status !== "FAILED" && payment.status !== "EXPIRED") return "already_applied";
    const expected = toMinor(payment.amountMinor);
    const mismatch = truth.currency !== payment.currency ? "currency_mismatch" : truth.amountMinor !== expected ? "amount_mismatch" : null;
    const received = mismatch === "currency_mismatch" ? 0 : truth.amountMinor;
    const claimed = await tx.payment.updateMany({
      where: { id: paymentId, status: { in: ["PENDING", "FAILED", "EXPIRED"] } },
      data: {
        status: "SUCCEEDED",
        receivedAt: new Date(),
        providerPaymentId: truth.paymentIntentId,
        method: truth.method ?? payment.method,
        // What really arrived is the payment's amount; what was asked for stays in the audit row.
        ...(mismatch
          ? { flaggedReason: mismatch, unappliedMinor: BigInt(received), ...(mismatch === "amount_mismatch" ? { amountMinor: BigInt(received) } : {}) }
          : {}),
      },
    });
    if (claimed.count === 0) return "already_applied";
    // The checkout is finished: its invoices are free for another checkout (or already paid).
    await tx.checkoutClaim.deleteMany({ where: { paymentId } });
    if (mismatch) {
      await recordAudit(
        {
          actorId: null,
          accountId: payment.accountId,
          entity: "Payment",
          entityId: paymentId,
          action: "payment_flagged",
          before: { status: payment.status, amountMinor: expected, currency: payment.currency },
          after: { status: "SUCCEEDED", flaggedReason: mismatch, receivedMinor: truth.amountMinor, receivedCurrency: truth.currency, source },
        },
        tx,
      );
      return "flagged";
    }
    const intended = (payment.intendedAllocations as { invoiceId: string; amountMinor: number }[]) ?? [];
    const unapplied = await applyToInvoices(tx, { paymentId, accountId: payment.accountId, currency: payment.currency, actorId: null }, received, intended);
    await tx.payment.update({
      where: { id: paymentId },
      data: { unappliedMinor: BigInt(unapplied), ...(unapplied > 0 ? { flaggedReason: "unapplied_remainder" } : {}) },
    });
    await recordAudit(
      {
        actorId: null,
        accountId: payment.accountId,
        entity: "Payment",
        entityId: paymentId,
        action: "payment_succeeded",
        before: { status: payment.status },
        after: { status: "SUCCEEDED", amountMinor: received, unappliedMinor: unapplied, source },
      },
      tx,
    );
    return "applied";
  });
}

/** Allocates `amount` over the intended invoices (same account and currency only); returns what is left. */
export async function applyToInvoices(
  tx: Prisma.TransactionClient,
  ctx: { paymentId: string; accountId: string; currency: string; actorId: string | null },
  amountMinor: number,
  intended: { invoiceId: string; amountMinor: number }[],
): Promise<number> {
  const invoices = await tx.invoice.findMany({
    where: { id: { in: intended.map((i) => i.invoiceId) }, accountId: ctx.accountId, currency: ctx.currency, status: { in: ["OPEN", "PARTIALLY_PAID"] } },
    select: { id: true, dueOn: true, balanceMinor: true, totalMinor: true, status: true },
  });
  const { allocations, unappliedMinor } = allocatePayment(
    amountMinor,
    intended,
    invoices.map((i) => ({ id: i.id, dueOn: i.dueOn, balanceMinor: toMinor(i.balanceMinor) })),
  );
  for (const a of allocations) {
    const inv = invoices.find((i) => i.id === a.invoiceId)!;
    const balance = toMinor(inv.balanceMinor) - a.amountMinor;
    const status = invoiceStatusFor(toMinor(inv.totalMinor), balance);
    // Conditional on the balance we read: a concurrent change makes this fail loudly rather than double-apply.
    const updated = await tx.invoice.updateMany({ where: { id: inv.id, balanceMinor: inv.balanceMinor }, data: { balanceMinor: BigInt(balance), status } });
    if (updated.count !== 1) throw new Error(`Invoice ${inv.id} changed while applying payment ${ctx.paymentId}`);
    await tx.paymentAllocation.create({ data: { paymentId: ctx.paymentId, invoiceId: inv.id, amountMinor: BigInt(a.amountMinor), createdById: ctx.actorId } });
    await recordAudit(
      {
        actorId: ctx.actorId,
        accountId: ctx.accountId,
        entity: "Invoice",
        entityId: inv.id,
        action: "payment_applied",
        before: { balanceMinor: inv.balanceMinor, status: inv.status },
        after: { balanceMinor: balance, status, paymentId: ctx.paymentId, amountMinor: a.amountMinor },
      },
      tx,
    );
  }
  return unappliedMinor;
}

async function markFailed(paymentId: string, reason: string, source: string): Promise<string | null> {
  return db().$transaction(async (tx) => {
    const payment = await tx.payment.findUniqueOrThrow({ where: { id: paymentId } });
    // A failure that arrives after success (out of order) changes nothing.
    const updated = await tx.payment.updateMany({ where: { id: paymentId, status: "PENDING" }, data: { status: "FAILED" } });
    if (updated.count === 0) return "stale_failure";
    await recordAudit(
      {
        actorId: null,
        accountId: payment.accountId,
        entity: "Payment",
        entityId: paymentId,
        action: "payment_failed",
        before: { status: payment.status },
        after: { status: "FAILED", reason, source },
      },
      tx,
    );
    return null;
  });
}

/** A closed checkout can take no money: its invoices' claims are let go. */
async function markExpired(paymentId: string, source: string): Promise<string | null> {
  return db().$transaction(async (tx) => {
    const payment = await tx.payment.findUniqueOrThrow({ where: { id: paymentId } });
    const updated = await tx.payment.updateMany({ where: { id: paymentId, status: { in: ["PENDING", "FAILED"] } }, data: { status: "EXPIRED" } });
    if (updated.count === 0) return "stale_expiry";
    await tx.checkoutClaim.deleteMany({ where: { paymentId } });
    await recordAudit(
      {
        actorId: null,
        accountId: payment.accountId,
        entity: "Payment",
        entityId: paymentId,
        action: "payment_expired",
        before: { status: payment.status },
        after: { status: "EXPIRED", source },
      },
      tx,
    );
    return null;
  });
}

/**
 * Brings a payment's refunds up to `refundedTotal` (Stripe reports the running total,
 * so a repeated or late event is a no-op). Unapplied money is refunded first; then
 * allocations are reversed newest first, re-opening those invoices.
 */
export async function applyRefundTotal(
  paymentId: string,
  refundedTotal: number,
  currency: string,
  actorId: string | null,
  note: string,
): Promise<string | null> {
  return db().$transaction(async (tx) => {
    const payment = await tx.payment.findUniqueOrThrow({ where: { id: paymentId }, include: { allocations: { orderBy: { createdAt: "desc" } } } });
    if (currency !== payment.currency) return "currency_mismatch";
    const already = toMinor(payment.refundedMinor);
    let delta = Math.min(refundedTotal, toMinor(payment.amountMinor)) - already;
    if (delta <= 0 || (payment.status !== "SUCCEEDED" && payment.status !== "PARTIALLY_REFUNDED")) return "nothing_to_refund";
    const total = already + delta;
    const fromUnapplied = Math.min(delta, toMinor(payment.unappliedMinor));
    delta -= fromUnapplied;
    // Net applied per invoice (reversals are negative allocation rows).
    const net = new Map<string, number>();
    for (const a of payment.allocations) net.set(a.invoiceId, (net.get(a.invoiceId) ?? 0) + toMinor(a.amountMinor));
    for (const [invoiceId, applied] of [...net].reverse()) {
      if (delta <= 0) break;
      const back = Math.min(delta, applied);
      if (back <= 0) continue;
      const inv = await tx.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
      const balance = toMinor(inv.balanceMinor) + back;
      const status = invoiceStatusFor(toMinor(inv.totalMinor), balance);
      await tx.invoice.update({ where: { id: invoiceId }, data: { balanceMinor: BigInt(balance), status } });
      await tx.paymentAllocation.create({ data: { paymentId, invoiceId, amountMinor: BigInt(-back), createdById: actorId } });
      await recordAudit(
        {
          actorId,
          accountId: payment.accountId,
          entity: "Invoice",
          entityId: invoiceId,
          action: "payment_reversed",
          before: { balanceMinor: inv.balanceMinor, status: inv.status },
          after: { balanceMinor: balance, status, paymentId, amountMinor: back },
        },
        tx,
      );
      delta -= back;
    }
    const status = total >= toMinor(payment.amountMinor) ? "REFUNDED" : "PARTIALLY_REFUNDED";
    const unappliedLeft = payment.unappliedMinor - BigInt(fromUnapplied);
    // Nothing left to place (the money went back): the flag is resolved; a currency mismatch only once all of it went back.
    const resolved = unappliedLeft === 0n && (payment.flaggedReason !== "currency_mismatch" || status === "REFUNDED");
    await tx.payment.update({
      where: { id: paymentId },
      data: { refundedMinor: BigInt(total), status, unappliedMinor: unappliedLeft, ...(resolved ? { flaggedReason: null } : {}) },
    });
    await recordAudit(
      {
        actorId,
        accountId: payment.accountId,
        entity: "Payment",
        entityId: paymentId,
        action: "payment_refunded",
        before: { status: payment.status, refundedMinor: already },
        after: { status, refundedMinor: total, note },
      },
      tx,
    );
    return null;
  });
}
