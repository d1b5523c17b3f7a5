/**
 * Disputes: a customer questions a whole invoice or some of its lines; a rep works it
 * in a thread (with internal notes the customer never sees) and resolves it with a
 * credit memo within their authority — above it the memo waits for a higher level —
 * or rejects it with an explanation. Every change is audited in its own transaction.
 */
import crypto from "node:crypto";
import type { z } from "zod";
import type { DisputeReason, Prisma, StaffLevel } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { CLAIM_TRANSACTION } from "../../utils/transactions.server";
import { isLanguage, type Language } from "../../i18n/config";
import { recipientFormatting } from "../mail/recipient-formatting.server";
import { recordAudit } from "../audit/audit.server";
import { checkCreditMemoAuthority, mayActOnEscalation } from "../authority/authority.server";
import { storeUploadsFor, type CheckedUpload } from "../files/stored-files.server";
import { queueEmail } from "../mail/outbox.server";
import { formatMoney, toMinor, type Money } from "../money/money";
import { amountErrorKey, parseAmountInput } from "../money/amount-input";
import { invoiceStatusFor } from "../payments/allocation";
import { isUniqueViolation } from "../payments/unique-violation";
import { invalidateAccount } from "../invoices/ledger-cache.server";
import { isOpen, OPEN_DISPUTE_STATUSES, openDisputeSchema } from "./dispute-schemas";
export { isOpen };

export type Actor = { id: string; staffLevel?: StaffLevel | null };
/** Refused: a translation key per form field (`form` for the whole request). */
type Refused = { ok: false; errors: Record<string, string> };
type Result<T> = { ok: true; value: T } | Refused;

function newNumber(prefix: string, accountNumber: string) {
  return `${prefix}-${accountNumber.replace("ACC-", "")}-${crypto.randomBytes(3).toString("hex").toUpperCase()}`;
}


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
  if (balance <= 0 || (invoice.status !== "OPEN" && invoice.status !== "PARTIALLY_PAID" && invoice.status !== "PAID")) return { ok: false, errors: { form: "disputes:errors.invoiceClosed" } };
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
  const dispute = await storeUploadsFor(input.files, (files) => db().$transaction(async (tx) => {
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
    await recordAudit({ actorId: input.userId, accountId: input.accountId, entity: "Dispute", entityId: created.id, action: "dispute_opened", after: { invoiceId: invoice.id, reason: input.reason, amountMinor: amount, lines: lineShares.length } }, tx);
    return created;
  }));
  if (!dispute) return { ok: false, errors: { amount: "disputes:errors.alreadyDisputed" } };
  invalidateAccount(input.accountId);
  return { ok: true, value: { id: dispute.id } };
}

async function openlyDisputedMinor(client: Pick<Prisma.TransactionClient, "dispute">, invoiceId: string): Promise<number> {
  const open = await client.dispute.aggregate({ where: { invoiceId, status: { in: [...OPEN_DISPUTE_STATUSES] } }, _sum: { amountMinor: true } });
  return toMinor(open._sum.amountMinor);
}

export async function addMessage(input: { disputeId: string; authorId: string; body: string; internal: boolean; files: CheckedUpload[]; accountId: string }) {
  await storeUploadsFor(input.files, (files) => db().$transaction(async (tx) => {
    const message = await tx.disputeMessage.create({ data: { disputeId: input.disputeId, authorId: input.authorId, body: input.body, internal: input.internal } });
    for (const f of files) await tx.disputeAttachment.create({ data: { disputeId: input.disputeId, messageId: message.id, ...f } });
    await recordAudit({ actorId: input.authorId, accountId: input.accountId, entity: "Dispute", entityId: input.disputeId, action: input.internal ? "dispute_note" : "dispute_message", after: { messageId: message.id } }, tx);
    return true;
  }));
}

export type DisputeView = {
  id: string;
  number: string;
  status: string;
  reason: string;
  language: string;
  amount: Money;
  createdAt: string;
  resolution: string | null;
  invoice: { id: string; number: string; balance: Money; status: string };
  account: { id: string; legalName: string; number: string };
  assignedTo: { id: string; name: string } | null;
  lines: { lineNo: number; description: string; amount: Money }[];
  messages: { id: string; body: string; internal: boolean; createdAt: string; author: string | null; fromCustomer: boolean; attachments: { id: string; fileName: string; sizeBytes: number }[] }[];
  pendingMemo: { id: string; number: string; amount: Money; requiredLevel: string | null } | null;
  memos: { number: string; amount: Money; status: string }[];
};

