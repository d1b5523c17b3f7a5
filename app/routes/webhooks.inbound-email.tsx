import crypto from "node:crypto";
import { data } from "react-router";
import type { Route } from "./+types/webhooks.inbound-email";
import { announce } from "../domain/chat/chat-events.server";
import { inboundEmailSchema, receiveInboundEmail } from "../domain/chat/email-channel.server";
import { getEnv } from "../utils/config.server";

/**
 * Inbound mail from the provider, as JSON: { from, subject, text, messageId, inReplyTo? }
 * with `Authorization: Bearer <INBOUND_EMAIL_SECRET>`. Off (404) when no secret is set.
 */
export async function action({ request }: Route.ActionArgs) {
  const secret = getEnv().INBOUND_EMAIL_SECRET;
  if (!secret) throw data({ error: "not_found" }, { status: 404 });
  if (request.method !== "POST") throw data({ error: "method_not_allowed" }, { status: 405 });
  const given = Buffer.from(request.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? "");
  const expected = Buffer.from(secret);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return data({ error: "unauthorized" }, { status: 401 });
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return data({ error: "invalid_json" }, { status: 400 });
  }
  const parsed = inboundEmailSchema.safeParse(body);
  if (!parsed.success) return data({ error: "invalid", issues: parsed.error.issues.map((i) => i.path.join(".")) }, { status: 400 });
  const result = await receiveInboundEmail(parsed.data);
  if (!result.ok) return data({ error: result.reason }, { status: 422 });
  if (!result.duplicate) announce({ type: "inbox-changed", conversationId: result.conversationId, reason: "email" });
  return data({ ok: true, conversationId: result.conversationId, duplicate: result.duplicate });
}

export async function loader() {
  throw data({ error: "method_not_allowed" }, { status: 405 });
}
