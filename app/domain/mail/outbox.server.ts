import nodemailer, { type Transporter } from "nodemailer";
import { getEnv } from "../../../server/env";
import type { Language } from "../../i18n/config";
import { translatorFor } from "../../i18n/i18n.server";
import { db } from "../../utils/db.server";

export type EmailTemplate =
  | "password_reset"
  | "payment_receipt"
  | "orders_released"
  | "dispute_reply"
  | "dispute_resolved"
  | "dispute_rejected"
  | "chat_offline_received"
  | "chat_reply"
  | "chat_transcript"
  | "account_welcome"
  | "credit_submitted"
  | "credit_decision"
  | "credit_approved"
  | "credit_counter_offer"
  | "credit_escalated"
  | "credit_info_requested"
  | "credit_payment_requested";

let transport: Transporter | undefined;

/**
 * Every email is written to the outbox table first, in the recipient's language.
 * With SMTP_URL it is then delivered; without, the outbox page is where it is read.
 */
export async function queueEmail(input: { to: string; language: Language; template: EmailTemplate; values: Record<string, unknown> }) {
  const t = await translatorFor(input.language);
  const subject = t(`mail:${input.template}.subject`, input.values);
  const text = t(`mail:${input.template}.text`, input.values);
  const row = await db().outboxEmail.create({
    data: { to: input.to, subject, text, language: input.language, template: input.template },
  });
  const { SMTP_URL, MAIL_FROM } = getEnv();
  if (SMTP_URL) {
    transport ??= nodemailer.createTransport(SMTP_URL);
    try {
      await transport.sendMail({ from: MAIL_FROM, to: input.to, subject, text });
      await db().outboxEmail.update({ where: { id: row.id }, data: { status: "SENT", sentAt: new Date() } });
    } catch (error) {
      await db().outboxEmail.update({ where: { id: row.id }, data: { status: "FAILED", error: String(error).slice(0, 500) } });
    }
  }
  return row;
}

export function outboxEnabled(): boolean {
  return !getEnv().SMTP_URL;
}
