/**
 * Stripe's webhook endpoint, answered by Express ahead of everything a page needs: no
 * CSP nonce, security headers, compression, origin or form guards, page cache or React
 * Router request. A signed machine post needs none of them, and during a storm of
 * payments that stack cost more CPU per event than applying the payment does (the
 * webhook target in issue 19 is 500 events/s on two cores). The raw body is verified
 * against Stripe-Signature before anything else (payments/webhook.server.ts).
 */
import express from "express";
import { handleStripeWebhook, type WebhookOutcome } from "../app/domain/payments/webhook.server";
import { log } from "../app/utils/logger.server";

const STRIPE_WEBHOOK_PATH = "/webhooks/stripe";

/** Stripe retries an answer of 5xx: an event stored but not applied is applied on the retry. */
const ANSWERS: Record<WebhookOutcome, [number, { received: boolean; duplicate?: boolean; error?: string }]> = {
  applied: [200, { received: true }],
  duplicate: [200, { received: true, duplicate: true }],
  bad_signature: [400, { received: false, error: "bad_signature" }],
  not_applied: [500, { received: false, error: "not_applied" }],
};

export function stripeWebhookRoutes(): express.Router {
  const router = express.Router();
  // The exact bytes Stripe signed, as text, whatever content type the sender claims.
  router.post(STRIPE_WEBHOOK_PATH, express.text({ type: () => true, limit: "1mb" }), async (req, res) => {
    const raw = typeof req.body === "string" ? req.body : "";
    try {
      const [status, body] = ANSWERS[await handleStripeWebhook(raw, req.get("stripe-signature") ?? null)];
      res.status(status).json(body);
    } catch (error) {
      // The database is unreachable or failed: nothing was applied, and Stripe sends it again.
      log().error({ err: error }, "stripe webhook: not applied");
      res.status(503).json({ received: false, error: "unavailable" });
    }
  });
  router.all(STRIPE_WEBHOOK_PATH, (_req, res) => {
    res.status(405).set("Allow", "POST").json({ received: false, error: "method_not_allowed" });
  });
  return router;
}
