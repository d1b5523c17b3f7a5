import { z } from "zod";

import { db } from "../../utils/db.server";
import { isUniqueViolation } from "./unique-violation";
import { recordAudit } from "../audit/audit.server";
import { SUPPORTED_CURRENCIES, toMinor } from "../money/money";
import { amountErrorKey, parseAmountInput } from "../money/amount-input";
import { checkoutUrl, createCheckout, SANDBOX_PROVIDER, sandboxActive } from "./stripe-provider.server";

export const payFormSchema = z.object({
  idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{16,100}$/, "payments:errors.tryAgain"),
  currency: z.enum(SUPPORTED_CURRENCIES, { message: "payments:errors.chooseInvoice" }),
  invoiceIds: z.array(z.string().min(1).max(100)).min(1, "payments:errors.chooseInvoice").max(200),
});

export type PayItem = { invoiceId: string; amountMinor: number };
export type PayFormResult =
  | { ok: true; items: PayItem[]; currency: string; idempotencyKey: string }
  | { ok: false; errors: Record<string, string> };

/**
 * Reads the pay form: which invoices (checkboxes `invoiceId`) and how much of each
 * (`amount-<invoiceId>`, typed in the customer's locale). Checks the invoices belong
 * to the session's account, are open, share one currency, and that no amount is
 * more than the balance — anything else is an error and nothing is created.
 */
export async function readPayForm(accountId: string, form: FormData, locale: string): Promise<PayFormResult> {
  const parsed = payFormSchema.safeParse({
    idempotencyKey: form.get("idempotencyKey"),
    currency: form.get("currency"),
    invoiceIds: [...new Set(form.getAll("invoiceId").filter((v): v is string => typeof v === "string"))],
  });
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
    const typed = form.get(`amount-${inv.id}`);
    const read = typeof typed === "string" && typed.trim() !== "" ? parseAmountInput(typed, locale, currency) : { ok: true as const, amountMinor: balance };
    const amount = read.ok ? read.amountMinor : null;
    if (!read.ok) errors[`amount-${inv.id}`] = amountErrorKey(read.error, locale);
    else if (amount === null || amount <= 0) errors[`amount-${inv.id}`] = "payments:errors.amountInvalid";
    else if (amount > balance) errors[`amount-${inv.id}`] = "payments:errors.amountTooHigh";
    else items.push({ invoiceId: inv.id, amountMinor: amount });
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, items, currency, idempotencyKey };
}

/**
 * Creates a payment and its checkout once per idempotency key: a double click, a
 * resubmitted form or two racing requests all end at the same payment.
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
}): Promise<{ paymentId: string; url: string }> {
  const key = `pay_${input.accountId}_${input.idempotencyKey}`;
  const amountMinor = input.items.reduce((s, i) => s + i.amountMinor, 0);
  let payment = await db().payment.findUnique({ where: { idempotencyKey: key } });
  if (!payment) {
    try {
      payment = await db().$transaction(async (tx) => {
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
        await recordAudit({ actorId: input.userId, accountId: input.accountId, entity: "Payment", entityId: created.id, action: "payment_created", after: { amountMinor, currency: input.currency, items: input.items } }, tx);
        return created;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      payment = await db().payment.findUniqueOrThrow({ where: { idempotencyKey: key } });
    }
  }
  if (payment.accountId !== input.accountId) throw new Error("idempotency key belongs to another account");
  if (payment.checkoutSessionId) {
    const url = payment.status === "PENDING" ? await checkoutUrl(payment.checkoutSessionId) : null;
    return { paymentId: payment.id, url: url ?? `/payments/${payment.id}` };
  }
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
  return { paymentId: payment.id, url: session.url };
}
