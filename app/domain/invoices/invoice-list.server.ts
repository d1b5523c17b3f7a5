import crypto from "node:crypto";
import { currentDatabase } from "../../utils/db.server";
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
  /** `pastDue`, with the past-due filter: the undisputed part of those balances — what the account's past-due tile counts. */
  totals: { currency: string; count: number; total: Money; balance: Money; pastDue?: Money }[];
};

function startOfToday(asOf: Date) {
  return new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate()));
}

/** `contains`, case-insensitive: the user's text matched literally, wildcards and all. */
function containsPattern(text: string) {
  return `%${text.replace(/[\\%_]/g, "\\$&")}%`;
}

// The open dispute states written into the statements (our constants, not input): every
// parameter left is a scalar, so the statements can be prepared, on PGlite too.
const OPEN_DISPUTE = `d.status::text IN (${OPEN_DISPUTE_STATUSES.map((status) => `'${status}'`).join(", ")})`;

/** What open disputes claim on invoice `i` (may exceed its balance; callers compare or cap). */
const DISPUTED_PART = `COALESCE((SELECT SUM(d."amountMinor") FROM "Dispute" d WHERE d."invoiceId" = i.id AND ${OPEN_DISPUTE}), 0)`;

/**
 * The WHERE clause (alias `i`) and its parameters for one account and one set of
 * filters. Every query starts from accountId, so one account's list never reads another's.
 */
export function invoiceFilterSql(accountId: string, query: InvoiceListQuery, asOf = new Date()): { where: string; params: unknown[] } {
  const params: unknown[] = [accountId];
  const param = (value: unknown) => `$${params.push(value)}`;
  const clauses = [`i."accountId" = $1`];
  if (query.currency) clauses.push(`i.currency = ${param(query.currency)}`);
  if (query.from) clauses.push(`i."issuedOn" >= ${param(query.from)}::date`);
  if (query.to) clauses.push(`i."issuedOn" <= ${param(query.to)}::date`);
  switch (query.status) {
    case "open":
      clauses.push(`i.status IN ('OPEN', 'PARTIALLY_PAID')`);
      break;
    case "pastDue":
      // Money under an open dispute is not past-due pressure while the dispute runs, but the rest
      // of a partly disputed invoice is: listed when some of its balance is undisputed (as the tiles count it).
      clauses.push(
        `i.status IN ('OPEN', 'PARTIALLY_PAID')`,
        `i."dueOn" < ${param(startOfToday(asOf).toISOString().slice(0, 10))}::date`,
        `i."balanceMinor" > ${DISPUTED_PART}`,
      );
      break;
    case "paid":
      clauses.push(`i.status = 'PAID'`);
      break;
    case "disputed":
      clauses.push(`EXISTS (SELECT 1 FROM "Dispute" d WHERE d."invoiceId" = i.id AND ${OPEN_DISPUTE})`);
      break;
  }
  if (query.q) {
    const pattern = param(containsPattern(query.q));
    clauses.push(`(i.number ILIKE ${pattern} OR i."poNumber" ILIKE ${pattern})`);
  }
  return { where: clauses.join(" AND "), params };
}

/** Each sort's column, and the type its key is read back as (a page start is kept as text). */
const SORT_COLUMN: Record<(typeof INVOICE_SORTS)[number], { column: string; type: string }> = {
  issuedOn: { column: `i."issuedOn"`, type: "date" },
  dueOn: { column: `i."dueOn"`, type: "date" },
  number: { column: `i.number`, type: "text" },
  balance: { column: `i."balanceMinor"`, type: "bigint" },
};

/**
 * From this page on, a page is read from where it starts (its first row's sort key and
 * id) instead of by skipping every row before it: an OFFSET walks all the skipped index
 * entries, about 4 ms on the embedded database at page 150 of 10,000 invoices.
 */
const SEEK_FROM_PAGE = 9;
/** Where pages start, and which invoices are disputed, depend only on the ledger version in their keys: kept a minute, for someone paging on. */
const LEDGER_VERSION_TTL_MS = 60_000;

type PageStart = { key: string; id: string };

