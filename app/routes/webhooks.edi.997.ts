import crypto from "node:crypto";
import { data } from "react-router";
import type { Route } from "./+types/webhooks.edi.997";
import { AckFormatError, receiveFunctionalAcknowledgement } from "../domain/invoice-delivery/acknowledgements.server";
import { getEnv } from "../utils/config.server";

const MAX_BYTES = 1024 * 1024;

/**
 * Inbound 997 functional acknowledgements from a trading partner (or the EDI gateway that
 * receives them), as raw X12 in the body, with `Authorization: Bearer <EDI_INBOUND_SECRET>`.
 * Off (404) when no secret is set. Answers what each acknowledged control number became.
 */
export async function action({ request }: Route.ActionArgs) {
  const secret = getEnv().EDI_INBOUND_SECRET;
  if (!secret) throw data({ error: "not_found" }, { status: 404 });
  if (request.method !== "POST") throw data({ error: "method_not_allowed" }, { status: 405 });
  const given = Buffer.from(request.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? "");
  const expected = Buffer.from(secret);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return data({ error: "unauthorized" }, { status: 401 });
  const body = await request.text();
  if (!body.trim() || Buffer.byteLength(body) > MAX_BYTES) return data({ error: "invalid", reason: "empty or larger than 1 MB" }, { status: 400 });
  try {
    const outcomes = await receiveFunctionalAcknowledgement(body);
    return data({ ok: true, acknowledgements: outcomes });
  } catch (error) {
    if (error instanceof AckFormatError) return data({ error: "invalid", reason: error.message.slice(0, 200) }, { status: 400 });
    throw error;
  }
}

export async function loader() {
  throw data({ error: "method_not_allowed" }, { status: 405 });
}
