/**
 * The invoice delivery job: every new document of an account on the EMAIL or EDI path
 * gets a ledger row (UNIQUE document + path, inserted with ON CONFLICT DO NOTHING), and
 * every row that is due is claimed (FOR UPDATE SKIP LOCKED, a token and a lease) and
 * attempted. The attempt's effect — the outbox email with its PDF, or the interchange
 * row with its control number — commits in the same transaction as the row's move to
 * SENT, and only while the claim is still this attempt's; so two job processes, or a
 * rerun after a crash, deliver a document once per path. A failed attempt is retried
 * with backoff (policy `invoiceDelivery.retry`) until the attempts are used up.
 */
import crypto from "node:crypto";
import { Prisma } from "../../generated/prisma/client";
import { translatorFor } from "../../i18n/i18n.server";
import { db } from "../../utils/db.server";
import { getEnv, publicUrl } from "../../utils/config.server";
import { CLAIM_TRANSACTION } from "../../utils/transactions.server";
import { policyValue } from "../policy/policy-value.server";
import { accountLanguage } from "../collections/dunning.server";
import { postedCreditMemo } from "../invoices/credit-memo.server";
import { invoicePdf } from "../invoices/documents-pdf.server";
import { creditMemoPdf } from "../invoices/credit-memo-pdf.server";
import { invoiceForAccount } from "../invoices/invoice-detail.server";
import { sellerProfile } from "../invoices/seller.server";
import type { Job, JobResult } from "../jobs/runner.server";
import { mailDay, queueEmailInTransaction } from "../mail/outbox.server";
import { accountMailReader } from "../mail/recipient-formatting.server";
import { formattingFor } from "../../i18n/locale";
import { deliveryDocument, type DeliveryDocument } from "./delivery-documents.server";
import { DeliveryError, sendEdiFile } from "./edi-transport.server";
import { build810, X12DocumentError } from "./x12-810.server";

export type RetryPolicy = { maxAttempts: number; firstDelayMinutes: number; maxDelayMinutes: number };
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, firstDelayMinutes: 5, maxDelayMinutes: 240 };

/** How long a claim holds before another process may take the row over (a crashed attempt). */
const LEASE_MS = 10 * 60_000;
const BATCH = 50;

export type FailureCode = "transport" | "document" | "rejected" | "no_recipient" | "path_changed" | "missing";

class AttemptFailure extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** The claim was taken over (its lease ran out) before this attempt committed: it sends nothing. */
class LostClaim extends Error {}

export function retryDelayMs(policy: RetryPolicy, attempts: number): number {
  return Math.min(policy.maxDelayMinutes, policy.firstDelayMinutes * 2 ** Math.max(0, attempts - 1)) * 60_000;
}

/** Ledger rows for documents created on an EMAIL or EDI path since the account chose it. */
export async function queueNewDocuments(now: Date): Promise<number> {
  const invoices = await db().$executeRaw`
    INSERT INTO "InvoiceDelivery" (id, "accountId", "documentKind", "documentId", "documentNumber", path, "nextAttemptAt", "createdAt", "updatedAt")
    SELECT gen_random_uuid()::text, i."accountId", 'INVOICE', i.id, i.number, s.path, ${now}, ${now}, ${now}
    FROM "InvoiceDeliverySetting" s JOIN "Invoice" i ON i."accountId" = s."accountId"
    WHERE s.path IN ('EMAIL', 'EDI') AND i."createdAt" >= s."effectiveFrom" AND i.status <> 'VOID'
      AND NOT EXISTS (SELECT 1 FROM "InvoiceDelivery" d WHERE d."documentKind" = 'INVOICE' AND d."documentId" = i.id AND d.path = s.path)
    ON CONFLICT ("documentKind", "documentId", path) DO NOTHING`;
  const memos = await db().$executeRaw`
    INSERT INTO "InvoiceDelivery" (id, "accountId", "documentKind", "documentId", "documentNumber", path, "nextAttemptAt", "createdAt", "updatedAt")
    SELECT gen_random_uuid()::text, a."accountId", 'CREDIT_MEMO', a.id, a.number, s.path, ${now}, ${now}, ${now}
    FROM "InvoiceDeliverySetting" s JOIN "Adjustment" a ON a."accountId" = s."accountId"
    WHERE s.path IN ('EMAIL', 'EDI') AND a.kind = 'CREDIT_MEMO' AND a.status = 'POSTED' AND COALESCE(a."postedAt", a."createdAt") >= s."effectiveFrom"
      AND NOT EXISTS (SELECT 1 FROM "InvoiceDelivery" d WHERE d."documentKind" = 'CREDIT_MEMO' AND d."documentId" = a.id AND d.path = s.path)
    ON CONFLICT ("documentKind", "documentId", path) DO NOTHING`;
  return invoices + memos;
}