/**
 * One dispute as `viewer` may see it: a customer only their account's, and never the
 * internal notes; staff any. Null when not found (or not theirs).
 */
export async function disputeFor(viewer: { role: string; accountId: string | null }, disputeId: string): Promise<DisputeView | null> {
  const staff = viewer.role === "REP" || viewer.role === "MANAGER";
  const d = await db().dispute.findFirst({
    where: { id: disputeId, ...(staff ? {} : { accountId: viewer.accountId ?? "-" }) },
    include: {
      invoice: { select: { id: true, number: true, balanceMinor: true, status: true } },
      account: { select: { id: true, legalName: true, number: true } },
      lines: { include: { invoiceLine: { select: { lineNo: true, description: true } } } },
      messages: { where: staff ? {} : { internal: false }, orderBy: { createdAt: "asc" }, include: { attachments: true } },
      adjustments: { orderBy: { createdAt: "asc" } },
    },
  });
  if (!d) return null;
  const authorIds = [...new Set([d.assignedToId, ...d.messages.map((m) => m.authorId)].filter((x): x is string => Boolean(x)))];
  const authors = new Map((await db().user.findMany({ where: { id: { in: authorIds } }, select: { id: true, name: true, role: true } })).map((u) => [u.id, u]));
  const m = (v: bigint): Money => ({ amountMinor: toMinor(v), currency: d.currency });
  const pending = d.adjustments.find((a) => a.status === "PENDING_APPROVAL");
  return {
    id: d.id,
    number: d.number,
    status: d.status,
    reason: d.reason,
    language: d.language,
    amount: m(d.amountMinor),
    createdAt: d.createdAt.toISOString(),
    resolution: d.resolution,
    invoice: { id: d.invoice.id, number: d.invoice.number, balance: m(d.invoice.balanceMinor), status: d.invoice.status },
    account: d.account,
    assignedTo: d.assignedToId ? { id: d.assignedToId, name: authors.get(d.assignedToId)?.name ?? "" } : null,
    lines: d.lines.map((l) => ({ lineNo: l.invoiceLine.lineNo, description: l.invoiceLine.description, amount: m(l.amountMinor) })).sort((a, b) => a.lineNo - b.lineNo),
    messages: d.messages.map((msg) => {
      const author = msg.authorId ? authors.get(msg.authorId) : undefined;
      return {
        id: msg.id,
        body: msg.body,
        internal: msg.internal,
        createdAt: msg.createdAt.toISOString(),
        author: author?.name ?? null,
        fromCustomer: author?.role === "CUSTOMER",
        attachments: msg.attachments.map((a) => ({ id: a.id, fileName: a.fileName, sizeBytes: a.sizeBytes })),
      };
    }),
    pendingMemo: pending ? { id: pending.id, number: pending.number, amount: m(pending.amountMinor), requiredLevel: pending.requiredLevel } : null,
    memos: d.adjustments.map((a) => ({ number: a.number, amount: m(a.amountMinor), status: a.status })),
  };
}

export async function disputesOfAccount(accountId: string) {
  const rows = await db().dispute.findMany({
    where: { accountId },
    orderBy: { createdAt: "desc" },
    take: 200,
    include: { invoice: { select: { id: true, number: true } } },
  });
  return rows.map((d) => ({
    id: d.id, number: d.number, status: d.status, reason: d.reason, createdAt: d.createdAt.toISOString(),
    amount: { amountMinor: toMinor(d.amountMinor), currency: d.currency }, invoice: d.invoice,
  }));
}

