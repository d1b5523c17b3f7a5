import { db } from "../../utils/db.server";
import { toMinor, type Money } from "../money/money";
import { AGING_BUCKETS, type AgingBucket } from "./aging";
import { convertWithRate, latestRate, type AppliedRate } from "../fx/fx-rates.server";

export type AccountSummary = {
  account: { id: string; number: string; legalName: string; currency: string; status: string; paymentTermsDays: number };
  creditLimit: Money;
  openBalance: Money;
  openOrders: Money;
  exposure: Money;
  availableCredit: Money;
  pastDue: Money;
  disputed: Money;
  aging: Record<AgingBucket, Money>;
  openInvoiceCount: number;
  heldOrderCount: number;
  /** Rates used to bring other-currency invoices or orders into the credit currency. */
  conversions: AppliedRate[];
  asOf: string;
};

type CurrencyAging = {
  currency: string;
  current: bigint;
  days1to30: bigint;
  days31to60: bigint;
  days61to90: bigint;
  over90: bigint;
  open_count: bigint;
};

/**
 * Credit position of one account, in its credit currency. Aging is computed in SQL
 * with the same bucket edges as aging.ts so it stays fast on large ledgers.
 */
export async function accountSummary(accountId: string, asOf = new Date()): Promise<AccountSummary | null> {
  const account = await db().account.findUnique({
    where: { id: accountId },
    select: { id: true, number: true, legalName: true, currency: true, status: true, paymentTermsDays: true, creditLimitMinor: true },
  });
  if (!account) return null;
  const day = asOf.toISOString().slice(0, 10);

  const [agingRows, orderRows, disputedRows] = await Promise.all([
    db().$queryRaw<CurrencyAging[]>`
      SELECT currency,
        COALESCE(SUM("balanceMinor") FILTER (WHERE "dueOn" >= ${day}::date), 0)::bigint AS current,
        COALESCE(SUM("balanceMinor") FILTER (WHERE "dueOn" < ${day}::date AND "dueOn" >= ${day}::date - 30), 0)::bigint AS "days1to30",
        COALESCE(SUM("balanceMinor") FILTER (WHERE "dueOn" < ${day}::date - 30 AND "dueOn" >= ${day}::date - 60), 0)::bigint AS "days31to60",
        COALESCE(SUM("balanceMinor") FILTER (WHERE "dueOn" < ${day}::date - 60 AND "dueOn" >= ${day}::date - 90), 0)::bigint AS "days61to90",
        COALESCE(SUM("balanceMinor") FILTER (WHERE "dueOn" < ${day}::date - 90), 0)::bigint AS over90,
        COUNT(*)::bigint AS open_count
      FROM "Invoice"
      WHERE "accountId" = ${accountId} AND status IN ('OPEN', 'PARTIALLY_PAID') AND "balanceMinor" > 0
      GROUP BY currency`,
    db().order.groupBy({
      by: ["currency", "status"],
      where: { accountId, status: { in: ["OPEN", "ON_HOLD"] } },
      _sum: { amountMinor: true },
      _count: { _all: true },
    }),
    db().dispute.groupBy({
      by: ["currency"],
      where: { accountId, status: { in: ["OPEN", "IN_REVIEW", "ESCALATED"] } },
      _sum: { amountMinor: true },
    }),
  ]);

  const currency = account.currency;
  const conversions: AppliedRate[] = [];
  const inCreditCurrency = async (amountMinor: number, from: string): Promise<number> => {
    if (from === currency || amountMinor === 0) return amountMinor;
    const rate = await latestRate(from, currency, asOf);
    if (!rate) throw new Error(`No FX rate from ${from} to ${currency} on or before ${day}`);
    if (!conversions.some((c) => c.base === rate.base && c.quote === rate.quote)) conversions.push(rate);
    return convertWithRate(amountMinor, rate);
  };

  const aging = Object.fromEntries(AGING_BUCKETS.map((b) => [b, 0])) as Record<AgingBucket, number>;
  let openInvoiceCount = 0;
  for (const row of agingRows) {
    openInvoiceCount += Number(row.open_count);
    for (const bucket of AGING_BUCKETS) aging[bucket] += await inCreditCurrency(toMinor(row[bucket]), row.currency);
  }
  let openOrders = 0;
  let heldOrderCount = 0;
  for (const row of orderRows) {
    openOrders += await inCreditCurrency(toMinor(row._sum.amountMinor), row.currency);
    if (row.status === "ON_HOLD") heldOrderCount += row._count._all;
  }
  let disputed = 0;
  for (const row of disputedRows) disputed += await inCreditCurrency(toMinor(row._sum.amountMinor), row.currency);

  const openBalance = AGING_BUCKETS.reduce((sum, b) => sum + aging[b], 0);
  const pastDue = openBalance - aging.current;
  const creditLimit = toMinor(account.creditLimitMinor);
  const exposure = openBalance + openOrders;
  const m = (amountMinor: number): Money => ({ amountMinor, currency });

  return {
    account: {
      id: account.id,
      number: account.number,
      legalName: account.legalName,
      currency,
      status: account.status,
      paymentTermsDays: account.paymentTermsDays,
    },
    creditLimit: m(creditLimit),
    openBalance: m(openBalance),
    openOrders: m(openOrders),
    exposure: m(exposure),
    availableCredit: m(creditLimit - exposure),
    pastDue: m(pastDue),
    disputed: m(disputed),
    aging: Object.fromEntries(AGING_BUCKETS.map((b) => [b, m(aging[b])])) as Record<AgingBucket, Money>,
    openInvoiceCount,
    heldOrderCount,
    conversions,
    asOf: day,
  };
}
