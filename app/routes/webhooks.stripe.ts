import { data } from "react-router";
import type { Route } from "./+types/webhooks.stripe";
import { handleStripeWebhook } from "../domain/payments/webhook.server";

/** Stripe's webhook endpoint: the raw body is verified against Stripe-Signature before anything else. */
export async function action({ request }: Route.ActionArgs) {
  if (request.method !== "POST") throw data({ reason: "method_not_allowed" }, { status: 405 });
  const raw = await request.text();
  const outcome = await handleStripeWebhook(raw, request.headers.get("stripe-signature"));
  return Response.json(outcome.body, { status: outcome.status });
}

export function loader() {
  throw data({ reason: "method_not_allowed" }, { status: 405 });
}
