import type { InvoiceRow } from "../domain/invoices/invoice-list.server";
import type { formatterFor } from "../i18n/format";
import { joinMarkup, markup, type Markup } from "./markup";

/** The reader's formats (useFormat's money, date and number) and the words the rows show. */
export type InvoiceRowWords = Pick<ReturnType<typeof formatterFor>, "money" | "date" | "number"> & {
  status: (status: string) => string;
  disputedTag: string;
};

/**
 * The invoice list's rows as one piece of markup. Rendered as React elements, the 25
 * rows' 250 elements were the largest part of a list page's server render (measured with
 * npm run bench:cpu, the page never asked for before); as one string React writes them in
 * one piece. The markup is what the elements were: the number links to the invoice (the
 * table's click handler, useRowLinks, makes that a client-side navigation), and every
 * value is escaped by `markup`.
 */
export function invoiceRowsMarkup(rows: InvoiceRow[], words: InvoiceRowWords): Markup {
  // A piece per cell rather than one template over several lines: no whitespace between cells.
  return joinMarkup(
    rows.flatMap((row) => [
      markup`<tr data-testid="invoice-row-${row.number}">`,
      markup`<th scope="row"><a href="/invoices/${encodeURIComponent(row.id)}">${row.number}</a></th>`,
      markup`<td>${row.poNumber}</td>`,
      markup`<td>${words.date(row.issuedOn)}</td>`,
      markup`<td>${words.date(row.dueOn)}</td>`,
      markup`<td class="num">${words.money(row.total)}</td>`,
      markup`<td class="num">${words.money(row.balance)}</td>`,
      markup`<td>${words.status(row.status)}${row.disputed && markup`<span class="tag"> ${words.disputedTag}</span>`}</td>`,
      markup`<td class="num">${row.daysPastDue > 0 ? words.number(row.daysPastDue) : ""}</td>`,
      markup`</tr>`,
    ]),
  );
}
