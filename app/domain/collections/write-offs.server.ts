/**
 * Write-offs of an invoice's uncollectable amount, within authority. Within the
 * proposer's `maxWriteOffMinor` (this write-off plus those already posted on the invoice,
 * converted from the invoice currency to the policy currency at the dated rate) a
 * WRITE_OFF adjustment posts at once and the
 * invoice balance drops by exactly that amount; above it the request waits, PENDING,
 * in the queue of the lowest level that may approve it. Approve and reject claim the
 * request with a conditional update, and the posted adjustment is unique per request,
 * so any number of simultaneous decisions apply once. A rejection changes no balance.
 */
import crypto from "node:crypto";
import type { Prisma, StaffLevel } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { CLAIM_TRANSACTION } from "../../utils/transactions.server";
import { recordAudit } from "../audit/audit.server";
import { checkAuthority, mayActOnEscalation } from "../authority/authority.server";
import { afterBalanceLowered } from "../payments/after-payment.server";
import { invalidateAccount } from "../invoices/ledger-cache.server";
import { toMinor, type Money } from "../money/money";
import { invoiceStatusFor } from "../payments/allocation";
import { isUniqueViolation } from "../payments/unique-violation";

export type Actor = { id: string; staffLevel?: StaffLevel | null };

/** Error codes are `dunning:writeOffs.errors.<code>`; `status` is the HTTP answer. */
export type WriteOffError = { ok: false; error: "not_found" | "not_open" | "amount_too_high" | "forbidden" | "already_decided" | "no_rate" };

export type ProposeResult = { ok: true; posted: boolean; requestId: string; requiredLevel: StaffLevel | null } | WriteOffError;

class Refused extends Error {
  constructor(readonly outcome: WriteOffError) {
    super(outcome.error);
  }
}

const refuse = (error: WriteOffError["error"]): never => {
  throw new Refused({ ok: false, error });
};

/** The invoice, locked so a payment, a memo or another write-off cannot change its balance under us. */
async function lockedInvoice(tx: Prisma.TransactionClient, invoiceId: string) {
  await tx.$queryRaw`SELECT id FROM "Invoice" WHERE id = ${invoiceId} FOR UPDATE`;
  return tx.invoice.findUnique({ where: { id: invoiceId }, include: { account: { select: { number: true } } } });
}

/** Posts the WRITE_OFF adjustment of a request and lowers the invoice balance by exactly its amount — inside `tx`. */
async function post(
  tx: Prisma.TransactionClient,
  request: { id: string; invoiceId: string; amountMinor: bigint; reason: string; requestedById: string },
  approverId: string,
) {
  const invoice = await lockedInvoice(tx, request.invoiceId);
  if (!invoice) return refuse("not_found");
  if (invoice.status === "VOID" || invoice.status === "PAID") return refuse("not_open");
  if (request.amountMinor > invoice.balanceMinor) return refuse("amount_too_high");
  const balance = toMinor(invoice.balanceMinor) - toMinor(request.amountMinor);
  const status = invoiceStatusFor(toMinor(invoice.totalMinor), balance);
  const adjustment = await tx.adjustment.create({
    data: {
      number: `WO-${invoice.account.number.replace("ACC-", "")}-${crypto.randomBytes(3).toString("hex").toUpperCase()}`,
      accountId: invoice.accountId,
      invoiceId: invoice.id,
      kind: "WRITE_OFF",
      amountMinor: request.amountMinor,
      currency: invoice.currency,
      reason: request.reason,
      status: "POSTED",
      requestedById: request.requestedById,
      approvedById: approverId,
      postedAt: new Date(),
    },
  });
  // The unique adjustmentId: a request can carry one posted write-off, whoever races to post it.
  await tx.writeOffRequest.update({ where: { id: request.id }, data: { adjustmentId: adjustment.id } });
  await tx.invoice.update({ where: { id: invoice.id }, data: { balanceMinor: BigInt(balance), status } });
  await recordAudit(
    {
      actorId: approverId,
      accountId: invoice.accountId,
      entity: "Invoice",
      entityId: invoice.id,
      action: "write_off_posted",
      before: { balanceMinor: invoice.balanceMinor, status: invoice.status },
      after: { balanceMinor: balance, status, adjustment: adjustment.number, amountMinor: request.amountMinor },
    },
    tx,
  );
  return { accountId: invoice.accountId };
}

async function inTransaction<T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T | WriteOffError> {
  try {
    return await db().$transaction(work, CLAIM_TRANSACTION);
  } catch (error) {
    if (error instanceof Refused) return error.outcome;
    if (isUniqueViolation(error)) return { ok: false, error: "already_decided" };
    throw error;
  }
}

