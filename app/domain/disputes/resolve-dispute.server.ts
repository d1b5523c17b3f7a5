/**
 * Resolving a dispute: with a credit memo within the rep's authority — above it the memo
 * waits for a higher level — or rejected with an explanation. Every change is audited in
 * its own transaction, and each is claimed so racing requests act once.
 *
 * A memo may credit what may still be credited on the invoice (its total less memos and
 * write-offs already posted on it, never more than the dispute claims), not only its open
 * balance: a paid or partly paid invoice can be disputed. The part up to the open balance
 * lowers the balance; the part above it becomes account credit (payments/account-credit).
 */
import type { Prisma } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { CLAIM_TRANSACTION } from "../../utils/transactions.server";
import { recordAudit } from "../audit/audit.server";
import { checkCreditMemoAuthority, mayActOnEscalation } from "../authority/authority.server";
import { toMinor, type Money } from "../money/money";
import { invoiceStatusFor } from "../payments/allocation";
import { isUniqueViolation } from "../payments/unique-violation";
import { invalidateAccount } from "../invoices/ledger-cache.server";
import { afterBalanceLowered } from "../payments/after-payment.server";
import { isOpen } from "./dispute-schemas";
import { newNumber, type Actor } from "./dispute-numbers.server";
import { notifyCustomer } from "./dispute-notices.server";
import { createAccountCredit } from "../payments/account-credit.server";

/**
 * What a memo on this dispute may credit at most: the invoice's total less the credit memos
 * and write-offs already posted on it, and never more than the dispute claims.
 */
export async function creditableMinor(
  client: Pick<Prisma.TransactionClient, "adjustment">,
  invoice: { id: string; totalMinor: bigint | number },
  disputedMinor: bigint | number,
): Promise<number> {
  const posted = await client.adjustment.aggregate({
    where: { invoiceId: invoice.id, status: "POSTED", kind: { in: ["CREDIT_MEMO", "WRITE_OFF"] } },
    _sum: { amountMinor: true },
  });
  return Math.max(0, Math.min(toMinor(disputedMinor), toMinor(invoice.totalMinor) - toMinor(posted._sum.amountMinor ?? 0n)));
}

/**
 * Applies a posted credit memo to its invoice and closes the dispute — inside `tx`. The part
 * above the invoice's open balance (as it stands now) becomes account credit.
 */
async function postMemo(
  tx: Prisma.TransactionClient,
  adjustmentId: string,
  approverId: string,
  resolution: string,
): Promise<{ applied: Money; credit: Money }> {
  const memo = await tx.adjustment.findUniqueOrThrow({ where: { id: adjustmentId } });
  const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: memo.invoiceId! } });
  const applied = Math.min(toMinor(memo.amountMinor), Math.max(0, toMinor(invoice.balanceMinor)));
  const credit = toMinor(memo.amountMinor) - applied;
  const balance = toMinor(invoice.balanceMinor) - applied;
  const status = invoiceStatusFor(toMinor(invoice.totalMinor), balance);
  await tx.invoice.update({ where: { id: invoice.id }, data: { balanceMinor: BigInt(balance), status } });
  await tx.adjustment.update({ where: { id: memo.id }, data: { status: "POSTED", approvedById: approverId, postedAt: new Date() } });
  const dispute = await tx.dispute.update({
    where: { id: memo.disputeId! },
    data: { status: "RESOLVED_CREDITED", resolution, resolvedById: approverId, resolvedAt: new Date() },
  });
  await recordAudit(
    {
      actorId: approverId,
      accountId: memo.accountId,
      entity: "Invoice",
      entityId: invoice.id,
      action: "credit_memo_applied",
      before: { balanceMinor: invoice.balanceMinor, status: invoice.status },
      after: { balanceMinor: balance, status, adjustment: memo.number, ...(credit > 0 ? { accountCreditMinor: credit } : {}) },
    },
    tx,
  );
  if (credit > 0) await createAccountCredit(tx, memo, credit, approverId);
  await recordAudit(
    {
      actorId: approverId,
      accountId: memo.accountId,
      entity: "Adjustment",
      entityId: memo.id,
      action: "credit_memo_posted",
      before: { status: memo.status },
      after: { status: "POSTED", amountMinor: memo.amountMinor },
    },
    tx,
  );
  await recordAudit(
    {
      actorId: approverId,
      accountId: memo.accountId,
      entity: "Dispute",
      entityId: dispute.id,
      action: "dispute_resolved",
      after: { status: "RESOLVED_CREDITED", adjustment: memo.number },
    },
    tx,
  );
  return { applied: { amountMinor: applied, currency: memo.currency }, credit: { amountMinor: credit, currency: memo.currency } };
}

