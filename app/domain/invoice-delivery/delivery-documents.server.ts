/**
 * The documents that go out on a delivery path: invoices, and posted credit memos (an
 * Adjustment of kind CREDIT_MEMO), read with what an 810 or an email needs.
 */
import { db } from "../../utils/db.server";
import { toMinor } from "../money/money";
import { sellerProfile } from "../invoices/seller.server";
import type { X12Document } from "./x12-810.server";

export type DocumentKind = "INVOICE" | "CREDIT_MEMO";

export type DeliveryDocument = X12Document & { id: string; accountId: string; invoiceId: string | null };

export async function deliveryDocument(kind: DocumentKind, id: string): Promise<DeliveryDocument | null> {
  const seller = (await sellerProfile()) ?? { name: "Customer Accounts" };
  const accountSelect = {
    legalName: true,
    number: true,
    addressLine1: true,
    city: true,
    region: true,
    postalCode: true,
    country: true,
    paymentTermsDays: true,
  } as const;
  if (kind === "INVOICE") {
    const invoice = await db().invoice.findUnique({
      where: { id },
      include: { account: { select: accountSelect }, lines: { orderBy: { lineNo: "asc" } } },
    });
    if (!invoice) return null;
    return {
      id: invoice.id,
      accountId: invoice.accountId,
      invoiceId: invoice.id,
      kind,
      number: invoice.number,
      issuedOn: invoice.issuedOn,
      dueOn: invoice.dueOn,
      termsDays: Math.round((invoice.dueOn.getTime() - invoice.issuedOn.getTime()) / 86_400_000),
      poNumber: invoice.poNumber,
      originalInvoiceNumber: null,
      currency: invoice.currency,
      totalMinor: toMinor(invoice.totalMinor),
      seller: { name: seller.name },
      buyer: buyerOf(invoice.account),
      lines: invoice.lines.map((l) => ({
        lineNo: l.lineNo,
        sku: l.sku,
        description: l.description,
        quantity: l.quantity,
        unitPriceMinor: toMinor(l.unitPriceMinor),
        amountMinor: toMinor(l.amountMinor),
      })),
    };
  }
  const memo = await db().adjustment.findFirst({
    where: { id, kind: "CREDIT_MEMO", status: "POSTED" },
    include: { account: { select: accountSelect }, invoice: { select: { number: true, poNumber: true } } },
  });
  if (!memo) return null;
  const amountMinor = toMinor(memo.amountMinor);
  return {
    id: memo.id,
    accountId: memo.accountId,
    invoiceId: memo.invoiceId,
    kind,
    number: memo.number,
    issuedOn: memo.postedAt ?? memo.createdAt,
    dueOn: null,
    termsDays: null,
    poNumber: memo.invoice?.poNumber ?? null,
    originalInvoiceNumber: memo.invoice?.number ?? null,
    currency: memo.currency,
    totalMinor: amountMinor,
    seller: { name: seller.name },
    buyer: buyerOf(memo.account),
    lines: [{ lineNo: 1, sku: "CREDIT", description: memo.reason, quantity: 1, unitPriceMinor: amountMinor, amountMinor }],
  };
}

function buyerOf(account: {
  legalName: string;
  number: string;
  addressLine1: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string;
}) {
  return {
    name: account.legalName,
    accountNumber: account.number,
    addressLine1: account.addressLine1,
    city: account.city,
    region: account.region,
    postalCode: account.postalCode,
    country: account.country,
  };
}
