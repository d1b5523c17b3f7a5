import { z } from "zod";

import { Prisma } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { isUniqueViolation } from "./unique-violation";
import { recordAudit } from "../audit/audit.server";
import { SUPPORTED_CURRENCIES, toMinor } from "../money/money";
import { amountErrorKey, parseAmountInput } from "../money/amount-input";
import { invalidateAccount } from "../invoices/ledger-cache.server";
import { checkoutUrl, createCheckout, expireCheckout, SANDBOX_PROVIDER, sandboxActive } from "./stripe-provider.server";

export const payFormSchema = z.object({
  idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{16,100}$/, "payments:errors.tryAgain"),
  currency: z.enum(SUPPORTED_CURRENCIES, { message: "payments:errors.chooseInvoice" }),
  invoiceIds: z.array(z.string().min(1).max(100)).min(1, "payments:errors.chooseInvoice").max(200),
});

export type PayItem = { invoiceId: string; amountMinor: number };
export type PayFormResult = { ok: true; items: PayItem[]; currency: string; idempotencyKey: string } | { ok: false; errors: Record<string, string> };

/** The pay form's fields: amounts as typed, by invoice id (each chosen invoice needs one). */
export type PayRequest = { idempotencyKey: unknown; currency: unknown; invoiceIds: string[]; amounts: Record<string, string> };

/**
 * Checks what the customer chose to pay: which invoices and how much of each (typed in
 * the customer's locale). The invoices must belong to the session's account, be open and
 * share one currency, and no amount may be more than the balance — anything else is an
 * error (keyed `amount-<invoiceId>` for one invoice's amount) and nothing is created.
 */
export async function checkPayRequest(accountId: string, request: PayRequest, locale: string): Promise<PayFormResult> {
  const parsed = payFormSchema.safeParse({ idempotencyKey: request.idempotencyKey, currency: request.currency, invoiceIds: [...new Set(request.invoiceIds)] });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[issue.path[0] === "invoiceIds" ? "form" : String(issue.path[0] ?? "form")] ??= issue.message;
    if (errors.currency) errors.form ??= errors.currency;
    return { ok: false, errors };
  }
  const { invoiceIds, currency, idempotencyKey } = parsed.data;
  const invoices = await db().invoice.findMany({
    where: { id: { in: invoiceIds }, accountId },
    select: { id: true, currency: true, status: true, balanceMinor: true },
  });
  if (invoices.length !== invoiceIds.length) return { ok: false, errors: { form: "payments:errors.invoiceNotPayable" } };
  const errors: Record<string, string> = {};
  const items: PayItem[] = [];
  for (const inv of invoices) {
    if (inv.currency !== currency) return { ok: false, errors: { form: "payments:errors.oneCurrency" } };
    const balance = toMinor(inv.balanceMinor);
    if ((inv.status !== "OPEN" && inv.status !== "PARTIALLY_PAID") || balance <= 0) {
      errors.form = "payments:errors.invoiceNotPayable";
      continue;
    }
    // A blank (or missing) amount is refused, not read as "the whole balance": the page's
    // total counts it as nothing, and the charge must never be more than the customer saw.
    const read = parseAmountInput(request.amounts[inv.id] ?? "", locale, currency);
    const amount = read.ok ? read.amountMinor : null;
    if (!read.ok && read.error === "required") errors[`amount-${inv.id}`] = "payments:errors.amountBlank";
    else if (!read.ok) errors[`amount-${inv.id}`] = amountErrorKey(read.error, locale);
    else if (amount === null || amount <= 0) errors[`amount-${inv.id}`] = "payments:errors.amountInvalid";
    else if (amount > balance) errors[`amount-${inv.id}`] = "payments:errors.amountTooHigh";
    else items.push({ invoiceId: inv.id, amountMinor: amount });
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, items, currency, idempotencyKey };
}

export type CreatePaymentResult = { ok: true; paymentId: string; url: string } | { ok: false; errors: Record<string, string> };

class NotPayable extends Error {}

/**
 * Creates a payment and its checkout once per idempotency key: a double click, a
 * resubmitted form or two racing requests all end at the same payment.
 *
 * The payment claims its invoices' open amounts (one CheckoutClaim per invoice, the
 * invoice rows locked meanwhile): a checkout opened earlier for the same invoices — in
 * another tab, say — is closed, at the provider too, so the customer cannot pay the same
 * balance twice. An invoice with nothing left to pay is refused here, under the lock.
 */
