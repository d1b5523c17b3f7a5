import { data } from "react-router";
import type { Route } from "./+types/webhooks.stripe";
import { handleStripeWebhook, type WebhookOutcome } from "../domain/payments/webhook.server";

/** Stripe's webhook endpoint: the raw body is verified against Stripe-Signature before anything else. */
export async function action({ request }: Route.ActionArgs) {
  if (request.method !== "POST") throw data({ reason: "method_not_allowed" }, { status: 405 });
  const raw = await request.text();
  const outcome = await handleStripeWebhook(raw, request.headers.get("stripe-signature"));
  return Response.json(...ANSWERS[outcome]);
}

/** Stripe retries an answer of 5xx: an event stored but not applied is applied on the retry. */
const ANSWERS: Record<WebhookOutcome, [{ received: boolean; duplicate?: boolean; error?: string }, { status: number }]> = {
  applied: [{ received: true }, { status: 200 }],
  duplicate: [{ received: true, duplicate: true }, { status: 200 }],
  bad_signature: [{ received: false, error: "bad_signature" }, { status: 400 }],
  not_applied: [{ received: false, error: "not_applied" }, { status: 500 }],
};

export function loader() {
  throw data({ reason: "method_not_allowed" }, { status: 405 });
}