/** The rep queue: open, in review and escalated disputes, oldest first. */
export async function disputeQueue(filter: { assigned?: "me" | "unassigned"; repId: string }) {
  const where: Prisma.DisputeWhereInput = { status: { in: [...OPEN_DISPUTE_STATUSES] } };
  if (filter.assigned === "me") where.assignedToId = filter.repId;
  if (filter.assigned === "unassigned") where.assignedToId = null;
  const rows = await db().dispute.findMany({
    where,
    orderBy: { createdAt: "asc" },
    take: 200,
    include: { account: { select: { legalName: true, number: true } }, invoice: { select: { number: true } } },
  });
  const reps = new Map((await db().user.findMany({ where: { id: { in: rows.map((r) => r.assignedToId).filter((x): x is string => Boolean(x)) } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  return rows.map((d) => ({
    id: d.id, number: d.number, status: d.status, reason: d.reason, language: d.language, createdAt: d.createdAt.toISOString(),
    amount: { amountMinor: toMinor(d.amountMinor), currency: d.currency }, account: d.account, invoiceNumber: d.invoice.number,
    assignedTo: d.assignedToId ? (reps.get(d.assignedToId) ?? null) : null,
  }));
}

export async function assignDispute(disputeId: string, actor: Actor, toUserId: string) {
  const d = await db().dispute.findUnique({ where: { id: disputeId } });
  if (!d || !isOpen(d.status)) return false;
  // Conditional on the status read, so an assignment racing a resolution never reopens the dispute.
  return db().$transaction(async (tx) => {
    const claimed = await tx.dispute.updateMany({ where: { id: disputeId, status: d.status }, data: { assignedToId: toUserId, status: d.status === "OPEN" ? "IN_REVIEW" : d.status } });
    if (claimed.count !== 1) return false;
    await recordAudit({ actorId: actor.id, accountId: d.accountId, entity: "Dispute", entityId: disputeId, action: "dispute_assigned", before: { assignedToId: d.assignedToId, status: d.status }, after: { assignedToId: toUserId } }, tx);
    return true;
  }, CLAIM_TRANSACTION);
}

async function notifyCustomer(disputeId: string, template: "dispute_reply" | "dispute_resolved" | "dispute_rejected", extra: Record<string, unknown> = {}) {
  const d = await db().dispute.findUniqueOrThrow({ where: { id: disputeId }, include: { invoice: { select: { number: true, balanceMinor: true, currency: true } } } });
  const user =
    (d.openedById ? await db().user.findFirst({ where: { id: d.openedById, accountId: d.accountId } }) : null) ??
    (await db().user.findFirst({ where: { accountId: d.accountId, role: "CUSTOMER", active: true } }));
  if (!user) return;
  const language: Language = isLanguage(user.preferredLanguage) ? user.preferredLanguage : isLanguage(d.language) ? d.language : "en";
  const { locale } = await recipientFormatting(user, language);
  await queueEmail({
    to: user.email,
    language,
    template,
    values: {
      name: user.name,
      number: d.number,
      invoice: d.invoice.number,
      balance: formatMoney({ amountMinor: toMinor(d.invoice.balanceMinor), currency: d.invoice.currency }, locale),
      resolution: d.resolution ?? "",
      ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, typeof v === "object" && v && "amountMinor" in v ? formatMoney(v as Money, locale) : v])),
    },
  });
}

export async function replyToCustomer(input: { disputeId: string; actor: Actor; body: string; files: CheckedUpload[] }) {
  const d = await db().dispute.findUniqueOrThrow({ where: { id: input.disputeId } });
  await addMessage({ disputeId: d.id, authorId: input.actor.id, body: input.body, internal: false, files: input.files, accountId: d.accountId });
  await notifyCustomer(d.id, "dispute_reply", { message: input.body });
}

/** Applies a posted credit memo to its invoice and closes the dispute — inside `tx`. */
async function postMemo(tx: Prisma.TransactionClient, adjustmentId: string, approverId: string, resolution: string) {
  const memo = await tx.adjustment.findUniqueOrThrow({ where: { id: adjustmentId } });
  const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: memo.invoiceId! } });
  const applied = Math.min(toMinor(memo.amountMinor), toMinor(invoice.balanceMinor));
  const balance = toMinor(invoice.balanceMinor) - applied;
  const status = invoiceStatusFor(toMinor(invoice.totalMinor), balance);
  await tx.invoice.update({ where: { id: invoice.id }, data: { balanceMinor: BigInt(balance), status } });
  await tx.adjustment.update({ where: { id: memo.id }, data: { status: "POSTED", approvedById: approverId, postedAt: new Date() } });
  const dispute = await tx.dispute.update({
    where: { id: memo.disputeId! },
    data: { status: "RESOLVED_CREDITED", resolution, resolvedById: approverId, resolvedAt: new Date() },
  });
  await recordAudit({ actorId: approverId, accountId: memo.accountId, entity: "Invoice", entityId: invoice.id, action: "credit_memo_applied", before: { balanceMinor: invoice.balanceMinor, status: invoice.status }, after: { balanceMinor: balance, status, adjustment: memo.number } }, tx);
  await recordAudit({ actorId: approverId, accountId: memo.accountId, entity: "Adjustment", entityId: memo.id, action: "credit_memo_posted", before: { status: memo.status }, after: { status: "POSTED", amountMinor: memo.amountMinor } }, tx);
  await recordAudit({ actorId: approverId, accountId: memo.accountId, entity: "Dispute", entityId: dispute.id, action: "dispute_resolved", after: { status: "RESOLVED_CREDITED", adjustment: memo.number } }, tx);
  return { amount: { amountMinor: applied, currency: memo.currency } };
}

