import nodemailer, { type Transporter } from "nodemailer";
import type { Prisma } from "../../generated/prisma/client";
import { getEnv } from "../../utils/config.server";
import type { Language } from "../../i18n/config";
import { translatorFor } from "../../i18n/i18n.server";
import { db } from "../../utils/db.server";

export type EmailTemplate =
  | "password_reset"
  | "payment_receipt"
  | "orders_released"
  | "dispute_reply"
  | "dispute_resolved"
  | "dispute_resolved_credit"
  | "dispute_rejected"
  | "promise_broken"
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
  | "credit_payment_requested"
  | "dunning_notice"
  | "invoice_delivery"
  | "credit_memo_delivery";

let transport: { url: string; instance: Transporter } | undefined;

export type EmailInput = {
  to: string;
  language: Language;
  /** The recipient's formatting locale: its regional words where they differ (es-ES). */
  locale?: string | null;
  template: EmailTemplate;
  values: Record<string, unknown>;
  secretValues?: Record<string, string>;
  /** Files sent with the mail (an invoice PDF); stored with the outbox copy. */
  attachments?: { fileName: string; contentType: string; content: Uint8Array }[];
};

type OutboxClient = Pick<Prisma.TransactionClient, "outboxEmail" | "outboxAttachment">;

/**
 * Every email is written to the outbox table first, in the recipient's language.
 * With SMTP_URL it is then delivered; the outbox page (MAIL_OUTBOX) shows staff the
 * stored copy.
 *
 * `secretValues` (a reset or welcome link: whoever holds it holds the account) go into
 * the delivered mail only. The stored copy says in their place that one was sent
 * (`mail:<template>.hidden<Name>`), so neither the outbox page nor a database reader
 * ever learns a working link.
 */
export async function queueEmail(input: EmailInput) {
  const { row, deliver } = await storeEmail(input, db());
  await deliver();
  return row;
}

/**
 * The same, for mail that must exist exactly when a change commits (a dunning step and
 * its notice): the outbox row is written through `tx`; call `deliver` after the commit.
 */
export async function queueEmailInTransaction(tx: OutboxClient, input: EmailInput) {
  return storeEmail(input, tx);
}

async function storeEmail(input: EmailInput, client: OutboxClient) {
  const t = await translatorFor(input.language, input.locale);
  const secrets = Object.entries(input.secretValues ?? {});
  const hidden = Object.fromEntries(secrets.map(([name]) => [name, t(`mail:${input.template}.hidden${name[0].toUpperCase()}${name.slice(1)}`)]));
  const subject = t(`mail:${input.template}.subject`, input.values);
  const storedText = t(`mail:${input.template}.text`, { ...input.values, ...hidden });
  const row = await client.outboxEmail.create({
    data: { to: input.to, subject, text: storedText, language: input.language, template: input.template },
  });
  const attachments = input.attachments ?? [];
  for (const file of attachments)
    await client.outboxAttachment.create({
      data: {
        emailId: row.id,
        fileName: file.fileName,
        contentType: file.contentType,
        sizeBytes: file.content.byteLength,
        contentBase64: Buffer.from(file.content).toString("base64"),
      },
    });
  const deliver = async () => {
    const { SMTP_URL, MAIL_FROM } = getEnv();
    if (!SMTP_URL) return;
    const text = secrets.length ? t(`mail:${input.template}.text`, { ...input.values, ...input.secretValues }) : storedText;
    if (transport?.url !== SMTP_URL) transport = { url: SMTP_URL, instance: nodemailer.createTransport(SMTP_URL) };
    try {
      await transport.instance.sendMail({
        from: MAIL_FROM,
        to: input.to,
        subject,
        text,
        attachments: attachments.map((file) => ({ filename: file.fileName, contentType: file.contentType, content: Buffer.from(file.content) })),
      });
      await db().outboxEmail.update({ where: { id: row.id }, data: { status: "SENT", sentAt: new Date() } });
    } catch (error) {
      await db().outboxEmail.update({ where: { id: row.id }, data: { status: "FAILED", error: String(error).slice(0, 500) } });
    }
  };
  return { row, deliver };
}

/** The staff outbox page exists: MAIL_OUTBOX (on by default in development without SMTP_URL). */
export function outboxEnabled(): boolean {
  return getEnv().MAIL_OUTBOX;
}
