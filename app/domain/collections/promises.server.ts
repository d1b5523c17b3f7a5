/**
 * Promises to pay: made by a rep or by the customer on the portal for chosen past-due
 * invoices, and found kept or broken from the payments that arrive. A broken promise
 * raises the account in the worklist (priority.ts) and tells the owner rep.
 */
import { getEnv } from "../../utils/config.server";
import { Prisma } from "../../generated/prisma/client";
import { isLanguage } from "../../i18n/config";
import { db } from "../../utils/db.server";
import { calendarDay, CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE } from "../../utils/forms";
import { CLAIM_TRANSACTION } from "../../utils/transactions.server";
import { recordAudit } from "../audit/audit.server";
import { mailDay, queueEmail } from "../mail/outbox.server";
import { staffMailReader } from "../mail/recipient-formatting.server";
import { amountErrorKey, parseAmountInput } from "../money/amount-input";
import { toMinor } from "../money/money";
import { isUniqueViolation } from "../payments/unique-violation";
import { collectionsPolicy, isoDay } from "./policy.server";

export type PromiseInput = {
  accountId: string;
  actorId: string;
  byCustomer: boolean;
  invoiceIds: string[];
  amount: string;
  promisedFor: string;
  note?: string;
  /** The reader's number locale, for the typed amount. */
  locale: string;
  /** From the form: the same form sent twice makes one promise. */
  requestKey?: string;
  now?: Date;
  /** What the caller records with the promise (the chat's account note), in the same transaction. */
  recordWith?: (tx: Prisma.TransactionClient, promise: { id: string; amountMinor: number; currency: string }) => Promise<unknown>;
};

export type PromiseResult = { ok: true; id: string } | { ok: false; errors: Record<string, string> };

const refuse = (field: string, key: string): PromiseResult => ({ ok: false, errors: { [field]: key } });

/** Past-due invoices of the account with money left on them and no live promise: what can be promised. */
export async function promisableInvoices(accountId: string, now = new Date()) {
  return db().invoice.findMany({
    where: {
      accountId,
      status: { in: ["OPEN", "PARTIALLY_PAID"] },
      balanceMinor: { gt: 0 },
      dueOn: { lt: new Date(`${isoDay(now)}T00:00:00Z`) },
      promises: { none: { promise: { status: "OPEN" } } },
    },
    orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    take: 100,
    select: { id: true, number: true, dueOn: true, balanceMinor: true, currency: true },
  });
}