/** Why an action did not happen; `conflict` when someone else changed the dispute first (409, not the rep's mistake). */
export type DisputeActionError = { ok: false; error: string; conflict?: boolean; forbidden?: boolean };

/** The outcome when a concurrent request already acted: the loser's answer, with nothing written and no email. */
const ALREADY_DONE: DisputeActionError = { ok: false, error: "disputes:errors.alreadyDone", conflict: true };

/** Serializes memos on one invoice: its balance and its cumulative credit are read and written under this lock. */
async function lockInvoice(tx: Prisma.TransactionClient, invoiceId: string) {
  await tx.$queryRaw`SELECT id FROM "Invoice" WHERE id = ${invoiceId} FOR UPDATE`;
}

/**
 * Resolves a dispute with a credit memo. Within the rep's authority (the memo, and all
 * credit on the invoice and the account in the period with it) it is posted and the
 * invoice balance follows; above it, the memo waits (PENDING_APPROVAL, the level
 * required) and the dispute is escalated — never posted. The dispute is claimed inside
 * the transaction, and one memo per dispute is a unique index, so requests that race
 * post one memo and send one email.
 */
export async function resolveWithCreditMemo(input: { disputeId: string; actor: Actor; amountMinor: number; resolution: string }): Promise<
  { ok: true; posted: boolean; requiredLevel?: string | null } | DisputeActionError
> {
  const d = await db().dispute.findUnique({ where: { id: input.disputeId }, include: { account: { select: { number: true } }, adjustments: { where: { status: "PENDING_APPROVAL" } } } });
  if (!d) return { ok: false, error: "disputes:errors.closed" };
  if (!isOpen(d.status)) return { ok: false, error: "disputes:errors.closed", conflict: true };
  if (d.adjustments.length) return { ok: false, error: "disputes:errors.memoPending", conflict: true };
  if (input.amountMinor <= 0) return { ok: false, error: "disputes:errors.amount" };
  const amount = { amountMinor: input.amountMinor, currency: d.currency };
  let outcome: { ok: true; posted: boolean; requiredLevel?: string | null } | DisputeActionError;
  try {
    outcome = await db().$transaction(async (tx) => {
      await lockInvoice(tx, d.invoiceId);
      const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: d.invoiceId } });
      if (input.amountMinor > toMinor(invoice.balanceMinor)) return { ok: false, error: "disputes:errors.memoTooHigh" } as const;
      const decision = await checkCreditMemoAuthority(input.actor.staffLevel ?? null, { amount, invoiceId: d.invoiceId, accountId: d.accountId }, tx);
      const claimed = await tx.dispute.updateMany({
        where: { id: d.id, status: d.status },
        data: decision.allowed ? { status: "RESOLVED_CREDITED" } : { status: "ESCALATED", resolution: input.resolution },
      });
      if (claimed.count !== 1) return ALREADY_DONE;
      const memo = await tx.adjustment.create({
        data: {
          number: newNumber("CM", d.account.number),
          accountId: d.accountId, invoiceId: d.invoiceId, disputeId: d.id, kind: "CREDIT_MEMO",
          amountMinor: BigInt(input.amountMinor), currency: d.currency, reason: input.resolution,
          status: "PENDING_APPROVAL", requiredLevel: decision.allowed ? null : decision.requiredLevel, requestedById: input.actor.id,
        },
      });
      await recordAudit({ actorId: input.actor.id, accountId: d.accountId, entity: "Adjustment", entityId: memo.id, action: "credit_memo_requested", after: { amountMinor: input.amountMinor, currency: d.currency, allowed: decision.allowed, requiredLevel: decision.allowed ? null : decision.requiredLevel } }, tx);
      if (decision.allowed) {
        await postMemo(tx, memo.id, input.actor.id, input.resolution);
        return { ok: true, posted: true } as const;
      }
      await recordAudit({ actorId: input.actor.id, accountId: d.accountId, entity: "Dispute", entityId: d.id, action: "dispute_escalated", before: { status: d.status }, after: { status: "ESCALATED", requiredLevel: decision.requiredLevel } }, tx);
      return { ok: true, posted: false, requiredLevel: decision.requiredLevel } as const;
    }, CLAIM_TRANSACTION);
  } catch (error) {
    // The unique memo-per-dispute index: another request posted it between our read and write.
    if (isUniqueViolation(error)) return ALREADY_DONE;
    throw error;
  }
  if (!outcome.ok) return outcome;
  invalidateAccount(d.accountId);
  if (outcome.posted) await notifyCustomer(d.id, "dispute_resolved", { amount });
  return outcome;
}

