/**
 * The Stripe sandbox: what Stripe would send after a customer pays or is declined on
 * Checkout, built as a real Stripe event, signed with the webhook secret and handed to
 * the webhook's own handler with its signature — the path real events take after the
 * route reads the body. It never travels over the network, so no Host header or
 * proxy can send it (or a customer's "payment") anywhere else.
 */
import crypto from "node:crypto";
import { toMinor } from "../money/money";
import { signPayload } from "./stripe-provider.server";
import { handleStripeWebhook } from "./webhook.server";

type SandboxPayment = { id: string; amountMinor: bigint; currency: string; checkoutSessionId: string | null };

export function sandboxEvent(payment: SandboxPayment, outcome: "pay" | "decline", overrides: { amountMinor?: number; currency?: string } = {}) {
  const created = Math.floor(Date.now() / 1000);
  const intentId = `pi_sandbox_${payment.id}`;
  const amount = overrides.amountMinor ?? toMinor(payment.amountMinor);
  const currency = (overrides.currency ?? payment.currency).toLowerCase();
  const metadata = { paymentId: payment.id };
  const base = {
    id: `evt_sandbox_${crypto.randomUUID().replace(/-/g, "")}`,
    object: "event",
    api_version: "2025-01-01",
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
  };
  if (outcome === "pay") {
    return {
      ...base,
      type: "checkout.session.completed",
      data: {
        object: {
          id: payment.checkoutSessionId,
          object: "checkout.session",
          mode: "payment",
          status: "complete",
          payment_status: "paid",
          amount_total: amount,
          currency,
          payment_intent: intentId,
          payment_method_types: ["card"],
          metadata,
          livemode: false,
        },
      },
    };
  }
  return {
    ...base,
    type: "payment_intent.payment_failed",
    data: {
      object: {
        id: intentId,
        object: "payment_intent",
        amount,
        currency,
        status: "requires_payment_method",
        metadata,
        last_payment_error: { code: "card_declined", decline_code: "generic_decline", type: "card_error" },
      },
    },
  };
}

export function sandboxRefundEvent(payment: SandboxPayment & { providerPaymentId: string | null }, refundedTotalMinor: number) {
  return {
    id: `evt_sandbox_${crypto.randomUUID().replace(/-/g, "")}`,
    object: "event",
    api_version: "2025-01-01",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type: "charge.refunded",
    data: {
      object: {
        id: `ch_sandbox_${payment.id}`,
        object: "charge",
        amount: toMinor(payment.amountMinor),
        amount_refunded: refundedTotalMinor,
        currency: payment.currency.toLowerCase(),
        payment_intent: payment.providerPaymentId ?? `pi_sandbox_${payment.id}`,
        metadata: { paymentId: payment.id },
        refunded: true,
      },
    },
  };
}

/**
 * Delivers an event to this server's webhook handler, signed as Stripe signs and
 * verified as a real one is; true once the event is applied (now or before).
 */
export async function deliverToWebhook(event: object): Promise<boolean> {
  const payload = JSON.stringify(event);
  const outcome = await handleStripeWebhook(payload, signPayload(payload));
  return outcome === "applied" || outcome === "duplicate";
}
