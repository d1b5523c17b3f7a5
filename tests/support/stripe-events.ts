/**
 * Stripe events as Stripe sends them (the shapes the portal's webhook reads), for tests
 * that deliver them to /webhooks/stripe themselves: duplicates, replays, reordering.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Stripe from "stripe";

/** The sandbox's per-install webhook secret: beside the test portal's upload folder, as the server keeps it. */
export function sandboxWebhookSecret() {
  return fs.readFileSync(path.join(os.tmpdir(), "stripe-sandbox-webhook-secret"), "utf8").trim();
}

/** Signs a payload as Stripe does, with the endpoint's secret. */
export function signedBy(secret: string) {
  return (payload: string) => Stripe.webhooks.generateTestHeaderString({ payload, secret });
}

export function completedEvent(id: string, payment: { id: string; checkoutSessionId: string | null }, amountMinor: number, currency = "USD") {
  return JSON.stringify({
    id,
    object: "event",
    type: "checkout.session.completed",
    data: {
      object: {
        id: payment.checkoutSessionId,
        object: "checkout.session",
        payment_status: "paid",
        status: "complete",
        amount_total: amountMinor,
        currency: currency.toLowerCase(),
        payment_intent: `pi_sandbox_${payment.id}`,
        payment_method_types: ["card"],
        metadata: { paymentId: payment.id },
      },
    },
  });
}

export function failedEvent(id: string, payment: { id: string }) {
  return JSON.stringify({
    id,
    object: "event",
    type: "payment_intent.payment_failed",
    data: {
      object: { id: `pi_sandbox_${payment.id}`, object: "payment_intent", metadata: { paymentId: payment.id }, last_payment_error: { code: "card_declined" } },
    },
  });
}

export function expiredEvent(id: string, payment: { id: string; checkoutSessionId: string | null }) {
  return JSON.stringify({
    id,
    object: "event",
    type: "checkout.session.expired",
    data: {
      object: { id: payment.checkoutSessionId, object: "checkout.session", status: "expired", payment_status: "unpaid", metadata: { paymentId: payment.id } },
    },
  });
}