/** A statement's name for preparing it: one per shape of query (filters, sort, direction), never per value. */
function statementName(kind: string, text: string) {
  return `invoice-${kind}-${crypto.createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
}

type GroupRow = { currency: string; count: number; total: string; balance: string; pastDue?: string };
type PageRow = {
  id: string;
  number: string;
  poNumber: string | null;
  issuedOn: string;
  dueOn: string;
  currency: string;
  total: string;
  balance: string;
  status: string;
};

/**
 * One page of an account's invoices (`account`: the signed-in customer's, with the ledger
 * version their session lookup read). Every query is an indexed lookup on accountId
 * (see the Invoice indexes), a stable order (the sort column, then id), and a page read
 * by offset or, deep in a long list, from where it starts (pageStarts); totals per
 * currency come from one grouped query over the same filter. Plain
 * SQL on the driver: the customer's most used page, and Prisma would compile these
 * queries again on every request.
 */
export async function listInvoices(account: { id: string; ledgerVersion: string }, query: InvoiceListQuery, asOf = new Date()): Promise<InvoiceList> {
  const accountId = account.id;
  const sql = currentDatabase().sql;
  const { where, params } = invoiceFilterSql(accountId, query, asOf);
  // One grouped query gives both the count and the totals per currency (cached briefly, see ledger-cache).
  const { page: _page, sort: _sort, dir: _dir, ...filters } = query;
  const filterKey = `${account.ledgerVersion}:${JSON.stringify(filters)}:${asOf.toISOString().slice(0, 10)}`;
  // With the past-due filter, the undisputed part too: the figure the past-due tile shows.
  const undisputed = query.status === "pastDue" ? `, sum(i."balanceMinor" - LEAST(i."balanceMinor", ${DISPUTED_PART}))::text AS "pastDue"` : "";
  // Keyed by the account's ledger version as this request's session lookup read it, which
  // database triggers move whichever process (or script) writes: a payment applied on
  // another server process is never served stale here.
  const grouped = await cachedForAccount(accountId, `totals:${filterKey}`, () =>
    sql.query<GroupRow>(
      `SELECT i.currency, count(*)::int AS count, sum(i."totalMinor")::text AS total, sum(i."balanceMinor")::text AS balance${undisputed}
         FROM "Invoice" i WHERE ${where} GROUP BY i.currency`,
      params,
    ),
  );
  const count = grouped.reduce((n, g) => n + Number(g.count), 0);
  const pageCount = Math.max(1, Math.ceil(count / PAGE_SIZE));
  const page = Math.min(query.page, pageCount);
  const dir = query.dir === "asc" ? "ASC" : "DESC";
  const { column, type } = SORT_COLUMN[query.sort];
  const order = `${column} ${dir}, i.id ${dir}`;
  // Prepared (parsed and planned once) unless a free-text or date filter makes the shape one of many.
  const prepare = !query.q && !query.from && !query.to;
  const start = page >= SEEK_FROM_PAGE ? (await pageStarts(account, { filterKey, where, params, column, order, prepare }))[page - 1] : undefined;
  // The page's ids first, then its columns: with the columns in the same query, every row
  // before the page was converted to text.
  const pageParams = [...params];
  const from = start ? ` AND (${column}, i.id) ${dir === "DESC" ? "<=" : ">="} ($${pageParams.push(start.key)}::${type}, $${pageParams.push(start.id)})` : "";
  const skip = start ? 0 : (page - 1) * PAGE_SIZE;
  const pageText = `SELECT i.id, i.number, i."poNumber", i."issuedOn"::text AS "issuedOn", i."dueOn"::text AS "dueOn", i.currency,
            i."totalMinor"::text AS total, i."balanceMinor"::text AS balance, i.status::text AS status
       FROM "Invoice" i
       JOIN (SELECT i.id FROM "Invoice" i WHERE ${where}${from} ORDER BY ${order} LIMIT ${PAGE_SIZE} OFFSET $${pageParams.push(skip)}) page ON page.id = i.id
      ORDER BY ${order}`;
  // Nothing matches (a currency the account was never billed in): the totals already say so.
  // A prepared plan, made for any currency, would walk the whole account's index to find no row.
  const [invoices, disputed] =
    count === 0
      ? [[], new Set<string>()]
      : await Promise.all([sql.query<PageRow>(pageText, pageParams, prepare ? statementName("page", pageText) : undefined), invoicesUnderOpenDispute(account)]);
  return {
    rows: invoices.map((inv) => ({
      id: inv.id,
      number: inv.number,
      poNumber: inv.poNumber,
      issuedOn: inv.issuedOn,
      dueOn: inv.dueOn,
      total: { amountMinor: toMinor(BigInt(inv.total)), currency: inv.currency },
      balance: { amountMinor: toMinor(BigInt(inv.balance)), currency: inv.currency },
      status: inv.status,
      daysPastDue: inv.status === "PAID" || inv.status === "VOID" ? 0 : daysPastDue(new Date(`${inv.dueOn}T00:00:00Z`), asOf),
      disputed: disputed.has(inv.id),
    })),
    total: count,
    page,
    pageCount,
    totals: grouped
      .map((g) => ({
        currency: g.currency,
        count: Number(g.count),
        total: { amountMinor: toMinor(BigInt(g.total ?? "0")), currency: g.currency },
        balance: { amountMinor: toMinor(BigInt(g.balance ?? "0")), currency: g.currency },
        ...(g.pastDue !== undefined ? { pastDue: { amountMinor: toMinor(BigInt(g.pastDue ?? "0")), currency: g.currency } } : {}),
      }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

/**
 * The account's invoices with an open dispute, kept under the ledger version (a dispute
 * opened or settled moves it): a handful per account, where asking per row of each page
 * costs the embedded database about a third of the page query.
 */
function invoicesUnderOpenDispute(account: { id: string; ledgerVersion: string }): Promise<Set<string>> {
  const text = `SELECT DISTINCT d."invoiceId" FROM "Dispute" d WHERE d."accountId" = $1 AND ${OPEN_DISPUTE}`;
  return cachedForAccount(
    account.id,
    `open-disputes:${account.ledgerVersion}`,
    async () => new Set((await currentDatabase().sql.query<{ invoiceId: string }>(text, [account.id], "invoice-open-disputes")).map((row) => row.invoiceId)),
    { ttlMs: LEDGER_VERSION_TTL_MS },
  );
}

/**
 * The first row (sort key as text, and id) of every page of this sorted, filtered list:
 * one pass over the account's index for the sort, kept under the ledger version, so any
 * later page of the same list is a seek to its start and a read of PAGE_SIZE rows.
 */
function pageStarts(
  account: { id: string },
  list: { filterKey: string; where: string; params: unknown[]; column: string; order: string; prepare: boolean },
): Promise<PageStart[]> {
  const text = `SELECT key, id FROM (
         SELECT ${list.column}::text AS key, i.id, row_number() OVER (ORDER BY ${list.order}) AS n FROM "Invoice" i WHERE ${list.where}
       ) numbered WHERE n % ${PAGE_SIZE} = 1 ORDER BY n`;
  return cachedForAccount(
    account.id,
    `page-starts:${list.filterKey}:${list.order}`,
    () => currentDatabase().sql.query<PageStart>(text, list.params, list.prepare ? statementName("page-starts", text) : undefined),
    { ttlMs: LEDGER_VERSION_TTL_MS },
  );
}
