/**
 * How a dispute is opened: a customer (or a rep for them) questions a whole invoice or
 * some of its lines, for up to what the invoice still owes beyond its open disputes.
 */
import type { z } from "zod";
import type { DisputeReason, Prisma } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { isLanguage } from "../../i18n/config";
import { recordAudit } from "../audit/audit.server";
import { storeUploadsFor, type CheckedUpload } from "../files/stored-files.server";
import { toMinor } from "../money/money";
import { amountErrorKey, parseAmountInput } from "../money/amount-input";
import { invalidateAccount } from "../invoices/ledger-cache.server";
import { OPEN_DISPUTE_STATUSES, openDisputeSchema } from "./dispute-schemas";
import { newNumber } from "./dispute-numbers.server";

/** Refused: a translation key per form field (`form` for the whole request). */
type Refused = { ok: false; errors: Record<string, string> };
type Result<T> = { ok: true; value: T } | Refused;

export type OpenDisputeFields = z.infer<typeof openDisputeSchema>;

/** What a customer (or a rep for them) asks to dispute, read and typed. */
export type DisputeRequest = {
  invoiceId: string;
  reason: DisputeReason;
  /** The invoice lines questioned; null for the whole invoice. */
  lineIds: string[] | null;
  /** null: everything not yet disputed (of the chosen lines). */
  amountMinor: number | null;
  message: string;
};

/**
 * The dispute form's fields as a request: the amount typed the way the sender writes
 * numbers (`locale`), in the currency of the account's invoice it names.
 */
export async function disputeRequestFrom(accountId: string, fields: OpenDisputeFields, locale: string): Promise<{ ok: true; value: DisputeRequest } | Refused> {
  const request = { invoiceId: fields.invoiceId, reason: fields.reason, lineIds: fields.scope === "lines" ? fields.lineIds : null, message: fields.message };
  if (fields.amount === "") return { ok: true, value: { ...request, amountMinor: null } };
  const invoice = await db().invoice.findFirst({ where: { id: fields.invoiceId, accountId }, select: { currency: true } });
  if (!invoice) return { ok: false, errors: { form: "disputes:errors.invoice" } };
  const read = parseAmountInput(fields.amount, locale, invoice.currency);
  if (!read.ok) return { ok: false, errors: { amount: amountErrorKey(read.error, locale) } };
  return { ok: true, value: { ...request, amountMinor: read.amountMinor } };
}

/**
 * Opens a dispute on one invoice of the account. `files` are checked in memory and
 * written only with the dispute that references them.
 */
export async function openDispute(
  input: DisputeRequest & { accountId: string; userId: string; language: string; files: CheckedUpload[] },
): Promise<Result<{ id: string }>> {
  const invoice = await db().invoice.findFirst({
    where: { id: input.invoiceId, accountId: input.accountId },
    include: { lines: true, account: { select: { number: true } } },
  });
  if (!invoice) return { ok: false, errors: { form: "disputes:errors.invoice" } };
  // A paid invoice may still be disputed: that is a claim for a credit or refund of up to what was invoiced.
  const balance = invoice.status === "PAID" ? toMinor(invoice.totalMinor) : toMinor(invoice.balanceMinor);
  if (balance <= 0 || (invoice.status !== "OPEN" && invoice.status !== "PARTIALLY_PAID" && invoice.status !== "PAID"))
    return { ok: false, errors: { form: "disputes:errors.invoiceClosed" } };
  const chosen = input.lineIds;
  const lines = chosen ? invoice.lines.filter((l) => chosen.includes(l.id)) : [];
  if (chosen && (lines.length === 0 || lines.length !== new Set(chosen).size)) return { ok: false, errors: { lineId: "disputes:errors.lines" } };
  // Open disputes on one invoice never claim more than it owes.
  const undisputed = balance - (await openlyDisputedMinor(db(), invoice.id));
  if (undisputed <= 0) return { ok: false, errors: { form: "disputes:errors.alreadyDisputed" } };
  const ceiling = Math.min(undisputed, chosen ? lines.reduce((s, l) => s + toMinor(l.amountMinor), 0) : undisputed);
  const amount = input.amountMinor ?? ceiling;
  if (amount <= 0) return { ok: false, errors: { amount: "disputes:errors.amount" } };
  if (amount > ceiling) return { ok: false, errors: { amount: "disputes:errors.amountTooHigh" } };

  // Line shares: each chosen line up to its amount, in line order, summing to the disputed amount.
  let left = amount;
  const lineShares = lines
    .sort((a, b) => a.lineNo - b.lineNo)
    .map((l) => {
      const share = Math.min(left, toMinor(l.amountMinor));
      left -= share;
      return { invoiceLineId: l.id, amountMinor: BigInt(share) };
    })
    .filter((l) => l.amountMinor > 0n);

  // The files are written only now that the form is valid, and removed again if the dispute is not recorded.
  const dispute = await storeUploadsFor(input.files, (files) =>
    db().$transaction(async (tx) => {
      // Two disputes opened at once on one invoice: the second waits here and sees the first.
      await tx.$queryRaw`SELECT id FROM "Invoice" WHERE id = ${invoice.id} FOR UPDATE`;
      if (amount > balance - (await openlyDisputedMinor(tx, invoice.id))) return null;
      const created = await tx.dispute.create({
        data: {
          number: newNumber("DSP", invoice.account.number),
          accountId: input.accountId,
          invoiceId: invoice.id,
          reason: input.reason,
          amountMinor: BigInt(amount),
          currency: invoice.currency,
          language: isLanguage(input.language) ? input.language : "en",
          openedById: input.userId,
          lines: { create: lineShares },
        },
      });
      const message = await tx.disputeMessage.create({ data: { disputeId: created.id, authorId: input.userId, body: input.message } });
      for (const f of files) await tx.disputeAttachment.create({ data: { disputeId: created.id, messageId: message.id, ...f } });
      await recordAudit(
        {
          actorId: input.userId,
          accountId: input.accountId,
          entity: "Dispute",
          entityId: created.id,
          action: "dispute_opened",
          after: { invoiceId: invoice.id, reason: input.reason, amountMinor: amount, lines: lineShares.length },
        },
        tx,
      );
      return created;
    }),
  );
  if (!dispute) return { ok: false, errors: { amount: "disputes:errors.alreadyDisputed" } };
  invalidateAccount(input.accountId);
  return { ok: true, value: { id: dispute.id } };
}

/**
 * What a customer may still dispute on an invoice: its open balance, or — once paid —
 * what was invoiced, less what open disputes already claim. The form's hint says it.
 */
export async function disputableMinor(invoice: { id: string; status: string; totalMinor: number; balanceMinor: number }): Promise<number> {
  const base = invoice.status === "PAID" ? invoice.totalMinor : invoice.balanceMinor;
  return Math.max(0, base - (await openlyDisputedMinor(db(), invoice.id)));
}

async function openlyDisputedMinor(client: Pick<Prisma.TransactionClient, "dispute">, invoiceId: string): Promise<number> {
  const open = await client.dispute.aggregate({ where: { invoiceId, status: { in: [...OPEN_DISPUTE_STATUSES] } }, _sum: { amountMinor: true } });
  return toMinor(open._sum.amountMinor);
}
