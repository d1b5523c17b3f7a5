// Longer than 300 lines because the statement's rows, aging and summary come from one read of the ledger and must agree to the cent.
/**
 * Statement of account for a date range: opening balance, every invoice, payment
 * applied and adjustment in the range, and payments received but not applied to any
 * invoice, with running and closing balances per currency. Built from the same rows
 * that keep invoice and payment balances, so the closing balance for today is the
 * account's balance: open invoices less unapplied cash.
 *
 * Unapplied cash is credited on the day the payment arrived. When a rep applies it to
 * an invoice later (an allocation a person made, rather than the payment itself), the
 * statement says so on that day as a memo line with neither a charge nor a credit: the
 * money was credited once, when it arrived, so the balance does not move, nothing is
 * shown as a charge, and a statement for an earlier period reads the same after the fact.
 * (Money refunded out of unapplied cash is left out of both the receipt and the refund.)
 *
 * Account credit (the part of a credit memo above its invoice's balance, payments/account-
 * credit.server.ts) is credited once, on the memo's own line for its full amount; its credit
 * row adds no line of its own. Applying it to an invoice later is a memo line, as for cash.
 *
 * Each currency also gets its aging as of the statement's last day (the same buckets and
 * dispute rule as the account page, aging.ts) and the amount due now: undisputed balances
 * due by that day, less unapplied cash.
 */
import { calendarDay } from "../../utils/forms";
import { db } from "../../utils/db.server";
import { toMinor } from "../money/money";
import { AGING_BUCKETS, agingWithDisputes, inDisputeOf, type AgingBucket } from "../accounts/aging";
import { OPEN_DISPUTE_STATUSES } from "../disputes/dispute-schemas";
import { csvWriter } from "../../i18n/csv";

/** `memoMinor`: an amount the line tells of without moving the balance (unapplied cash applied to an invoice). */
export type StatementLine = {
  date: string;
  kind: "invoice" | "payment" | "unapplied" | "unappliedApplied" | "credit" | "debit";
  reference: string;
  po: string | null;
  debitMinor: number;
  creditMinor: number;
  memoMinor?: number;
  balanceMinor: number;
};
/**
 * `unappliedMinor`: payments received by the end of the range and still not applied, already inside the closing balance.
 * `accountCreditMinor`: account credit from credit memos still not applied by then, likewise inside the closing balance.
 * `aging`: undisputed open balances by bucket as of the last day; `inDisputeMinor` apart; `dueNowMinor`: what to pay now.
 */
export type StatementSection = {
  currency: string;
  openingMinor: number;
  closingMinor: number;
  unappliedMinor: number;
  accountCreditMinor: number;
  aging: Record<AgingBucket, number>;
  inDisputeMinor: number;
  dueNowMinor: number;
  lines: StatementLine[];
};
export type Statement = { account: { number: string; legalName: string }; from: string; to: string; sections: StatementSection[] };

/** A rep applying a payment's unapplied cash: positive, and made by a person (the payment's own allocations have no actor). */
function fromUnappliedCash(allocation: { createdById: string | null; amountMinor: bigint }) {
  return allocation.createdById !== null && allocation.amountMinor > 0n;
}

const day = calendarDay();

/**
 * The statement's dates from the query. It never ends after today: a later end would show
 * the balance and aging "as of" a day that has not come, figures nobody owes yet. Dates
 * typed the wrong way round are read the right way round.
 */
export function statementRange(params: URLSearchParams, today = new Date()): { from: string; to: string } {
  const todayIso = today.toISOString().slice(0, 10);
  const defaultFrom = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 3, 1)).toISOString().slice(0, 10);
  let to = day.safeParse(params.get("to")).data ?? todayIso;
  let from = day.safeParse(params.get("from")).data ?? defaultFrom;
  if (from > to) [from, to] = [to, from];
  if (to > todayIso) to = todayIso;
  if (from > to) from = to;
  return { from, to };
}