/** Why an action did not happen; `conflict` when someone else changed the dispute first (409, not the rep's mistake). */
export type DisputeActionError = { ok: false; error: string; conflict?: boolean; forbidden?: boolean };

/** A posted memo: what lowered the invoice balance and what became account credit (zero when none). */
export type PostedMemo = { ok: true; posted: true; applied: Money; credit: Money };

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
export async function resolveWithCreditMemo(input: {
  disputeId: string;
  actor: Actor;
  amountMinor: number;
  resolution: string;
}): Promise<PostedMemo | { ok: true; posted: false; requiredLevel: string | null } | DisputeActionError> {
  const d = await db().dispute.findUnique({
    where: { id: input.disputeId },
    include: { account: { select: { number: true } }, adjustments: { where: { status: "PENDING_APPROVAL" } } },
  });
  if (!d) return { ok: false, error: "disputes:errors.closed" };
  if (!isOpen(d.status)) return { ok: false, error: "disputes:errors.closed", conflict: true };
  if (d.adjustments.length) return { ok: false, error: "disputes:errors.memoPending", conflict: true };
  if (input.amountMinor <= 0) return { ok: false, error: "disputes:errors.amount" };
  const amount = { amountMinor: input.amountMinor, currency: d.currency };
  let outcome: PostedMemo | { ok: true; posted: false; requiredLevel: string | null } | DisputeActionError;
  try {
    outcome = await db().$transaction(async (tx) => {
      await lockInvoice(tx, d.invoiceId);
      // Under the invoice lock: a racing request that already resolved it is "done", not a limit.
      const current = await tx.dispute.findUniqueOrThrow({ where: { id: d.id }, select: { status: true } });
      if (current.status !== d.status) return ALREADY_DONE;
      const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: d.invoiceId } });
      if (input.amountMinor > (await creditableMinor(tx, invoice, d.amountMinor))) return { ok: false, error: "disputes:errors.memoTooHigh" } as const;
      const decision = await checkCreditMemoAuthority(input.actor.staffLevel ?? null, { amount, invoiceId: d.invoiceId, accountId: d.accountId }, tx);
      const claimed = await tx.dispute.updateMany({
        where: { id: d.id, status: d.status },
        data: decision.allowed ? { status: "RESOLVED_CREDITED" } : { status: "ESCALATED", resolution: input.resolution },
      });
      if (claimed.count !== 1) return ALREADY_DONE;
      const memo = await tx.adjustment.create({
        data: {
          number: newNumber("CM", d.account.number),
          accountId: d.accountId,
          invoiceId: d.invoiceId,
          disputeId: d.id,
          kind: "CREDIT_MEMO",
          amountMinor: BigInt(input.amountMinor),
          currency: d.currency,
          reason: input.resolution,
          status: "PENDING_APPROVAL",
          requiredLevel: decision.allowed ? null : decision.requiredLevel,
          requestedById: input.actor.id,
        },
      });
      await recordAudit(
        {
          actorId: input.actor.id,
          accountId: d.accountId,
          entity: "Adjustment",
          entityId: memo.id,
          action: "credit_memo_requested",
          after: {
            amountMinor: input.amountMinor,
            currency: d.currency,
            allowed: decision.allowed,
            requiredLevel: decision.allowed ? null : decision.requiredLevel,
          },
        },
        tx,
      );
      if (decision.allowed) {
        const parts = await postMemo(tx, memo.id, input.actor.id, input.resolution);
        return { ok: true, posted: true, ...parts } as const;
      }
      await recordAudit(
        {
          actorId: input.actor.id,
          accountId: d.accountId,
          entity: "Dispute",
          entityId: d.id,
          action: "dispute_escalated",
          before: { status: d.status },
          after: { status: "ESCALATED", requiredLevel: decision.requiredLevel },
        },
        tx,
      );
      return { ok: true, posted: false, requiredLevel: decision.requiredLevel } as const;
    }, CLAIM_TRANSACTION);
  } catch (error) {
    // The unique memo-per-dispute index: another request posted it between our read and write.
    if (isUniqueViolation(error)) return ALREADY_DONE;
    throw error;
  }
  if (!outcome.ok) return outcome;
  invalidateAccount(d.accountId);
  if (outcome.posted) {
    await notifyResolved(d.id, amount, outcome);
    await afterBalanceLowered(d.accountId);
  }
  return outcome;
}

