import { Prisma } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { OPEN_DISPUTE_STATUSES } from "../disputes/dispute-schemas";
import { toMinor, type Money } from "../money/money";
import { AGING_BUCKETS, type AgingBucket } from "./aging";
import { convertWithRate, latestRate, type AppliedRate } from "../fx/fx-rates.server";
import { cachedForAccount } from "../invoices/ledger-cache.server";
import { ACCOUNT_CREDIT_PROVIDER } from "../payments/account-credit.server";

export type AccountSummary = {
  account: {
    id: string;
    number: string;
    legalName: string;
    currency: string;
    status: string;
    statusReason: string | null;
    paymentTermsDays: number;
    locale: string;
  };
  creditLimit: Money;
  openBalance: Money;
  openOrders: Money;
  exposure: Money;
  availableCredit: Money;
  /** Past due and not under an open dispute: what collections may press for. */
  pastDue: Money;
  /** Open balance under an open dispute (never more than the invoices still owe); not aged, not past due. */
  disputed: Money;
  /** Undisputed open balance by bucket; with `disputed` it sums to `openBalance`. */
  aging: Record<AgingBucket, Money>;
  /** Payments received and not yet applied to an invoice. */
  unapplied: Money;
  /** Credit owed to the customer from credit memos above their invoice's balance, not yet applied. */
  accountCredit: Money;
  /** What the account owes net of unapplied payments and account credit: the statement's closing balance. */
  balance: Money;
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
  in_dispute: bigint;
  open_count: bigint;
};

/**
 * Credit position of one account, in its credit currency. Aging is computed in SQL
 * with the same bucket edges as aging.ts so it stays fast on large ledgers.
 */
