import nodemailer, { type Transporter } from "nodemailer";
import type { Prisma } from "../../generated/prisma/client";
import { getEnv } from "../../utils/config.server";
import type { Language } from "../../i18n/config";
import { formatterFor } from "../../i18n/format";
import { translatorFor } from "../../i18n/i18n.server";
import { formattingFor, type Formatting } from "../../i18n/locale";
import { db } from "../../utils/db.server";
import { formatMoney, toMinor } from "../money/money";

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

/**
 * Who reads a mail: the language it is written in, and the recipient's formatting locale
 * (its regional words where they differ, es-ES) and time zone. Resolve it once with
 * `mailReaderFor` / `accountMailReader` (recipient-formatting.server.ts); the renderer
 * formats every amount and date in it, so no caller formats its own.
 */
export type MailReader = { language: Language; locale?: string | null; timeZone?: string | null };

/**
 * A calendar day (a due date, stored as UTC midnight): shown without a zone shift; or,
 * `zoned`, the day a moment falls on in the reader's time zone (an offer's expiry).
 */
export type MailDay = { mailDay: Date | string; style?: "medium" | "long"; zoned?: boolean };
/** A moment written out in full (December 8, 2026, 3:00 PM CST): a link's expiry, in the reader's zone, named. */
export type MailMoment = { mailMoment: Date };
/** A sentence of another template key, rendered for the same reader with its own values. */
export type MailText = { mailText: string; values?: Record<string, MailValue> };
/** Values joined into one (lines of a notice). */
export type MailJoin = { mailJoin: MailValue[]; separator?: string };
/**
 * What a template value may be: plain text and numbers as they are; money
 * ({ amountMinor, currency }) in the reader's locale; a Date as a moment in the reader's
 * time zone, naming it (`MailMoment`: written out in full); a `MailDay` as a calendar day; a `MailText` or `MailJoin` rendered
 * with the same reader.
 */
export type MailValue =
  string | number | boolean | null | undefined | Date | { amountMinor: number | bigint; currency: string } | MailDay | MailMoment | MailText | MailJoin;

export const mailDay = (value: Date | string, style: MailDay["style"] = "medium", zoned = false): MailDay => ({ mailDay: value, style, zoned });
export const mailMoment = (value: Date): MailMoment => ({ mailMoment: value });
export const mailText = (key: string, values: Record<string, MailValue> = {}): MailText => ({ mailText: key, values });
export const mailJoin = (values: MailValue[], separator = "\n"): MailJoin => ({ mailJoin: values, separator });

type Translate = Awaited<ReturnType<typeof translatorFor>>;

// Building an Intl.DateTimeFormat costs far more than using one (most of rendering a receipt): one per locale and options.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions) {
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) dateFormats.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

function renderValue(value: MailValue, t: Translate, formatting: Formatting): string | number | boolean | null | undefined {
  if (value === null || value === undefined || typeof value !== "object") return value;
  if (value instanceof Date) return formatterFor(formatting).dateTimeWithZone(value);
  if ("amountMinor" in value) return formatMoney({ amountMinor: toMinor(value.amountMinor), currency: value.currency }, formatting.locale);
  if ("mailDay" in value) {
    const day = typeof value.mailDay === "string" ? new Date(value.mailDay) : value.mailDay;
    return value.style === "long" || value.zoned
      ? dateFormat(formatting.locale, { dateStyle: value.style ?? "medium", timeZone: value.zoned ? formatting.timeZone : "UTC" }).format(day)
      : formatterFor(formatting).date(day);
  }
  if ("mailMoment" in value)
    return dateFormat(formatting.locale, {
      year: "numeric",
      month: "long",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZone: formatting.timeZone,
      timeZoneName: "short",
    }).format(value.mailMoment);
  if ("mailText" in value) return t(value.mailText, renderValues(value.values ?? {}, t, formatting));
  if ("mailJoin" in value) return value.mailJoin.map((v) => renderValue(v, t, formatting) ?? "").join(value.separator ?? "\n");
  return String(value);
}

function renderValues(values: Record<string, MailValue>, t: Translate, formatting: Formatting) {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, renderValue(v, t, formatting)]));
}

/** The words and formats of one reader: the same translate function and formatting every mail part uses. */
export async function mailRendering(reader: MailReader) {
  const formatting = formattingFor(reader.language, reader);
  const t = await translatorFor(reader.language, formatting.locale);
  return { t, formatting, render: (values: Record<string, MailValue>) => renderValues(values, t, formatting) };
}

export type EmailInput = {
  to: string;
  reader: MailReader;
  template: EmailTemplate;
  values: Record<string, MailValue>;
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
  const mail = await composeEmail(input);
  const row = await client.outboxEmail.create({ data: mail.stored });
  for (const file of input.attachments ?? [])
    await client.outboxAttachment.create({
      data: {
        emailId: row.id,
        fileName: file.fileName,
        contentType: file.contentType,
        sizeBytes: file.content.byteLength,
        contentBase64: Buffer.from(file.content).toString("base64"),
      },
    });
  return { row, deliver: () => mail.deliver(row.id) };
}

/**
 * A mail rendered for its reader: `stored` is its outbox row (secrets hidden), `deliver`
 * sends it over SMTP_URL once that row exists as `id`. For writers that store many
 * mails in one statement (payments applied in a batch); everyone else calls queueEmail.
 */
export async function composeEmail(input: EmailInput) {
  const { t, render } = await mailRendering(input.reader);
  const values = render(input.values);
  const secrets = Object.entries(input.secretValues ?? {});
  const hidden = Object.fromEntries(secrets.map(([name]) => [name, t(`mail:${input.template}.hidden${name[0].toUpperCase()}${name.slice(1)}`)]));
  const subject = t(`mail:${input.template}.subject`, values);
  const storedText = t(`mail:${input.template}.text`, { ...values, ...hidden });
  const attachments = input.attachments ?? [];
  const deliver = async (id: string) => {
    const { SMTP_URL, MAIL_FROM } = getEnv();
    if (!SMTP_URL) return;
    const text = secrets.length ? t(`mail:${input.template}.text`, { ...values, ...input.secretValues }) : storedText;
    if (transport?.url !== SMTP_URL) transport = { url: SMTP_URL, instance: nodemailer.createTransport(SMTP_URL) };
    try {
      await transport.instance.sendMail({
        from: MAIL_FROM,
        to: input.to,
        subject,
        text,
        attachments: attachments.map((file) => ({ filename: file.fileName, contentType: file.contentType, content: Buffer.from(file.content) })),
      });
      await db().outboxEmail.update({ where: { id }, data: { status: "SENT", sentAt: new Date() } });
    } catch (error) {
      await db().outboxEmail.update({ where: { id }, data: { status: "FAILED", error: String(error).slice(0, 500) } });
    }
  };
  return { stored: { to: input.to, subject, text: storedText, language: input.reader.language, template: input.template }, deliver };
}

/** The staff outbox page exists: MAIL_OUTBOX (on by default in development without SMTP_URL). */
export function outboxEnabled(): boolean {
  return getEnv().MAIL_OUTBOX;
}