/**
 * A higher level approves an escalated memo: only a rep at the level it was escalated
 * to (or above), checked against their own authority again — with the invoice's and
 * the account's credit as it stands now — and claimed so it posts once.
 */
export async function approveCreditMemo(input: { disputeId: string; actor: Actor }): Promise<PostedMemo | DisputeActionError> {
  const memo = await db().adjustment.findFirst({ where: { disputeId: input.disputeId, status: "PENDING_APPROVAL" } });
  if (!memo) return { ok: false, error: "disputes:errors.closed", conflict: true };
  if (!(await mayActOnEscalation(input.actor.staffLevel, memo.requiredLevel))) return { ok: false, error: "disputes:errors.escalatedAbove", forbidden: true };
  const d = await db().dispute.findUniqueOrThrow({ where: { id: input.disputeId } });
  const amount = { amountMinor: toMinor(memo.amountMinor), currency: memo.currency };
  const outcome = await db().$transaction(async (tx) => {
    await lockInvoice(tx, memo.invoiceId!);
    const decision = await checkCreditMemoAuthority(input.actor.staffLevel ?? null, { amount, invoiceId: memo.invoiceId!, accountId: memo.accountId }, tx);
    if (!decision.allowed) return { ok: false, error: "disputes:errors.aboveAuthority", forbidden: true } as const;
    const still = await tx.adjustment.findUniqueOrThrow({ where: { id: memo.id }, select: { status: true } });
    if (still.status !== "PENDING_APPROVAL") return ALREADY_DONE;
    // Memos or write-offs posted on the invoice while this one waited count against it.
    const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: memo.invoiceId! } });
    if (amount.amountMinor > (await creditableMinor(tx, invoice, d.amountMinor))) return { ok: false, error: "disputes:errors.memoTooHigh" } as const;
    const claimed = await tx.adjustment.updateMany({ where: { id: memo.id, status: "PENDING_APPROVAL" }, data: { approvedById: input.actor.id } });
    if (claimed.count === 0) return ALREADY_DONE;
    const parts = await postMemo(tx, memo.id, input.actor.id, d.resolution ?? memo.reason);
    return { ok: true, posted: true, ...parts } as const;
  }, CLAIM_TRANSACTION);
  if (!outcome.ok) return outcome;
  invalidateAccount(d.accountId);
  await notifyResolved(d.id, amount, outcome);
  await afterBalanceLowered(d.accountId);
  return outcome;
}

/** The resolution email: the memo, and — when part of it became account credit — how it was split. */
async function notifyResolved(disputeId: string, amount: Money, posted: PostedMemo) {
  if (posted.credit.amountMinor > 0)
    await notifyCustomer(disputeId, "dispute_resolved_credit", {
      amount,
      applied: posted.applied,
      credit: posted.credit,
      // An invoice already paid in full: the whole memo is credit (mail:dispute_resolved_credit.text_paid).
      ...(posted.applied.amountMinor === 0 ? { context: "paid" } : {}),
    });
  else await notifyCustomer(disputeId, "dispute_resolved", { amount });
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
    await recordAudit(
      {
        actorId: input.actor.id,
        accountId: d.accountId,
        entity: "Dispute",
        entityId: d.id,
        action: "dispute_rejected",
        before: { status: d.status },
        after: { status: "REJECTED", resolution: input.resolution },
      },
      tx,
    );
    return true;
  }, CLAIM_TRANSACTION);
  if (!done) return ALREADY_DONE;
  invalidateAccount(d.accountId);
  await notifyCustomer(d.id, "dispute_rejected");
  return { ok: true };
}
