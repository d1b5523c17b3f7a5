/**
 * Orders on credit hold: why each is held, what clears it, the headroom check a
 * customer runs before ordering, and a rep's release / keep / ask-for-payment.
 *
 * A released order goes back to OPEN (with releasedAt/releasedById set) so it keeps
 * counting in exposure until it ships and is invoiced.
 */
import type { HoldReason, Order, Prisma } from "../../generated/prisma/client";
import { isLanguage } from "../../i18n/config";
import { mailReaderFor } from "../mail/recipient-formatting.server";
import { db } from "../../utils/db.server";
import { CLAIM_TRANSACTION } from "../../utils/transactions.server";
import { accountSummary, type AccountSummary } from "../accounts/account-summary.server";
import { recordAudit } from "../audit/audit.server";
import { checkAuthority } from "../authority/authority.server";
import type { SessionUser } from "../auth/session-user";
import { queueEmail, queueEmailInTransaction, type EmailInput } from "../mail/outbox.server";
import { toMinor, type Money } from "../money/money";
import { releaseConditionFor, type HoldAccountState, type ReleaseCondition } from "./hold-release";

export type HeldOrder = {
  id: string;
  number: string;
  poNumber: string | null;
  amount: Money;
  reason: HoldReason | null;
  heldAt: string | null;
  clears: ReleaseCondition;
};