export async function statementFor(accountId: string, range: { from: string; to: string }): Promise<Statement> {
  const from = new Date(`${range.from}T00:00:00Z`);
  const end = new Date(Date.parse(`${range.to}T00:00:00Z`) + 86_400_000); // exclusive
  const account = await db().account.findUniqueOrThrow({ where: { id: accountId }, select: { number: true, legalName: true } });
  const [invoicesBefore, allocBefore, adjBefore, invoices, allocations, adjustments, unapplied] = await Promise.all([
    db().invoice.groupBy({ by: ["currency"], where: { accountId, issuedOn: { lt: from }, status: { not: "VOID" } }, _sum: { totalMinor: true } }),
    db().$queryRaw<{ currency: string; sum: bigint }[]>`
      SELECT i.currency, COALESCE(SUM(a."amountMinor"), 0)::bigint AS sum FROM "PaymentAllocation" a JOIN "Invoice" i ON i.id = a."invoiceId"
      WHERE i."accountId" = ${accountId} AND a."createdAt" < ${from} GROUP BY i.currency`,
    db().adjustment.groupBy({ by: ["currency", "kind"], where: { accountId, status: "POSTED", postedAt: { lt: from } }, _sum: { amountMinor: true } }),
    db().invoice.findMany({
      where: { accountId, issuedOn: { gte: from, lt: end }, status: { not: "VOID" } },
      orderBy: [{ issuedOn: "asc" }, { number: "asc" }],
      select: { number: true, poNumber: true, issuedOn: true, currency: true, totalMinor: true },
    }),
    db().paymentAllocation.findMany({
      where: { invoice: { accountId }, createdAt: { gte: from, lt: end } },
      orderBy: { createdAt: "asc" },
      select: {
        paymentId: true,
        amountMinor: true,
        createdAt: true,
        createdById: true,
        payment: { select: { number: true } },
        invoice: { select: { number: true, currency: true } },
      },
    }),
    db().adjustment.findMany({
      where: { accountId, status: "POSTED", postedAt: { gte: from, lt: end } },
      orderBy: { postedAt: "asc" },
      select: { number: true, kind: true, amountMinor: true, currency: true, postedAt: true, invoice: { select: { number: true } } },
    }),
    // Payments that arrived with money not applied at once: still unapplied, or applied later by a rep.
    db()
      .payment.findMany({
        where: {
          accountId,
          AND: [
            { OR: [{ unappliedMinor: { gt: 0 } }, { allocations: { some: { createdById: { not: null }, amountMinor: { gt: 0 } } } }] },
            { OR: [{ receivedAt: { lt: end } }, { receivedAt: null, createdAt: { lt: end } }] },
          ],
        },
        select: {
          id: true,
          number: true,
          currency: true,
          unappliedMinor: true,
          adjustmentId: true,
          receivedAt: true,
          createdAt: true,
          allocations: { select: { amountMinor: true, createdAt: true, createdById: true } },
        },
      })
      .then((rows) =>
        rows.map((p) => {
          const later = p.allocations.filter(fromUnappliedCash);
          return {
            id: p.id,
            number: p.number,
            currency: p.currency,
            on: p.receivedAt ?? p.createdAt,
            // Account credit: already credited by its memo's line, so it opens no line of its own.
            accountCredit: p.adjustmentId !== null,
            // What arrived unapplied: what is still unapplied plus what reps have applied since.
            receivedUnappliedMinor: toMinor(p.unappliedMinor) + later.reduce((sum, a) => sum + toMinor(a.amountMinor), 0),
            appliedBefore: (at: Date) => later.filter((a) => a.createdAt < at).reduce((sum, a) => sum + toMinor(a.amountMinor), 0),
          };
        }),
      ),
  ]);
  const opening = new Map<string, number>();
  const add = (currency: string, amount: number) => opening.set(currency, (opening.get(currency) ?? 0) + amount);
  for (const r of invoicesBefore) add(r.currency, toMinor(r._sum.totalMinor));
  for (const r of allocBefore) add(r.currency, -toMinor(r.sum));
  for (const r of adjBefore) add(r.currency, (r.kind === "DEBIT_MEMO" ? 1 : -1) * toMinor(r._sum.amountMinor));
  for (const p of unapplied) {
    // Received before the range: its unapplied cash, less what reps had applied by then (those
    // allocations are already in allocBefore as invoice credits), is in the opening balance.
    // Account credit was credited by its memo (in adjBefore); only what reps applied from it is put back.
    if (p.on < from) add(p.currency, (p.accountCredit ? 0 : -p.receivedUnappliedMinor) + p.appliedBefore(from));
  }
  const unappliedBy = new Map<string, number>();
  const creditBy = new Map<string, number>();
  for (const p of unapplied) {
    const into = p.accountCredit ? creditBy : unappliedBy;
    into.set(p.currency, (into.get(p.currency) ?? 0) + p.receivedUnappliedMinor - p.appliedBefore(end));
  }

  type Raw = Omit<StatementLine, "balanceMinor"> & { currency: string; at: number };
  const raw: Raw[] = [
    ...invoices.map((i) => ({
      currency: i.currency,
      at: i.issuedOn.getTime(),
      date: i.issuedOn.toISOString().slice(0, 10),
      kind: "invoice" as const,
      reference: i.number,
      po: i.poNumber,
      debitMinor: toMinor(i.totalMinor),
      creditMinor: 0,
    })),
    ...allocations.map((a): Raw => {
      const amount = toMinor(a.amountMinor);
      const base = { currency: a.invoice.currency, at: a.createdAt.getTime(), date: a.createdAt.toISOString().slice(0, 10), po: null };
      // Cash already credited when it arrived: applying it to an invoice is a memo, not a charge and a credit.
      if (fromUnappliedCash(a))
        return { ...base, kind: "unappliedApplied", reference: `${a.invoice.number} · ${a.payment.number}`, debitMinor: 0, creditMinor: 0, memoMinor: amount };
      return { ...base, kind: "payment", reference: a.invoice.number, debitMinor: amount < 0 ? -amount : 0, creditMinor: amount > 0 ? amount : 0 };
    }),
    ...adjustments.map((a) => ({
      currency: a.currency,
      at: a.postedAt!.getTime(),
      date: a.postedAt!.toISOString().slice(0, 10),
      kind: a.kind === "DEBIT_MEMO" ? ("debit" as const) : ("credit" as const),
      reference: a.invoice ? `${a.number} · ${a.invoice.number}` : a.number,
      po: null,
      debitMinor: a.kind === "DEBIT_MEMO" ? toMinor(a.amountMinor) : 0,
      creditMinor: a.kind === "DEBIT_MEMO" ? 0 : toMinor(a.amountMinor),
    })),
    ...unapplied
      .filter((p) => p.on >= from && !p.accountCredit)
      .map((p) => ({
        currency: p.currency,
        at: p.on.getTime(),
        date: p.on.toISOString().slice(0, 10),
        kind: "unapplied" as const,
        reference: p.number,
        po: null,
        debitMinor: 0,
        creditMinor: p.receivedUnappliedMinor,
      })),
  ].sort((a, b) => a.at - b.at || (a.kind === "invoice" ? -1 : 1));

  const owed = await balancesAt(accountId, end);
  const asOf = new Date(`${range.to}T00:00:00Z`);
  const currencies = [...new Set([...opening.keys(), ...raw.map((r) => r.currency), ...owed.map((i) => i.currency)])].sort();
  return {
    account,
    from: range.from,
    to: range.to,
    sections: currencies.map((currency) => {
      let balance = opening.get(currency) ?? 0;
      const openingMinor = balance;
      const lines = raw
        .filter((r) => r.currency === currency)
        .map(({ currency: _c, at: _a, ...r }) => {
          balance += r.debitMinor - r.creditMinor;
          return { ...r, balanceMinor: balance };
        });
      const mine = owed.filter((i) => i.currency === currency);
      const { buckets, inDispute } = agingWithDisputes(mine, asOf);
      const unappliedMinor = unappliedBy.get(currency) ?? 0;
      const accountCreditMinor = creditBy.get(currency) ?? 0;
      const dueByNow = mine.filter((i) => i.dueOn.getTime() <= asOf.getTime()).reduce((sum, i) => sum + i.balanceMinor - inDisputeOf(i), 0);
      return {
        currency,
        openingMinor,
        closingMinor: balance,
        unappliedMinor,
        accountCreditMinor,
        aging: buckets,
        inDisputeMinor: inDispute,
        dueNowMinor: Math.max(0, dueByNow - unappliedMinor - accountCreditMinor),
        lines,
      };
    }),
  };
}

