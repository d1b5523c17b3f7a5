import { db } from "../../utils/db.server";
import { toMinor, type Money } from "../money/money";
import { daysPastDue } from "../accounts/aging";
import { OPEN_DISPUTE_STATUSES } from "./invoice-list.server";
import { isSandboxPayment } from "../payments/stripe-provider.server";

export type InvoiceDetail = {
  id: string;
  number: string;
  poNumber: string | null;
  orderNumber: string | null;
  currency: string;
  issuedOn: string;
  dueOn: string;
  status: string;
  total: Money;
  balance: Money;
  paid: Money;
  daysPastDue: number;
  account: { legalName: string; number: string };
  lines: { id: string; lineNo: number; sku: string; description: string; quantity: number; unitPrice: Money; amount: Money }[];
  payments: { paymentId: string; receivedAt: string | null; method: string | null; amount: Money; sandbox: boolean }[];
  disputes: { id: string; number: string; status: string; reason: string; amount: Money; open: boolean; createdAt: string }[];
  adjustments: { id: string; number: string; kind: string; amount: Money; postedAt: string | null }[];
};

/**
 * One invoice of one account, or null. The account id is part of the lookup, so an
 * invoice id of another account is simply "not found".
 */
export async function invoiceForAccount(accountId: string, invoiceId: string, asOf = new Date()): Promise<InvoiceDetail | null> {
  const inv = await db().invoice.findFirst({
    where: { id: invoiceId, accountId },
    include: {
      account: { select: { legalName: true, number: true } },
      order: { select: { number: true } },
      lines: { orderBy: { lineNo: "asc" } },
      allocations: {
        orderBy: { createdAt: "asc" },
        include: { payment: { select: { id: true, receivedAt: true, method: true, status: true, provider: true } } },
      },
      disputes: { orderBy: { createdAt: "desc" } },
      adjustments: { where: { status: "POSTED" }, orderBy: { createdAt: "asc" } },
    },
  });
  if (!inv) return null;
  const m = (v: bigint): Money => ({ amountMinor: toMinor(v), currency: inv.currency });
  const open = inv.status === "OPEN" || inv.status === "PARTIALLY_PAID";
  return {
    id: inv.id,
    number: inv.number,
    poNumber: inv.poNumber,
    orderNumber: inv.order?.number ?? null,
    currency: inv.currency,
    issuedOn: inv.issuedOn.toISOString().slice(0, 10),
    dueOn: inv.dueOn.toISOString().slice(0, 10),
    status: inv.status,
    total: m(inv.totalMinor),
    balance: m(inv.balanceMinor),
    paid: m(inv.allocations.reduce((s, a) => s + a.amountMinor, 0n)),
    daysPastDue: open ? daysPastDue(inv.dueOn, asOf) : 0,
    account: inv.account,
    lines: inv.lines.map((l) => ({
      id: l.id,
      lineNo: l.lineNo,
      sku: l.sku,
      description: l.description,
      quantity: l.quantity,
      unitPrice: m(l.unitPriceMinor),
      amount: m(l.amountMinor),
    })),
    payments: inv.allocations.map((a) => ({
      paymentId: a.paymentId,
      receivedAt: a.payment.receivedAt?.toISOString() ?? null,
      method: a.payment.method,
      sandbox: isSandboxPayment(a.payment),
      amount: m(a.amountMinor),
    })),
    disputes: inv.disputes.map((d) => ({
      id: d.id,
      number: d.number,
      status: d.status,
      reason: d.reason,
      amount: m(d.amountMinor),
      open: (OPEN_DISPUTE_STATUSES as readonly string[]).includes(d.status),
      createdAt: d.createdAt.toISOString(),
    })),
    adjustments: inv.adjustments.map((a) => ({
      id: a.id,
      number: a.number,
      kind: a.kind,
      amount: m(a.amountMinor),
      postedAt: a.postedAt?.toISOString() ?? null,
    })),
  };
}