/** Claims due rows for this attempt (rows another process holds are skipped, not waited for). */
async function claimDue(now: Date, token: string): Promise<string[]> {
  const leaseUntil = new Date(now.getTime() + LEASE_MS);
  const rows = await db().$queryRaw<{ id: string }[]>`
    UPDATE "InvoiceDelivery" SET "claimToken" = ${token}, "claimedUntil" = ${leaseUntil}, "updatedAt" = ${now}
    WHERE id IN (
      SELECT id FROM "InvoiceDelivery"
      WHERE status IN ('QUEUED', 'RETRYING') AND "nextAttemptAt" <= ${now} AND ("claimedUntil" IS NULL OR "claimedUntil" < ${now})
      ORDER BY "nextAttemptAt", id LIMIT ${BATCH}
      FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  return rows.map((r) => r.id);
}

export async function runInvoiceDelivery({ now }: { now: Date }): Promise<JobResult> {
  const result: JobResult = { queued: await queueNewDocuments(now), sent: 0, retrying: 0, failed: 0 };
  const token = crypto.randomUUID();
  for (const id of await claimDue(now, token)) {
    const outcome = await attempt(id, token, now);
    if (outcome !== "lost") result[outcome]++;
  }
  return result;
}

/** The claim a re-send takes in the same transaction that queues the row again. */
export function claimFor(now: Date): { claimToken: string; claimedUntil: Date } {
  return { claimToken: crypto.randomUUID(), claimedUntil: new Date(now.getTime() + LEASE_MS) };
}

/**
 * Attempts a row this caller already holds (a rep's re-send). The claim is taken with the
 * re-queue rather than by `claimDue` afterwards: a concurrent re-send that lost the race
 * still holds a lock on the row until its transaction ends, and SKIP LOCKED would then
 * skip the row and leave it for the next job run.
 */
export async function deliverClaimed(deliveryId: string, claimToken: string, now: Date): Promise<"sent" | "retrying" | "failed" | "lost"> {
  return attempt(deliveryId, claimToken, now);
}

type Claimed = {
  id: string;
  accountId: string;
  documentKind: "INVOICE" | "CREDIT_MEMO";
  documentId: string;
  path: "PORTAL" | "EMAIL" | "EDI";
  attempts: number;
};

async function attempt(id: string, token: string, now: Date): Promise<"sent" | "retrying" | "failed" | "lost"> {
  const row = await db().invoiceDelivery.findUnique({ where: { id } });
  if (!row || row.claimToken !== token) return "lost";
  try {
    const setting = await db().invoiceDeliverySetting.findUnique({ where: { accountId: row.accountId } });
    if (!setting || setting.path !== row.path)
      throw new AttemptFailure("path_changed", `the account's delivery path is now ${setting?.path ?? "PORTAL"}`, true);
    const document = await deliveryDocument(row.documentKind, row.documentId);
    if (!document) throw new AttemptFailure("missing", `${row.documentKind} ${row.documentId} no longer exists or is not posted`, true);
    if (row.path === "EMAIL") await sendByEmail(row, token, now, document, setting.billingEmails);
    else if (row.path === "EDI") await sendByEdi(row, token, now, document, setting);
    return "sent";
  } catch (error) {
    if (error instanceof LostClaim) return "lost";
    const failure =
      error instanceof AttemptFailure
        ? error
        : error instanceof X12DocumentError
          ? new AttemptFailure("document", error.message, true)
          : new AttemptFailure("transport", error instanceof Error ? error.message : String(error), false);
    return recordFailure(row, token, now, failure);
  }
}

async function recordFailure(row: Claimed, token: string, now: Date, failure: AttemptFailure): Promise<"retrying" | "failed" | "lost"> {
  const policy = await policyValue<RetryPolicy>("invoiceDelivery.retry", DEFAULT_RETRY);
  const attempts = row.attempts + 1;
  const giveUp = failure.permanent || attempts >= policy.maxAttempts;
  const updated = await db().invoiceDelivery.updateMany({
    where: { id: row.id, claimToken: token },
    data: {
      attempts,
      status: giveUp ? "FAILED" : "RETRYING",
      lastErrorCode: failure.code,
      lastError: failure.message.slice(0, 500),
      nextAttemptAt: new Date(now.getTime() + retryDelayMs(policy, attempts)),
      claimToken: null,
      claimedUntil: null,
    },
  });
  return updated.count ? (giveUp ? "failed" : "retrying") : "lost";
}

/** Inside the attempt's transaction: the row moves to SENT only while this attempt still holds it. */
async function markSent(tx: Prisma.TransactionClient, row: Claimed, token: string, now: Date, extra: { emailId?: string } = {}) {
  const updated = await tx.invoiceDelivery.updateMany({
    where: { id: row.id, claimToken: token, status: { in: ["QUEUED", "RETRYING"] } },
    data: { status: "SENT", attempts: row.attempts + 1, sentAt: now, lastErrorCode: null, lastError: null, claimToken: null, claimedUntil: null, ...extra },
  });
  if (updated.count !== 1) throw new LostClaim();
}