/**
 * What each invoice issued before `end` still owed at `end`: today's balance with what
 * was applied or adjusted since put back, so a statement for a past period ages what was
 * owed then. Disputes are those open now.
 */
async function balancesAt(accountId: string, end: Date) {
  const since = { gte: end };
  const rows = await db().invoice.findMany({
    where: {
      accountId,
      issuedOn: { lt: end },
      status: { not: "VOID" },
      OR: [{ balanceMinor: { gt: 0 } }, { allocations: { some: { createdAt: since } } }, { adjustments: { some: { status: "POSTED", postedAt: since } } }],
    },
    select: {
      currency: true,
      dueOn: true,
      balanceMinor: true,
      allocations: { where: { createdAt: since }, select: { amountMinor: true } },
      adjustments: {
        where: { status: "POSTED", postedAt: since },
        select: { kind: true, amountMinor: true, accountCredit: { select: { amountMinor: true } } },
      },
      disputes: { where: { status: { in: [...OPEN_DISPUTE_STATUSES] } }, select: { amountMinor: true } },
    },
  });
  return rows.map((i) => ({
    currency: i.currency,
    dueOn: i.dueOn,
    balanceMinor:
      toMinor(i.balanceMinor) +
      i.allocations.reduce((sum, a) => sum + toMinor(a.amountMinor), 0) +
      // A memo's part that became account credit never lowered the invoice: only the rest is put back.
      i.adjustments.reduce((sum, a) => sum + (a.kind === "DEBIT_MEMO" ? -1 : 1) * (toMinor(a.amountMinor) - toMinor(a.accountCredit?.amountMinor ?? 0n)), 0),
    disputedMinor: i.disputes.reduce((sum, d) => sum + toMinor(d.amountMinor), 0),
  }));
}

