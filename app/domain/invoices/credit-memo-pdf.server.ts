/** The credit memo as a PDF (pdfkit), with the same drawing kit as the invoice, in the reader's language and locale. */
import { formatMoney } from "../money/money";
import type { SellerProfile } from "./seller.server";
import type { CreditMemo } from "./credit-memo.server";
import { partiesBlock, render, row, type T } from "./documents-pdf.server";

export function creditMemoPdf(memo: CreditMemo, seller: SellerProfile | null, t: T, locale: string): Promise<Buffer> {
  const money = (m: { amountMinor: number; currency: string }) => formatMoney(m, locale);
  const date = (d: string) => new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date(d));
  const title = t("invoices:creditMemo.title", { number: memo.number });
  return render((doc) => {
    // The word and the number on lines of their own: a memo number never breaks at its hyphens.
    doc.font("Helvetica-Bold").fontSize(18).text(t("invoices:creditMemo.heading"), 50, 50, { width: 270 });
    doc.font("Helvetica-Bold").fontSize(14).text(memo.number, 50, doc.y, { width: 270 });
    partiesBlock(doc, seller, t("invoices:documents.billTo"), memo.account);
    const facts: [string, string][] = [
      [t("invoices:creditMemo.number"), memo.number],
      [t("invoices:creditMemo.issued"), date(memo.postedOn)],
      [
        t("invoices:creditMemo.invoice"),
        memo.invoice ? t("invoices:creditMemo.invoiceOf", { number: memo.invoice.number, date: date(memo.invoice.issuedOn) }) : "—",
      ],
    ];
    if (memo.dispute) facts.push([t("invoices:creditMemo.dispute"), memo.dispute.number]);
    facts.push([t("invoices:creditMemo.reason"), memo.reason]);
    for (const [k, v] of facts)
      row(doc, [
        { text: k, x: 50, width: 150 },
        { text: v, x: 200, width: 363 },
      ]);
    doc.moveDown();
    row(
      doc,
      [
        { text: t("invoices:creditMemo.amount"), x: 330, width: 150, align: "right" },
        { text: money(memo.amount), x: 483, width: 80, align: "right" },
      ],
      true,
    );
    doc.moveDown();
    const note =
      memo.accountCredit.amountMinor > 0
        ? t("invoices:creditMemo.noteWithCredit", { invoice: memo.invoice?.number ?? "—", credit: money(memo.accountCredit) })
        : t("invoices:creditMemo.note", { invoice: memo.invoice?.number ?? "—" });
    doc.font("Helvetica").fontSize(9).text(note, 50, doc.y, { width: 513 });
  }, title);
}