export async function proposeWriteOff(input: { actor: Actor; invoiceId: string; amountMinor: number; reason: string; now?: Date }): Promise<ProposeResult> {
  if (!input.actor.staffLevel) return { ok: false, error: "forbidden" };
  const outcome = await inTransaction(async (tx) => {
    const invoice = await lockedInvoice(tx, input.invoiceId);
    if (!invoice) return refuse("not_found");
    if (invoice.status === "VOID" || invoice.status === "PAID" || invoice.balanceMinor <= 0n) return refuse("not_open");
    if (input.amountMinor > toMinor(invoice.balanceMinor)) return refuse("amount_too_high");
    // The level's limit covers everything written off on the invoice, so splitting one write-off into several never
    // gets past it. The invoice is locked, so two write-offs at once cannot both count only what was there before.
    const written = await tx.adjustment.aggregate({ where: { invoiceId: invoice.id, kind: "WRITE_OFF", status: "POSTED" }, _sum: { amountMinor: true } });
    const amount: Money = { amountMinor: input.amountMinor + toMinor(written._sum.amountMinor ?? 0n), currency: invoice.currency };
    let decision;
    try {
      decision = await checkAuthority(input.actor.staffLevel, "write_off", { amount }, input.now ?? new Date(), tx);
    } catch {
      return refuse("no_rate");
    }
    const request = await tx.writeOffRequest.create({
      data: {
        accountId: invoice.accountId,
        invoiceId: invoice.id,
        amountMinor: BigInt(input.amountMinor),
        currency: invoice.currency,
        reason: input.reason,
        status: decision.allowed ? "APPROVED" : "PENDING",
        requiredLevel: decision.allowed ? null : decision.requiredLevel,
        requestedById: input.actor.id,
        ...(decision.allowed ? { decidedById: input.actor.id, decidedAt: new Date() } : {}),
      },
    });
    await recordAudit(
      {
        actorId: input.actor.id,
        accountId: invoice.accountId,
        entity: "WriteOffRequest",
        entityId: request.id,
        action: "write_off_requested",
        after: { amountMinor: input.amountMinor, currency: invoice.currency, allowed: decision.allowed, requiredLevel: request.requiredLevel },
      },
      tx,
    );
    if (decision.allowed) await post(tx, request, input.actor.id);
    return { ok: true as const, posted: decision.allowed, requestId: request.id, requiredLevel: request.requiredLevel, accountId: invoice.accountId };
  });
  if (!outcome.ok) return outcome;
  if (outcome.posted) {
    invalidateAccount(outcome.accountId);
    await afterBalanceLowered(outcome.accountId);
  }
  return { ok: true, posted: outcome.posted, requestId: outcome.requestId, requiredLevel: outcome.requiredLevel };
}

export async function decideWriteOff(input: {
  actor: Actor;
  requestId: string;
  decision: "approve" | "reject";
  note: string;
}): Promise<{ ok: true; decision: "approve" | "reject" } | WriteOffError> {
  const request = await db().writeOffRequest.findUnique({ where: { id: input.requestId } });
  if (!request) return { ok: false, error: "not_found" };
  if (!(await mayActOnEscalation(input.actor.staffLevel, request.requiredLevel))) return { ok: false, error: "forbidden" };
  const outcome = await inTransaction(async (tx) => {
    const claimed = await tx.writeOffRequest.updateMany({
      where: { id: request.id, status: "PENDING" },
      data: {
        status: input.decision === "approve" ? "APPROVED" : "REJECTED",
        decidedById: input.actor.id,
        decidedAt: new Date(),
        decisionNote: input.note || null,
      },
    });
    if (claimed.count !== 1) return refuse("already_decided");
    await recordAudit(
      {
        actorId: input.actor.id,
        accountId: request.accountId,
        entity: "WriteOffRequest",
        entityId: request.id,
        action: input.decision === "approve" ? "write_off_approved" : "write_off_rejected",
        before: { status: "PENDING" },
        after: { status: input.decision === "approve" ? "APPROVED" : "REJECTED", note: input.note },
      },
      tx,
    );
    if (input.decision === "approve") await post(tx, request, input.actor.id);
    return { ok: true as const, decision: input.decision };
  });
  if (outcome.ok && input.decision === "approve") {
    invalidateAccount(request.accountId);
    await afterBalanceLowered(request.accountId);
  }
  return outcome;
}

/** Pending write-offs this level may decide, oldest first. */
export async function writeOffQueue(level: StaffLevel | null | undefined) {
  const rows = await db().writeOffRequest.findMany({ where: { status: "PENDING" }, orderBy: { createdAt: "asc" }, take: 200 });
  const mine = [];
  for (const row of rows) if (await mayActOnEscalation(level, row.requiredLevel)) mine.push(row);
  return describe(mine);
}

/** An account's write-off requests, newest first. */
export async function writeOffsOf(accountId: string) {
  return describe(await db().writeOffRequest.findMany({ where: { accountId }, orderBy: { createdAt: "desc" }, take: 100 }));
}

async function describe(rows: Prisma.WriteOffRequestGetPayload<object>[]) {
  const invoices = await db().invoice.findMany({
    where: { id: { in: rows.map((r) => r.invoiceId) } },
    select: { id: true, number: true, balanceMinor: true, currency: true, account: { select: { id: true, number: true, legalName: true } } },
  });
  const people = await db().user.findMany({
    where: { id: { in: rows.flatMap((r) => [r.requestedById, r.decidedById ?? ""]) } },
    select: { id: true, name: true },
  });
  return rows.map((r) => {
    const invoice = invoices.find((i) => i.id === r.invoiceId);
    return {
      id: r.id,
      status: r.status,
      amount: { amountMinor: toMinor(r.amountMinor), currency: r.currency },
      reason: r.reason,
      requiredLevel: r.requiredLevel,
      requestedBy: people.find((p) => p.id === r.requestedById)?.name ?? null,
      decidedBy: people.find((p) => p.id === r.decidedById)?.name ?? null,
      createdAt: r.createdAt.toISOString(),
      invoice: invoice ? { id: invoice.id, number: invoice.number, balance: { amountMinor: toMinor(invoice.balanceMinor), currency: invoice.currency } } : null,
      account: invoice?.account ?? null,
    };
  });
}

/** The account's invoice a rep named by its number on the write-off form. */
export async function invoiceOfAccountByNumber(accountId: string, invoiceNumber: string) {
  return db().invoice.findFirst({ where: { accountId, number: invoiceNumber }, select: { id: true, currency: true } });
}