async function sendByEmail(row: Claimed, token: string, now: Date, document: DeliveryDocument, billingEmails: string[]) {
  if (!billingEmails.length) throw new AttemptFailure("no_recipient", "the account has no billing email address", true);
  const account = await db().account.findUniqueOrThrow({
    where: { id: row.accountId },
    select: { legalName: true, number: true, preferredLanguage: true, locale: true },
  });
  const language = accountLanguage(account);
  const reader = await accountMailReader(row.accountId, language);
  const { locale } = formattingFor(language, reader);
  // The account's regional words too (es-ES reads "reclamación" where Mexico reads "aclaración").
  const t = await translatorFor(language, locale);
  let attachment: { fileName: string; contentType: string; content: Uint8Array };
  if (document.kind === "INVOICE") {
    const detail = await invoiceForAccount(row.accountId, document.id, now);
    if (!detail) throw new AttemptFailure("missing", `invoice ${document.number} not found`, true);
    const pdf = await invoicePdf(detail, t, locale, await sellerProfile());
    attachment = { fileName: `${t("delivery:mail.fileName")}-${document.number}.pdf`, contentType: "application/pdf", content: pdf };
  } else {
    const memo = await postedCreditMemo(document.id, row.accountId);
    if (!memo) throw new AttemptFailure("missing", `credit memo ${document.number} not found or not posted`, true);
    const pdf = await creditMemoPdf(memo, await sellerProfile(), t, locale);
    attachment = { fileName: `${t("delivery:mail.memoFileName")}-${document.number}.pdf`, contentType: "application/pdf", content: pdf };
  }
  const attachments = [attachment];
  const template = document.kind === "INVOICE" ? "invoice_delivery" : "credit_memo_delivery";
  const values = {
    company: account.legalName,
    account: account.number,
    number: document.number,
    amount: { amountMinor: document.totalMinor, currency: document.currency },
    issuedOn: mailDay(document.issuedOn, "long"),
    dueOn: document.dueOn ? mailDay(document.dueOn, "long") : "",
    invoice: document.originalInvoiceNumber ?? "",
    link: publicUrl(document.invoiceId ? `/invoices/${encodeURIComponent(document.invoiceId)}` : "/invoices"),
  };
  const delivered = await db().$transaction(async (tx) => {
    const stored = [];
    for (const to of billingEmails) stored.push(await queueEmailInTransaction(tx, { to, reader, template, values, attachments }));
    await markSent(tx, row, token, now, { emailId: stored[0].row.id });
    return stored;
  }, CLAIM_TRANSACTION);
  for (const mail of delivered) await mail.deliver();
}

async function sendByEdi(
  row: Claimed,
  token: string,
  now: Date,
  document: DeliveryDocument,
  setting: { ediQualifier: string | null; ediInterchangeId: string | null; ediGroupId: string | null; ediTarget: string },
) {
  if (!setting.ediQualifier || !setting.ediInterchangeId || !setting.ediGroupId)
    throw new AttemptFailure("no_recipient", "the account has no EDI trading-partner identifiers", true);
  const env = getEnv();
  const receiver = { qualifier: setting.ediQualifier, interchangeId: setting.ediInterchangeId, groupId: setting.ediGroupId };
  const sender = { qualifier: env.EDI_SENDER_QUALIFIER, interchangeId: env.EDI_SENDER_ID, groupId: env.EDI_SENDER_ID };
  let undo: (() => Promise<void>) | undefined;
  try {
    await db().$transaction(async (tx) => {
      await markSent(tx, row, token, now);
      // The control number is the row's sequence value: taken in this transaction, never reused even if it rolls back.
      const interchange = await tx.ediInterchange.create({ data: { deliveryId: row.id, accountId: row.accountId, fileName: "", content: "" } });
      const content = build810({
        document,
        sender,
        receiver,
        controlNumber: interchange.controlNumber,
        at: now,
        usage: env.NODE_ENV === "production" ? "P" : "T",
      });
      const fileName = `810-${String(interchange.controlNumber).padStart(9, "0")}.x12`;
      await tx.ediInterchange.update({ where: { controlNumber: interchange.controlNumber }, data: { fileName, content } });
      // Last, so nothing after it can roll the transaction back but the commit itself.
      undo = (await sendEdiFile(setting.ediTarget, setting.ediInterchangeId!, fileName, content)).undo;
    }, CLAIM_TRANSACTION);
  } catch (error) {
    await undo?.().catch(() => undefined);
    if (error instanceof DeliveryError) throw new AttemptFailure("transport", error.message, false);
    throw error;
  }
}

export const invoiceDeliveryJob: Job = { name: "invoice-delivery", run: ({ now }) => runInvoiceDelivery({ now: now() }) };