/** Past due at or under this does not keep an order held: `holds.pastDueToleranceMinor` policy, per currency. */
async function pastDueToleranceMinor(currency: string): Promise<number> {
  const row = await db().policySetting.findUnique({ where: { key: "holds.pastDueToleranceMinor" } });
  const value = (row?.value as Record<string, unknown> | null)?.[currency];
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** The account's state as the release rule reads it. */
export async function holdStateOf(accountId: string): Promise<HoldAccountState | null> {
  const summary = await accountSummary(accountId);
  return summary ? holdStateFrom(summary) : null;
}

async function holdStateFrom(summary: AccountSummary): Promise<HoldAccountState> {
  return {
    status: summary.account.status,
    currency: summary.account.currency,
    availableMinor: summary.availableCredit.amountMinor,
    pastDueMinor: summary.pastDue.amountMinor,
    pastDueToleranceMinor: await pastDueToleranceMinor(summary.account.currency),
  };
}

export async function heldOrdersOf(accountId: string): Promise<HeldOrder[]> {
  const [rows, state] = await Promise.all([
    db().order.findMany({ where: { accountId, status: "ON_HOLD" }, orderBy: { heldAt: "asc" } }),
    holdStateOf(accountId),
  ]);
  return rows.map((o) => ({
    id: o.id,
    number: o.number,
    poNumber: o.poNumber,
    amount: { amountMinor: toMinor(o.amountMinor), currency: o.currency },
    reason: o.holdReason,
    heldAt: o.heldAt?.toISOString() ?? null,
    clears: state ? releaseConditionFor(o.holdReason, state) : { kind: "rep_lifts_hold", pastDue: null },
  }));
}

/**
 * The one way an order leaves a hold, whoever releases it: back to OPEN, so it keeps
 * counting in exposure until it ships. Claims the row; false when it was no longer held.
 */
export async function releaseHeldOrder(
  tx: Prisma.TransactionClient,
  order: Pick<Order, "id" | "accountId" | "number" | "holdReason">,
  by: { actorId: string | null; note: string; paymentId?: string },
  figures: { exposureMinor: number; availableMinor: number; overLimitMinor: number },
): Promise<boolean> {
  const claimed = await tx.order.updateMany({
    where: { id: order.id, status: "ON_HOLD" },
    data: { status: "OPEN", releasedAt: new Date(), releasedById: by.actorId, releaseNote: by.note || null },
  });
  if (claimed.count !== 1) return false;
  await recordAudit(
    {
      actorId: by.actorId,
      accountId: order.accountId,
      entity: "Order",
      entityId: order.id,
      action: "hold_released",
      before: { status: "ON_HOLD", holdReason: order.holdReason, exposureMinor: figures.exposureMinor, availableMinor: figures.availableMinor },
      // The order stays in exposure as an open order until it ships, so exposure is unchanged by the release.
      after: {
        status: "OPEN",
        note: by.note,
        paymentId: by.paymentId,
        exposureMinor: figures.exposureMinor,
        availableMinor: figures.availableMinor,
        overLimitMinor: figures.overLimitMinor,
      },
    },
    tx,
  );
  if (by.actorId)
    await tx.accountNote.create({
      data: { accountId: order.accountId, authorId: by.actorId, kind: "order_hold", body: `Released ${order.number}${by.note ? `: ${by.note}` : ""}` },
    });
  return true;
}

export type ReleasedOrder = { number: string; reason: HoldReason | null };

/**
 * After money arrives: releases each held order whose release condition is now met
 * (over-limit holds that fit in available credit, past-due holds once past due is within
 * tolerance; never an account on hold). Returns what was released, with each hold's reason.
 *
 * `noticeFor`, asked once there is something to release, gives the customer's email for
 * what this call released. The releases and that email are written in one transaction:
 * a process stopping at any point leaves either both or neither, and of two callers at
 * once (a payment's follow-up and the job) only the one whose claim took an order tells
 * the customer about it.
 */
export async function releaseOrdersThatClear(
  accountId: string,
  paymentId: string | null,
  asOf = new Date(),
  noticeFor?: () => Promise<((released: ReleasedOrder[]) => EmailInput) | null>,
): Promise<ReleasedOrder[]> {
  // Most payments land on accounts with nothing held: the account summary is worked out only when there is.
  const held = await db().order.findMany({ where: { accountId, status: "ON_HOLD" }, orderBy: { placedAt: "asc" } });
  if (!held.length) return [];
  const summary = await accountSummary(accountId, asOf);
  if (!summary) return [];
  const state = await holdStateFrom(summary);
  const clearing = held.filter((order) => releaseConditionFor(order.holdReason, state).kind === "met");
  if (!clearing.length) return [];
  // Read before the transaction: on the embedded database a read outside it would wait for it.
  const notice = noticeFor ? await noticeFor() : null;
  const figures = { exposureMinor: summary.exposure.amountMinor, availableMinor: summary.availableCredit.amountMinor, overLimitMinor: 0 };
  const { released, mail } = await db().$transaction(async (tx) => {
    const released: ReleasedOrder[] = [];
    // In placing order, as every caller takes them: two callers never wait on each other's locks in a cycle.
    for (const order of clearing)
      if (await releaseHeldOrder(tx, order, { actorId: null, note: "", paymentId: paymentId ?? undefined }, figures))
        released.push({ number: order.number, reason: order.holdReason });
    return { released, mail: released.length && notice ? await queueEmailInTransaction(tx, notice(released)) : null };
  }, CLAIM_TRANSACTION);
  await mail?.deliver();
  return released;
}

export type Headroom = {
  amount: Money;
  wouldHold: boolean;
  reasons: HoldReason[];
  /** The exact payment that avoids the hold; null when paying alone cannot (account on hold). */
  payNow: Money | null;
  available: Money;
  pastDue: Money;
};

/**
 * Would an order of `amountMinor` (in the account's currency) go on hold, and what
 * payment avoids it? A payment lowers the open balance — so both past due and
 * exposure — by the same amount: the answer is the larger of the past-due balance
 * and the amount the order would go over the limit, when the open balance can cover it.
 */
export async function headroomCheck(accountId: string, amountMinor: number): Promise<Headroom | null> {
  const summary = await accountSummary(accountId);
  if (!summary) return null;
  const currency = summary.account.currency;
  const over = summary.exposure.amountMinor + amountMinor - summary.creditLimit.amountMinor;
  const reasons: HoldReason[] = [];
  if (summary.account.status === "CREDIT_HOLD") reasons.push("ACCOUNT_ON_HOLD");
  if (summary.pastDue.amountMinor > 0) reasons.push("PAST_DUE");
  if (over > 0) reasons.push("OVER_LIMIT");
  const needed = Math.max(summary.pastDue.amountMinor, over, 0);
  const payable = !reasons.includes("ACCOUNT_ON_HOLD") && needed <= summary.openBalance.amountMinor;
  return {
    amount: { amountMinor, currency },
    wouldHold: reasons.length > 0,
    reasons,
    payNow: reasons.length === 0 ? { amountMinor: 0, currency } : payable ? { amountMinor: needed, currency } : null,
    available: summary.availableCredit,
    pastDue: summary.pastDue,
  };
}

export type ReleaseResult =
  | { ok: true; action: "released" | "kept" | "payment_requested" }
  | { ok: false; error: "not_found" | "not_held" | "over_authority"; requiredLevel?: string | null };

export async function heldOrderWorklist() {
  const rows = await db().order.findMany({
    where: { status: "ON_HOLD" },
    orderBy: { heldAt: "asc" },
    take: 200,
    include: { account: { select: { id: true, number: true, legalName: true, preferredLanguage: true } } },
  });
  const states = new Map<string, HoldAccountState | null>();
  for (const accountId of new Set(rows.map((o) => o.accountId))) states.set(accountId, await holdStateOf(accountId));
  return rows.map((o) => {
    const state = states.get(o.accountId);
    return {
      id: o.id,
      number: o.number,
      account: o.account,
      amount: { amountMinor: toMinor(o.amountMinor), currency: o.currency },
      reason: o.holdReason,
      heldAt: o.heldAt?.toISOString() ?? null,
      clears: state ? releaseConditionFor(o.holdReason, state) : ({ kind: "rep_lifts_hold", pastDue: null } as ReleaseCondition),
    };
  });
}

/**
 * A rep acts on a held order. A release that leaves the account over its limit needs
 * over-limit authority for the amount over the limit; beyond it the release is refused.
 */
export async function actOnHeldOrder(
  actor: SessionUser,
  orderId: string,
  action: "release" | "keep" | "request_payment",
  note: string,
): Promise<ReleaseResult> {
  const order = await db().order.findUnique({ where: { id: orderId } });
  if (!order) return { ok: false, error: "not_found" };
  if (order.status !== "ON_HOLD") return { ok: false, error: "not_held" };
  const summary = await accountSummary(order.accountId);
  if (!summary) return { ok: false, error: "not_found" };

  if (action === "release") {
    // The held order is already in exposure (open + held orders), so this is the overage after release.
    const overLimit = Math.max(0, summary.exposure.amountMinor - summary.creditLimit.amountMinor);
    const decision = await checkAuthority(actor.staffLevel, "over_limit_release", { amount: { amountMinor: overLimit, currency: summary.account.currency } });
    if (!decision.allowed) return { ok: false, error: "over_authority", requiredLevel: decision.requiredLevel };
    const ok = await db().$transaction(
      (tx) =>
        releaseHeldOrder(
          tx,
          order,
          { actorId: actor.id, note },
          { exposureMinor: summary.exposure.amountMinor, availableMinor: summary.availableCredit.amountMinor, overLimitMinor: overLimit },
        ),
      CLAIM_TRANSACTION,
    );
    return ok ? { ok: true, action: "released" } : { ok: false, error: "not_held" };
  }

  await db().$transaction(async (tx) => {
    await recordAudit(
      {
        actorId: actor.id,
        accountId: order.accountId,
        entity: "Order",
        entityId: order.id,
        action: action === "keep" ? "hold_kept" : "payment_requested",
        before: { status: "ON_HOLD" },
        after: { status: "ON_HOLD", note },
      },
      tx,
    );
    await tx.accountNote.create({
      data: {
        accountId: order.accountId,
        authorId: actor.id,
        kind: "order_hold",
        body: `${action === "keep" ? "Kept on hold" : "Payment requested for"} ${order.number}${note ? `: ${note}` : ""}`,
      },
    });
  }, CLAIM_TRANSACTION);
  if (action === "request_payment") {
    const headroom = await headroomCheck(order.accountId, 0);
    const users = await db().user.findMany({ where: { accountId: order.accountId, role: "CUSTOMER", active: true } });
    for (const user of users) {
      const language = isLanguage(user.preferredLanguage) ? user.preferredLanguage : "en";
      const pay = headroom?.payNow ?? summary.pastDue;
      await queueEmail({
        to: user.email,
        reader: await mailReaderFor(user, language),
        template: "credit_payment_requested",
        values: { name: user.name, order: order.number, amount: pay },
      });
    }
  }
  return { ok: true, action: action === "keep" ? "kept" : "payment_requested" };
}