export async function createPromise(input: PromiseInput): Promise<PromiseResult> {
  const now = input.now ?? new Date();
  const policy = await collectionsPolicy();
  const invoiceIds = [...new Set(input.invoiceIds)].slice(0, 100);
  if (invoiceIds.length === 0) return refuse("invoiceIds", "collections:promises.errors.noInvoices");
  if (!calendarDay().safeParse(input.promisedFor).success) return refuse("promisedFor", "collections:promises.errors.date");
  // Today anywhere on Earth (UTC-12) is not in the past.
  if (input.promisedFor < isoDay(new Date(now.getTime() - 12 * 3600_000))) return refuse("promisedFor", "collections:promises.errors.datePast");
  if (input.promisedFor > isoDay(now, policy.promiseMaxDaysAhead)) return refuse("promisedFor", "collections:promises.errors.dateTooFar");
  const note = (input.note ?? "").trim();
  if (note.length > 1000) return refuse("note", "collections:promises.errors.noteTooLong");
  if (CONTROL_CHARACTERS.test(note)) return refuse("note", CONTROL_CHARACTERS_MESSAGE);

  const invoices = await db().invoice.findMany({
    where: { id: { in: invoiceIds }, accountId: input.accountId },
    select: { id: true, currency: true, balanceMinor: true, dueOn: true, status: true },
  });
  const today = new Date(`${isoDay(now)}T00:00:00Z`);
  if (
    invoices.length !== invoiceIds.length ||
    invoices.some((i) => i.balanceMinor <= 0n || i.dueOn >= today || (i.status !== "OPEN" && i.status !== "PARTIALLY_PAID"))
  ) {
    return refuse("invoiceIds", "collections:promises.errors.notPromisable");
  }
  const currencies = new Set(invoices.map((i) => i.currency));
  if (currencies.size > 1) return refuse("invoiceIds", "collections:promises.errors.mixedCurrencies");
  const currency = invoices[0].currency;
  const read = parseAmountInput(input.amount, input.locale, currency);
  if (!read.ok) return refuse("amount", amountErrorKey(read.error, input.locale));
  if (read.amountMinor <= 0) return refuse("amount", "collections:promises.errors.amount");
  const owed = invoices.reduce((sum, i) => sum + toMinor(i.balanceMinor), 0);
  if (read.amountMinor > owed) return refuse("amount", "collections:promises.errors.amountTooHigh");

  const requestKey = input.requestKey && /^[A-Za-z0-9_-]{8,64}$/.test(input.requestKey) ? input.requestKey : null;
  try {
    return await db().$transaction(async (tx) => {
      // The invoices are locked so two promises for the same invoice, sent together, cannot both find it free.
      await tx.$queryRaw`SELECT id FROM "Invoice" WHERE id IN (${Prisma.join(invoiceIds)}) ORDER BY id FOR UPDATE`;
      if (requestKey) {
        const same = await tx.promiseToPay.findUnique({ where: { requestKey }, select: { id: true, accountId: true } });
        if (same) return same.accountId === input.accountId ? { ok: true as const, id: same.id } : refuse("form", "collections:promises.errors.notPromisable");
      }
      const taken = await tx.promiseInvoice.count({ where: { invoiceId: { in: invoiceIds }, promise: { status: "OPEN" } } });
      if (taken > 0) return refuse("invoiceIds", "collections:promises.errors.alreadyPromised");
      const promise = await tx.promiseToPay.create({
        data: {
          accountId: input.accountId,
          amountMinor: BigInt(read.amountMinor),
          currency,
          promisedFor: new Date(`${input.promisedFor}T00:00:00Z`),
          note: note || null,
          createdById: input.actorId,
          byCustomer: input.byCustomer,
          requestKey,
          createdAt: now,
          invoices: { create: invoiceIds.map((invoiceId) => ({ invoiceId })) },
        },
      });
      await recordAudit(
        {
          actorId: input.actorId,
          accountId: input.accountId,
          entity: "PromiseToPay",
          entityId: promise.id,
          action: "promise_logged",
          after: { amountMinor: read.amountMinor, currency, promisedFor: input.promisedFor, invoiceIds, byCustomer: input.byCustomer },
        },
        tx,
      );
      await input.recordWith?.(tx, { id: promise.id, amountMinor: read.amountMinor, currency });
      return { ok: true as const, id: promise.id };
    }, CLAIM_TRANSACTION);
  } catch (error) {
    // The same form, resent while the first was being written: the first one's promise stands.
    if (requestKey && isUniqueViolation(error)) {
      const same = await db().promiseToPay.findUnique({ where: { requestKey }, select: { id: true } });
      if (same) return { ok: true, id: same.id };
    }
    throw error;
  }
}