/**
 * A higher level approves an escalated memo: only a rep at the level it was escalated
 * to (or above), checked against their own authority again — with the invoice's and
 * the account's credit as it stands now — and claimed so it posts once.
 */
export async function approveCreditMemo(input: { disputeId: string; actor: Actor }): Promise<{ ok: true } | DisputeActionError> {
  const memo = await db().adjustment.findFirst({ where: { disputeId: input.disputeId, status: "PENDING_APPROVAL" } });
  if (!memo) return { ok: false, error: "disputes:errors.closed", conflict: true };
  if (!(await mayActOnEscalation(input.actor.staffLevel, memo.requiredLevel))) return { ok: false, error: "disputes:errors.escalatedAbove", forbidden: true };
  const d = await db().dispute.findUniqueOrThrow({ where: { id: input.disputeId } });
  const amount = { amountMinor: toMinor(memo.amountMinor), currency: memo.currency };
  const outcome = await db().$transaction(async (tx) => {
    await lockInvoice(tx, memo.invoiceId!);
    const decision = await checkCreditMemoAuthority(input.actor.staffLevel ?? null, { amount, invoiceId: memo.invoiceId!, accountId: memo.accountId }, tx);
    if (!decision.allowed) return { ok: false, error: "disputes:errors.aboveAuthority", forbidden: true } as const;
    const claimed = await tx.adjustment.updateMany({ where: { id: memo.id, status: "PENDING_APPROVAL" }, data: { approvedById: input.actor.id } });
    if (claimed.count === 0) return ALREADY_DONE;
    await postMemo(tx, memo.id, input.actor.id, d.resolution ?? memo.reason);
    return { ok: true } as const;
  }, CLAIM_TRANSACTION);
  if (!outcome.ok) return outcome;
  invalidateAccount(d.accountId);
  await notifyCustomer(d.id, "dispute_resolved", { amount });
  return { ok: true };
}

/** Rejects a dispute; one escalated to a level needs that level. Claimed, so racing rejections send one email. */
export async function rejectDispute(input: { disputeId: string; actor: Actor; resolution: string }): Promise<{ ok: true } | DisputeActionError> {
  const d = await db().dispute.findUnique({ where: { id: input.disputeId }, include: { adjustments: { where: { status: "PENDING_APPROVAL" } } } });
  if (!d) return { ok: false, error: "disputes:errors.closed" };
  if (!isOpen(d.status)) return { ok: false, error: "disputes:errors.closed", conflict: true };
  if (d.status === "ESCALATED" && !(await mayActOnEscalation(input.actor.staffLevel, d.adjustments[0]?.requiredLevel ?? null))) {
    return { ok: false, error: "disputes:errors.escalatedAbove", forbidden: true };
  }
  const done = await db().$transaction(async (tx) => {
    const claimed = await tx.dispute.updateMany({
      where: { id: d.id, status: d.status },
      data: { status: "REJECTED", resolution: input.resolution, resolvedById: input.actor.id, resolvedAt: new Date() },
    });
    if (claimed.count !== 1) return false;
    await tx.adjustment.updateMany({ where: { disputeId: d.id, status: "PENDING_APPROVAL" }, data: { status: "REJECTED" } });
    await recordAudit({ actorId: input.actor.id, accountId: d.accountId, entity: "Dispute", entityId: d.id, action: "dispute_rejected", before: { status: d.status }, after: { status: "REJECTED", resolution: input.resolution } }, tx);
    return true;
  }, CLAIM_TRANSACTION);
  if (!done) return ALREADY_DONE;
  invalidateAccount(d.accountId);
  await notifyCustomer(d.id, "dispute_rejected");
  return { ok: true };
}
