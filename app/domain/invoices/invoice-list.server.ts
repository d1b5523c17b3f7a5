import type { Prisma } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { toMinor, type Money } from "../money/money";
import { INVOICE_SORTS, PAGE_SIZE, type InvoiceListQuery } from "./invoice-query";
export { parseInvoiceListQuery } from "./invoice-query";
import { daysPastDue } from "../accounts/aging";
import { cachedForAccount } from "./ledger-cache.server";

// One list of open dispute states, kept with the dispute rules; re-exported for the ledger code that imports it from here.
import { OPEN_DISPUTE_STATUSES } from "../disputes/dispute-schemas";
export { OPEN_DISPUTE_STATUSES };

export type InvoiceRow = {
  id: string;
  number: string;
  poNumber: string | null;
  issuedOn: string;
  dueOn: string;
  total: Money;
  balance: Money;
  status: string;
  daysPastDue: number;
  disputed: boolean;
};

export type InvoiceList = {
  rows: InvoiceRow[];
  total: number;
  page: number;
  pageCount: number;
  totals: { currency: string; count: number; total: Money; balance: Money }[];
};

function startOfToday(asOf: Date) {
  return new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate()));
}

/** The where clause for one account and one set of filters; every query is scoped by accountId. */
export function invoiceWhere(accountId: string, query: InvoiceListQuery, asOf = new Date()): Prisma.InvoiceWhereInput {
  const where: Prisma.InvoiceWhereInput = { accountId };
  const and: Prisma.InvoiceWhereInput[] = [];
  if (query.currency) where.currency = query.currency;
  if (query.from || query.to) {
    where.issuedOn = {
      ...(query.from ? { gte: new Date(`${query.from}T00:00:00Z`) } : {}),
      ...(query.to ? { lte: new Date(`${query.to}T00:00:00Z`) } : {}),
    };
  }
  switch (query.status) {
    case "open":
      where.status = { in: ["OPEN", "PARTIALLY_PAID"] };
      break;
    case "pastDue":
      where.status = { in: ["OPEN", "PARTIALLY_PAID"] };
      where.dueOn = { lt: startOfToday(asOf) };
      where.balanceMinor = { gt: 0 };
      // An invoice under an open dispute is not past-due pressure while the dispute runs.
      and.push({ disputes: { none: { status: { in: [...OPEN_DISPUTE_STATUSES] } } } });
      break;
    case "paid":
      where.status = "PAID";
      break;
    case "disputed":
      and.push({ disputes: { some: { status: { in: [...OPEN_DISPUTE_STATUSES] } } } });
      break;
  }
  if (query.q) {
    and.push({ OR: [{ number: { contains: query.q, mode: "insensitive" } }, { poNumber: { contains: query.q, mode: "insensitive" } }] });
  }
  if (and.length) where.AND = and;
  return where;
}

const ORDER: Record<(typeof INVOICE_SORTS)[number], keyof Prisma.InvoiceOrderByWithRelationInput> = {
  issuedOn: "issuedOn",
  dueOn: "dueOn",
  number: "number",
  balance: "balanceMinor",
};

/**
 * One page of an account's invoices. Every query is an indexed lookup on accountId
 * (see the Invoice indexes), a stable order (the sort column, then id), and an offset
 * page; totals per currency come from one grouped query over the same filter.
 */
export async function listInvoices(accountId: string, query: InvoiceListQuery, asOf = new Date()): Promise<InvoiceList> {
  const where = invoiceWhere(accountId, query, asOf);
  // One grouped query gives both the count and the totals per currency (cached briefly, see ledger-cache).
  const { page: _page, sort: _sort, dir: _dir, ...filters } = query;
  const grouped = await cachedForAccount(accountId, `totals:${JSON.stringify(filters)}:${asOf.toISOString().slice(0, 10)}`, () =>
    db().invoice.groupBy({ by: ["currency"], where, _sum: { totalMinor: true, balanceMinor: true }, _count: { _all: true } }),
  );
  const count = grouped.reduce((n, g) => n + g._count._all, 0);
  const pageCount = Math.max(1, Math.ceil(count / PAGE_SIZE));
  const page = Math.min(query.page, pageCount);
  const invoices = await db().invoice.findMany({
    where,
    orderBy: [{ [ORDER[query.sort]]: query.dir }, { id: query.dir }],
    skip: (page - 1) * PAGE_SIZE,
    take: PAGE_SIZE,
    select: {
      id: true, number: true, poNumber: true, issuedOn: true, dueOn: true, currency: true, totalMinor: true, balanceMinor: true, status: true,
      disputes: { where: { status: { in: [...OPEN_DISPUTE_STATUSES] } }, select: { id: true }, take: 1 },
    },
  });
  return {
    rows: invoices.map((inv) => ({
      id: inv.id,
      number: inv.number,
      poNumber: inv.poNumber,
      issuedOn: inv.issuedOn.toISOString().slice(0, 10),
      dueOn: inv.dueOn.toISOString().slice(0, 10),
      total: { amountMinor: toMinor(inv.totalMinor), currency: inv.currency },
      balance: { amountMinor: toMinor(inv.balanceMinor), currency: inv.currency },
      status: inv.status,
      daysPastDue: inv.status === "PAID" || inv.status === "VOID" ? 0 : daysPastDue(inv.dueOn, asOf),
      disputed: inv.disputes.length > 0,
    })),
    total: count,
    page,
    pageCount,
    totals: grouped
      .map((g) => ({
        currency: g.currency,
        count: g._count._all,
        total: { amountMinor: toMinor(g._sum.totalMinor), currency: g.currency },
        balance: { amountMinor: toMinor(g._sum.balanceMinor), currency: g.currency },
      }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}
