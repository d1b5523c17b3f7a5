/**
 * The payment provider, chosen by env: with STRIPE_SECRET_KEY the real Stripe
 * Checkout API; without it, a clearly labelled sandbox in this process that walks the
 * same path (a checkout session, a pay page, a signed event to /webhooks/stripe).
 */
import crypto from "node:crypto";
import path from "node:path";
import Stripe from "stripe";
import { getEnv, publicUrl } from "../../utils/config.server";
import { persistentSecret } from "../../utils/persistent-secret.server";

export type CheckoutRequest = {
  paymentId: string;
  idempotencyKey: string;
  amountMinor: number;
  currency: string;
  description: string;
  customerEmail: string;
  language: string;
};

/** What we trust about a checkout session: re-read from Stripe, never taken from the event alone. */
export type SessionTruth = {
  sessionId: string;
  paymentIntentId: string | null;
  paymentId: string | null;
  amountMinor: number;
  currency: string;
  paid: boolean;
  method: string | null;
};

/** The in-process sandbox takes payments: only where PAYMENTS_SANDBOX says so (app/utils/config.server.ts). */
export function sandboxActive(): boolean {
  return getEnv().PAYMENTS_SANDBOX;
}

/** `Payment.provider` of a payment the sandbox took: no money moved, and every page showing it says so. */
export const SANDBOX_PROVIDER = "stripe_sandbox";

export function isSandboxPayment(payment: { provider: string }): boolean {
  return payment.provider === SANDBOX_PROVIDER;
}

/** Payments can be taken at all: real Stripe keys, or the sandbox switched on. */
export function paymentsAvailable(): boolean {
  return sandboxActive() || Boolean(getEnv().STRIPE_SECRET_KEY);
}

let client: Stripe | undefined;
let clientKey: string | undefined;
function stripe(): Stripe {
  const key = getEnv().STRIPE_SECRET_KEY;
  if (!key) throw new Error("STRIPE_SECRET_KEY is not set");
  if (!client || clientKey !== key) {
    client = new Stripe(key);
    clientKey = key;
  }
  return client;
}

/**
 * The webhook signing secret: STRIPE_WEBHOOK_SECRET when set; otherwise, only while the
 * sandbox runs, a random per-install secret kept beside the embedded data, made once.
 * With neither there is no secret, and every event is refused.
 */
export function webhookSecret(): string {
  const env = getEnv();
  if (env.STRIPE_WEBHOOK_SECRET) return env.STRIPE_WEBHOOK_SECRET;
  if (!sandboxActive()) throw new Error("no webhook signing secret configured");
  return persistentSecret(
    path.resolve(path.dirname(env.UPLOAD_DIR), "stripe-sandbox-webhook-secret"),
    () => `whsec_sandbox_${crypto.randomBytes(24).toString("hex")}`,
  );
}

/** Verifies the raw body against the Stripe-Signature header; throws on a bad signature. */
export function verifyEvent(rawBody: string, signature: string | null): Stripe.Event {
  if (!signature) throw new Error("missing signature");
  return Stripe.webhooks.constructEvent(rawBody, signature, webhookSecret());
}

/** Signs a payload as Stripe does (the sandbox's deliveries, and tests). */
export function signPayload(payload: string, secret = webhookSecret()): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret });
}

export function sandboxSessionId(paymentId: string): string {
  return `cs_sandbox_${paymentId}`;
}

export function sandboxCheckoutPath(sessionId: string): string {
  return `/sandbox/stripe/checkout/${encodeURIComponent(sessionId)}`;
}

/** Creates (or, with the same idempotency key, returns) a checkout session; gives its URL. */
export async function createCheckout(req: CheckoutRequest): Promise<{ sessionId: string; url: string }> {
  if (!paymentsAvailable()) throw new Error("no payment provider configured");
  if (sandboxActive()) {
    const sessionId = sandboxSessionId(req.paymentId);
    return { sessionId, url: sandboxCheckoutPath(sessionId) };
  }
  const session = await stripe().checkout.sessions.create(
    {
      mode: "payment",
      line_items: [
        { quantity: 1, price_data: { currency: req.currency.toLowerCase(), unit_amount: req.amountMinor, product_data: { name: req.description } } },
      ],
      customer_email: req.customerEmail,
      locale: req.language === "es" ? "es-419" : "en",
      metadata: { paymentId: req.paymentId },
      payment_intent_data: { metadata: { paymentId: req.paymentId } },
      success_url: publicUrl(`/payments/${req.paymentId}`),
      cancel_url: publicUrl(`/payments/${req.paymentId}`),
    },
    { idempotencyKey: req.idempotencyKey },
  );
  return { sessionId: session.id, url: session.url ?? `/payments/${req.paymentId}` };
}

/** The URL to send a customer back to for a session created earlier. */
export async function checkoutUrl(sessionId: string): Promise<string | null> {
  if (sandboxActive()) return sandboxCheckoutPath(sessionId);
  const session = await stripe().checkout.sessions.retrieve(sessionId);
  return session.status === "open" ? session.url : null;
}

/**
 * Closes an open checkout so it can no longer take money (a newer checkout took its
 * invoices over). The sandbox's checkout page reads our payment's status, already
 * EXPIRED, so it has nothing to do. Real Stripe refuses once the session is complete:
 * that money arrives anyway and becomes unapplied cash, so the refusal is not an error.
 */
export async function expireCheckout(sessionId: string): Promise<boolean> {
  if (sandboxActive()) return true;
  try {
    await stripe().checkout.sessions.expire(sessionId);
    return true;
  } catch {
    return false;
  }
}

/**
 * Current truth about a session named in an event. Real Stripe is asked again (so a
 * stale or replayed event cannot decide); the sandbox's signed event is its own truth.
 */
export async function sessionTruth(object: Stripe.Checkout.Session): Promise<SessionTruth> {
  const session = sandboxActive() ? object : await stripe().checkout.sessions.retrieve(object.id, { expand: ["payment_intent"] });
  const intent = session.payment_intent;
  const intentId = typeof intent === "string" ? intent : (intent?.id ?? null);
  const method = typeof intent === "object" && intent ? (intent.payment_method_types?.[0] ?? null) : (session.payment_method_types?.[0] ?? null);
  return {
    sessionId: session.id,
    paymentIntentId: intentId,
    paymentId: session.metadata?.paymentId ?? null,
    amountMinor: session.amount_total ?? 0,
    currency: (session.currency ?? "").toUpperCase(),
    paid: session.payment_status === "paid",
    method,
  };
}

/** Refunded so far on a payment intent, re-read from Stripe (or from the signed sandbox charge). */
export async function refundedTruth(
  charge: Stripe.Charge,
): Promise<{ paymentIntentId: string | null; refundedMinor: number; currency: string; paymentId: string | null }> {
  const current = sandboxActive() ? charge : await stripe().charges.retrieve(charge.id);
  const intent = current.payment_intent;
  return {
    paymentIntentId: typeof intent === "string" ? intent : (intent?.id ?? null),
    refundedMinor: current.amount_refunded,
    currency: current.currency.toUpperCase(),
    paymentId: current.metadata?.paymentId ?? null,
  };
}

/** Refunds through Stripe (rep reconciliation); the sandbox delivers a signed charge.refunded itself. */
export async function createRefund(paymentIntentId: string, amountMinor: number, idempotencyKey: string): Promise<void> {
  if (sandboxActive()) return;
  await stripe().refunds.create({ payment_intent: paymentIntentId, amount: amountMinor }, { idempotencyKey });
}