export async function createPayment(input: {
  accountId: string;
  userId: string;
  email: string;
  language: string;
  currency: string;
  idempotencyKey: string;
  items: PayItem[];
  description: string;
}): Promise<CreatePaymentResult> {
  const key = `pay_${input.accountId}_${input.idempotencyKey}`;
  const amountMinor = input.items.reduce((s, i) => s + i.amountMinor, 0);
  let payment = await db().payment.findUnique({ where: { idempotencyKey: key } });
  let superseded: { id: string; checkoutSessionId: string | null }[] = [];
  if (!payment) {
    try {
      const made = await db().$transaction(
        async (tx) => {
          const ids = input.items.map((i) => i.invoiceId);
          const locked = await tx.$queryRaw<{ id: string; status: string; balanceMinor: bigint; currency: string }[]>`
          SELECT id, status::text AS status, "balanceMinor", currency FROM "Invoice"
          WHERE id IN (${Prisma.join(ids)}) AND "accountId" = ${input.accountId} ORDER BY id FOR UPDATE`;
          // A racing request with the same key got here first: its payment is ours.
          const same = await tx.payment.findUnique({ where: { idempotencyKey: key } });
          if (same) return { payment: same, superseded: [] };
          for (const item of input.items) {
            const inv = locked.find((i) => i.id === item.invoiceId);
            const payable =
              inv && inv.currency === input.currency && (inv.status === "OPEN" || inv.status === "PARTIALLY_PAID") && toMinor(inv.balanceMinor) > 0;
            if (!payable) throw new NotPayable("payments:errors.invoiceNotPayable");
            if (item.amountMinor > toMinor(inv.balanceMinor)) throw new NotPayable("payments:errors.amountTooHigh");
          }
          const claims = await tx.checkoutClaim.findMany({ where: { invoiceId: { in: ids } }, select: { paymentId: true } });
          const older = await tx.payment.findMany({
            where: { id: { in: [...new Set(claims.map((c) => c.paymentId))] } },
            select: { id: true, status: true, checkoutSessionId: true },
          });
          const closed: { id: string; checkoutSessionId: string | null }[] = [];
          for (const old of older) {
            await tx.checkoutClaim.deleteMany({ where: { paymentId: old.id } });
            const expired = await tx.payment.updateMany({ where: { id: old.id, status: { in: ["PENDING", "FAILED"] } }, data: { status: "EXPIRED" } });
            if (expired.count === 0) continue;
            closed.push({ id: old.id, checkoutSessionId: old.checkoutSessionId });
            await recordAudit(
              {
                actorId: input.userId,
                accountId: input.accountId,
                entity: "Payment",
                entityId: old.id,
                action: "payment_superseded",
                before: { status: old.status },
                after: { status: "EXPIRED" },
              },
              tx,
            );
          }
          const created = await tx.payment.create({
            data: {
              accountId: input.accountId,
              currency: input.currency,
              amountMinor: BigInt(amountMinor),
              status: "PENDING",
              provider: sandboxActive() ? SANDBOX_PROVIDER : "stripe",
              idempotencyKey: key,
              intendedAllocations: input.items,
              createdById: input.userId,
            },
          });
          await tx.checkoutClaim.createMany({
            data: input.items.map((i) => ({ invoiceId: i.invoiceId, paymentId: created.id, amountMinor: BigInt(i.amountMinor) })),
          });
          await recordAudit(
            {
              actorId: input.userId,
              accountId: input.accountId,
              entity: "Payment",
              entityId: created.id,
              action: "payment_created",
              after: { amountMinor, currency: input.currency, items: input.items },
            },
            tx,
          );
          return { payment: created, superseded: closed };
          // A double click's twin waits here for the first to commit (the invoice lock, or PGlite's one connection), then finds its payment.
        },
        { maxWait: 15_000, timeout: 20_000 },
      );
      payment = made.payment;
      superseded = made.superseded;
    } catch (error) {
      if (error instanceof NotPayable) return { ok: false, errors: { form: error.message } };
      if (!isUniqueViolation(error)) throw error;
      payment = await db().payment.findUniqueOrThrow({ where: { idempotencyKey: key } });
    }
  }
  if (payment.accountId !== input.accountId) throw new Error("idempotency key belongs to another account");
  // Closed here already; the provider is told after the commit (money that still arrives becomes unapplied cash).
  for (const old of superseded) if (old.checkoutSessionId) await expireCheckout(old.checkoutSessionId);
  if (superseded.length) invalidateAccount(input.accountId);
  if (payment.checkoutSessionId) {
    const url = payment.status === "PENDING" ? await checkoutUrl(payment.checkoutSessionId) : null;
    return { ok: true, paymentId: payment.id, url: url ?? `/payments/${payment.id}` };
  }
  if (payment.status !== "PENDING") return { ok: true, paymentId: payment.id, url: `/payments/${payment.id}` };
  const session = await createCheckout({
    paymentId: payment.id,
    idempotencyKey: key,
    amountMinor: toMinor(payment.amountMinor),
    currency: payment.currency,
    description: input.description,
    customerEmail: input.email,
    language: input.language,
  });
  await db().payment.updateMany({ where: { id: payment.id, checkoutSessionId: null }, data: { checkoutSessionId: session.sessionId } });
  return { ok: true, paymentId: payment.id, url: session.url };
}