export async function promisesOf(accountId: string, take = 50) {
  return db().promiseToPay.findMany({
    where: { accountId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    include: { invoices: { include: { invoice: { select: { id: true, number: true } } } } },
  });
}

/** What was paid toward a promise inside its window: allocations to its invoices (or, without invoices, payments received). */
async function paidToward(
  promise: { id: string; accountId: string; currency: string; createdAt: Date },
  windowEnd: Date,
  invoiceCount: number,
): Promise<number> {
  if (invoiceCount > 0) {
    const rows = await db().$queryRaw<{ paid: bigint | null }[]>`
      SELECT SUM(a."amountMinor")::bigint AS paid FROM "PaymentAllocation" a
      JOIN "PromiseInvoice" p ON p."invoiceId" = a."invoiceId" AND p."promiseId" = ${promise.id}
      WHERE a."createdAt" >= ${promise.createdAt} AND a."createdAt" < ${windowEnd}`;
    return toMinor(rows[0]?.paid ?? 0n);
  }
  const sum = await db().payment.aggregate({
    where: {
      accountId: promise.accountId,
      currency: promise.currency,
      status: { in: ["SUCCEEDED", "PARTIALLY_REFUNDED"] },
      receivedAt: { gte: promise.createdAt, lt: windowEnd },
      // Account credit from a credit memo is not a payment toward the promise.
      adjustmentId: null,
    },
    _sum: { amountMinor: true },
  });
  return toMinor(sum._sum.amountMinor);
}

/**
 * Marks open promises kept (payments after the promise cover it by the date plus grace)
 * or broken (date plus grace has passed without that). Each promise is claimed with a
 * conditional update, so two runs at once decide and tell the owner rep once.
 * The job runner calls it on a schedule; applying a payment calls it for that account.
 */
export async function markPromisesKeptOrBroken({ now, accountId }: { now: Date; accountId?: string }): Promise<{ kept: string[]; broken: string[] }> {
  const open = await db().promiseToPay.findMany({
    where: { status: "OPEN", ...(accountId ? { accountId } : {}) },
    select: { id: true, accountId: true, amountMinor: true, currency: true, promisedFor: true, createdAt: true, _count: { select: { invoices: true } } },
    take: 5_000,
  });
  if (!open.length) return { kept: [], broken: [] };
  const policy = await collectionsPolicy();
  const kept: string[] = [];
  const broken: string[] = [];
  for (const promise of open) {
    // The whole last day of grace counts: the window closes at the start of the day after it.
    const windowEnd = new Date(promise.promisedFor.getTime() + (policy.promiseGraceDays + 1) * 86_400_000);
    const paid = await paidToward(promise, windowEnd, promise._count.invoices);
    const outcome = paid >= toMinor(promise.amountMinor) ? "KEPT" : now >= windowEnd ? "BROKEN" : null;
    if (!outcome) continue;
    const claimed = await db().$transaction(async (tx) => {
      const { count } = await tx.promiseToPay.updateMany({ where: { id: promise.id, status: "OPEN" }, data: { status: outcome, resolvedAt: now } });
      if (count === 1) {
        await recordAudit(
          {
            actorId: null,
            accountId: promise.accountId,
            entity: "PromiseToPay",
            entityId: promise.id,
            action: outcome === "KEPT" ? "promise_kept" : "promise_broken",
            before: { status: "OPEN" },
            after: { status: outcome, paidMinor: paid },
          },
          tx,
        );
      }
      return count === 1;
    }, CLAIM_TRANSACTION);
    if (!claimed) continue;
    if (outcome === "KEPT") kept.push(promise.id);
    else {
      broken.push(promise.id);
      await tellOwnerRep(promise.id);
    }
  }
  return { kept, broken };
}

async function tellOwnerRep(promiseId: string) {
  const promise = await db().promiseToPay.findUniqueOrThrow({
    where: { id: promiseId },
    include: {
      account: {
        select: {
          id: true,
          number: true,
          legalName: true,
          ownerRep: { select: { email: true, name: true, preferredLanguage: true, languages: true, active: true, locale: true, timeZone: true } },
        },
      },
    },
  });
  const rep = promise.account.ownerRep;
  if (!rep?.active) return;
  const preferred = rep.preferredLanguage ?? rep.languages[0];
  const language = isLanguage(preferred) ? preferred : "en";
  await queueEmail({
    to: rep.email,
    reader: await staffMailReader(rep, language),
    template: "promise_broken",
    values: {
      name: rep.name,
      account: `${promise.account.legalName} (${promise.account.number})`,
      amount: { amountMinor: promise.amountMinor, currency: promise.currency },
      date: mailDay(promise.promisedFor, "long"),
      link: `${getEnv().APP_URL}/rep/accounts/${promise.account.id}?tab=promises`,
    },
  });
}