export async function accountSummary(accountId: string, asOf = new Date()): Promise<AccountSummary | null> {
  const account = await db().account.findUnique({
    where: { id: accountId },
    select: {
      id: true,
      number: true,
      legalName: true,
      currency: true,
      status: true,
      statusReason: true,
      paymentTermsDays: true,
      creditLimitMinor: true,
      locale: true,
    },
  });
  if (!account) return null;
  const day = asOf.toISOString().slice(0, 10);

  const [agingRows, orderRows, unappliedRows] = await Promise.all([
    // Per invoice, the disputed part is what its open disputes claim, capped at what it still owes;
    // only the rest is aged (the same rule as agingWithDisputes in aging.ts).
    db().$queryRaw<CurrencyAging[]>`
      WITH claimed AS (
        SELECT x."invoiceId", SUM(x."amountMinor") AS amount
        FROM "Dispute" x
        WHERE x."accountId" = ${accountId} AND x.status::text IN (${Prisma.join([...OPEN_DISPUTE_STATUSES])})
        GROUP BY x."invoiceId"
      ), open_invoice AS (
        -- One grouped pass over the account's disputes, joined once: a lookup per invoice cost
        -- a few times more on an account of 10,000 invoices.
        SELECT i.currency, i."dueOn",
          i."balanceMinor" - LEAST(i."balanceMinor", COALESCE(c.amount, 0))::bigint AS undisputed,
          LEAST(i."balanceMinor", COALESCE(c.amount, 0))::bigint AS disputed
        FROM "Invoice" i
        LEFT JOIN claimed c ON c."invoiceId" = i.id
        WHERE i."accountId" = ${accountId} AND i.status IN ('OPEN', 'PARTIALLY_PAID') AND i."balanceMinor" > 0
      )
      SELECT currency,
        COALESCE(SUM(undisputed) FILTER (WHERE "dueOn" >= ${day}::date), 0)::bigint AS current,
        COALESCE(SUM(undisputed) FILTER (WHERE "dueOn" < ${day}::date AND "dueOn" >= ${day}::date - 30), 0)::bigint AS "days1to30",
        COALESCE(SUM(undisputed) FILTER (WHERE "dueOn" < ${day}::date - 30 AND "dueOn" >= ${day}::date - 60), 0)::bigint AS "days31to60",
        COALESCE(SUM(undisputed) FILTER (WHERE "dueOn" < ${day}::date - 60 AND "dueOn" >= ${day}::date - 90), 0)::bigint AS "days61to90",
        COALESCE(SUM(undisputed) FILTER (WHERE "dueOn" < ${day}::date - 90), 0)::bigint AS over90,
        COALESCE(SUM(disputed), 0)::bigint AS in_dispute,
        COUNT(*)::bigint AS open_count
      FROM open_invoice
      GROUP BY currency`,
    db().order.groupBy({
      by: ["currency", "status"],
      where: { accountId, status: { in: ["OPEN", "ON_HOLD"] } },
      _sum: { amountMinor: true },
      _count: { _all: true },
    }),
    db().payment.groupBy({
      by: ["currency", "provider"],
      where: { accountId, unappliedMinor: { gt: 0 } },
      _sum: { unappliedMinor: true },
    }),
  ]);

  const currency = account.currency;
  const conversions: AppliedRate[] = [];
  // One rate per currency for the whole summary: every bucket converts at the same rate, read once.
  const rates = new Map<string, Promise<AppliedRate | null>>();
  const inCreditCurrency = async (amountMinor: number, from: string): Promise<number> => {
    if (from === currency || amountMinor === 0) return amountMinor;
    let pending = rates.get(from);
    if (!pending) rates.set(from, (pending = latestRate(from, currency, asOf)));
    const rate = await pending;
    if (!rate) throw new Error(`No FX rate from ${from} to ${currency} on or before ${day}`);
    if (!conversions.some((c) => c.base === rate.base && c.quote === rate.quote)) conversions.push(rate);
    return convertWithRate(amountMinor, rate);
  };

  const aging = Object.fromEntries(AGING_BUCKETS.map((b) => [b, 0])) as Record<AgingBucket, number>;
  let openInvoiceCount = 0;
  let disputed = 0;
  for (const row of agingRows) {
    openInvoiceCount += Number(row.open_count);
    for (const bucket of AGING_BUCKETS) aging[bucket] += await inCreditCurrency(toMinor(row[bucket]), row.currency);
    disputed += await inCreditCurrency(toMinor(row.in_dispute), row.currency);
  }
  let openOrders = 0;
  let heldOrderCount = 0;
  for (const row of orderRows) {
    openOrders += await inCreditCurrency(toMinor(row._sum.amountMinor), row.currency);
    if (row.status === "ON_HOLD") heldOrderCount += row._count._all;
  }
  // Cash received and not yet applied, apart from account credit (a credit memo's part above its invoice's balance).
  let unapplied = 0;
  let accountCredit = 0;
  for (const row of unappliedRows) {
    const amount = await inCreditCurrency(toMinor(row._sum.unappliedMinor), row.currency);
    if (row.provider === ACCOUNT_CREDIT_PROVIDER) accountCredit += amount;
    else unapplied += amount;
  }

  const undisputed = AGING_BUCKETS.reduce((sum, b) => sum + aging[b], 0);
  const openBalance = undisputed + disputed;
  const pastDue = undisputed - aging.current;
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
      statusReason: account.statusReason,
      paymentTermsDays: account.paymentTermsDays,
      // How the account's people write numbers: what a rep sends them is formatted this way.
      locale: account.locale,
    },
    creditLimit: m(creditLimit),
    openBalance: m(openBalance),
    openOrders: m(openOrders),
    exposure: m(exposure),
    availableCredit: m(creditLimit - exposure),
    pastDue: m(pastDue),
    disputed: m(disputed),
    aging: Object.fromEntries(AGING_BUCKETS.map((b) => [b, m(aging[b])])) as Record<AgingBucket, Money>,
    unapplied: m(unapplied),
    accountCredit: m(accountCredit),
    balance: m(openBalance - unapplied - accountCredit),
    openInvoiceCount,
    heldOrderCount,
    conversions,
    asOf: day,
  };
}

/**
 * A customer's account summary as their pages show it, shared for a few seconds between the
 * pages of one process (see ledger-cache). Keyed by the ledger version the session read with
 * the user: triggers move it on every write that changes a figure here (invoices, orders,
 * payments, disputes, adjustments, FX rates, the account itself), from any process.
 */
export function customerAccountSummary(user: { accountId: string; account: { ledgerVersion: string } | null }, asOf = new Date()) {
  if (!user.account) return accountSummary(user.accountId, asOf);
  const key = `summary:${user.account.ledgerVersion}:${asOf.toISOString().slice(0, 10)}`;
  return cachedForAccount(user.accountId, key, () => accountSummary(user.accountId, asOf));
}
