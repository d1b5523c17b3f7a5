import type { InvoiceRow } from "../domain/invoices/invoice-list.server";
import type { Money } from "../domain/money/money";
import { html, joinMarkup, type Markup } from "./markup";

export type InvoiceRowWords = {
  money: (value: Money) => string;
  date: (day: string) => string;
  number: (value: number) => string;
  status: (status: string) => string;
  disputedTag: string;
};

/**
 * The invoice list's rows as one piece of markup. Rendered as React elements, the 25
 * rows' 250 elements were the largest part of a list page's server render (measured with
 * npm run bench:cpu, the page never asked for before); as one string React writes them in
 * one piece. The markup is what the elements were: the number links to the invoice (the
 * table's click handler, useRowLinks, makes that a client-side navigation), and every
 * value is escaped by `html`.
 */
export function invoiceRowsMarkup(rows: InvoiceRow[], words: InvoiceRowWords): Markup {
  return joinMarkup(
    rows.map(
      (row) =>
        html`<tr data-testid="invoice-row-${row.number}">
          <th scope="row"><a href="/invoices/${encodeURIComponent(row.id)}">${row.number}</a></th>
          <td>${row.poNumber}</td>
          <td>${words.date(row.issuedOn)}</td>
          <td>${words.date(row.dueOn)}</td>
          <td class="num">${words.money(row.total)}</td>
          <td class="num">${words.money(row.balance)}</td>
          <td>${words.status(row.status)}${row.disputed && html`<span class="tag"> ${words.disputedTag}</span>`}</td>
          <td class="num">${row.daysPastDue > 0 ? words.number(row.daysPastDue) : ""}</td>
        </tr>`,
    ),
  );
}