/** CSV for spreadsheets: plain decimal amounts (no grouping), one header row in the customer's language, the locale's separators (app/i18n/csv.ts). */
export function statementCsv(statement: Statement, t: (key: string, values?: Record<string, unknown>) => string, locale = "en-US"): string {
  const csv = csvWriter(locale);
  const amountIn = (currency: string) => (minor: number) => csv.amount(minor, currency);
  const rows: (string | number | null)[][] = [
    [
      t("invoices:statement.csv.currency"),
      t("invoices:statement.csv.date"),
      t("invoices:statement.csv.type"),
      t("invoices:statement.csv.reference"),
      t("invoices:statement.csv.po"),
      t("invoices:statement.csv.debit"),
      t("invoices:statement.csv.credit"),
      t("invoices:statement.csv.balance"),
    ],
  ];
  for (const s of statement.sections) {
    const amount = amountIn(s.currency);
    // The summary first (amount due now, then aging as of the last day), so the closing balance stays the last row.
    rows.push([s.currency, statement.to, t("invoices:statement.dueNow"), "", "", "", "", amount(s.dueNowMinor)]);
    for (const bucket of AGING_BUCKETS) rows.push([s.currency, statement.to, t(`invoices:statement.aging.${bucket}`), "", "", "", "", amount(s.aging[bucket])]);
    if (s.inDisputeMinor > 0) rows.push([s.currency, statement.to, t("invoices:statement.aging.inDispute"), "", "", "", "", amount(s.inDisputeMinor)]);
    rows.push([s.currency, statement.from, t("invoices:statement.opening"), "", "", "", "", amount(s.openingMinor)]);
    for (const l of s.lines)
      rows.push([
        s.currency,
        l.date,
        statementKind(l, t, amount),
        l.reference,
        l.po,
        l.debitMinor ? amount(l.debitMinor) : "",
        l.creditMinor ? amount(l.creditMinor) : "",
        amount(l.balanceMinor),
      ]);
    rows.push([s.currency, statement.to, t("invoices:statement.closing"), "", "", "", "", amount(s.closingMinor)]);
  }
  return csv.document(rows);
}

/** A line's type in words; a memo line says the amount it tells of. */
export function statementKind(line: StatementLine, t: (key: string, values?: Record<string, unknown>) => string, money: (minor: number) => string): string {
  return t(`invoices:statement.kinds.${line.kind}`, line.memoMinor !== undefined ? { amount: money(line.memoMinor) } : undefined);
}
