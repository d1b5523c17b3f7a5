/** Invoice, receipt and statement PDFs (pdfkit), written in the reader's language and locale; the drawing kit the credit memo shares. */
import PDFDocument from "pdfkit";
import { formatMoney } from "../money/money";
import type { InvoiceDetail } from "./invoice-detail.server";
import { statementKind, type Statement } from "./statement.server";
import { AGING_BUCKETS } from "../accounts/aging";
import type { SellerProfile } from "./seller.server";
import type { Receipt } from "../payments/receipt.server";

export type T = (key: string, values?: Record<string, unknown>) => string;

export function render(draw: (doc: PDFKit.PDFDocument) => void, title: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: "LETTER", margin: 50, info: { Title: title, Author: "Customer Accounts" } });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    draw(doc);
    doc.end();
  });
}

export function row(doc: PDFKit.PDFDocument, cells: { text: string; x: number; width: number; align?: "left" | "right" }[], bold = false) {
  if (doc.y > 700) doc.addPage();
  const y = doc.y;
  doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(9);
  let bottom = y;
  for (const c of cells) {
    doc.text(c.text, c.x, y, { width: c.width, align: c.align ?? "left" });
    bottom = Math.max(bottom, doc.y);
  }
  doc.x = 50;
  doc.y = bottom + 3;
}

/** Who issues the document, top right, under the page's title line. */
function sellerBlock(doc: PDFKit.PDFDocument, seller: SellerProfile | null) {
  if (!seller) return;
  const y = doc.y;
  doc.font("Helvetica-Bold").fontSize(10).text(seller.name, 330, 50, { width: 233, align: "right" });
  doc.font("Helvetica").fontSize(9);
  for (const line of [...seller.address, seller.taxId, seller.email, seller.phone].filter((l): l is string => Boolean(l)))
    doc.text(line, 330, doc.y, { width: 233, align: "right" });
  doc.x = 50;
  doc.y = Math.max(y, doc.y);
}

/** The seller top right, then the customer account under a label ("Bill to", "From"). */
export function partiesBlock(doc: PDFKit.PDFDocument, seller: SellerProfile | null, label: string, account: { legalName: string; number: string }) {
  sellerBlock(doc, seller);
  doc.moveDown();
  doc.font("Helvetica-Bold").fontSize(9).text(label, 50);
  doc.font("Helvetica").fontSize(10).text(`${account.legalName} · ${account.number}`);
  doc.moveDown();
}

/** Where to send the money: the seller's remit-to, boxed so it is found at a glance. */
function remitToBlock(doc: PDFKit.PDFDocument, seller: SellerProfile | null, t: T) {
  if (!seller?.remitTo.length) return;
  if (doc.y > 660) doc.addPage();
  doc.moveDown();
  doc.font("Helvetica-Bold").fontSize(10).text(t("invoices:documents.remitTo"), 50);
  doc.font("Helvetica").fontSize(9);
  for (const line of seller.remitTo) doc.text(line, 50);
}

export function invoicePdf(invoice: InvoiceDetail, t: T, locale: string, seller: SellerProfile | null = null): Promise<Buffer> {
  const money = (m: { amountMinor: number; currency: string }) => formatMoney(m, locale);
  const date = (d: string) => new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date(d));
  const title = t("invoices:detail.title", { number: invoice.number });
  return render((doc) => {
    doc.font("Helvetica-Bold").fontSize(18).text(title, 50, 50, { width: 270 });
    partiesBlock(doc, seller, t("invoices:documents.billTo"), invoice.account);
    const facts: [string, string][] = [
      [t("invoices:detail.po"), invoice.poNumber ?? "—"],
      [t("invoices:detail.issued"), date(invoice.issuedOn)],
      [t("invoices:detail.due"), date(invoice.dueOn)],
      [t("invoices:detail.status"), t(`invoices:status.${invoice.status}`)],
      [t("invoices:detail.daysPastDue"), String(invoice.daysPastDue)],
    ];
    for (const [k, v] of facts)
      row(doc, [
        { text: k, x: 50, width: 150 },
        { text: v, x: 200, width: 300 },
      ]);
    doc.moveDown();
    const cols = [
      { key: "no", x: 50, width: 25 },
      { key: "sku", x: 78, width: 80 },
      { key: "description", x: 160, width: 190 },
      { key: "quantity", x: 352, width: 50, align: "right" as const },
      { key: "unitPrice", x: 405, width: 75, align: "right" as const },
      { key: "amount", x: 483, width: 80, align: "right" as const },
    ];
    row(
      doc,
      cols.map((c) => ({ ...c, text: t(`invoices:detail.line.${c.key}`) })),
      true,
    );
    for (const l of invoice.lines) {
      const values = [String(l.lineNo), l.sku, l.description, new Intl.NumberFormat(locale).format(l.quantity), money(l.unitPrice), money(l.amount)];
      row(
        doc,
        cols.map((c, i) => ({ ...c, text: values[i] })),
      );
    }
    doc.moveDown();
    for (const [k, v] of [
      [t("invoices:detail.total"), money(invoice.total)],
      [t("invoices:detail.paid"), money(invoice.paid)],
      [t("invoices:detail.balance"), money(invoice.balance)],
    ] as const) {
      row(
        doc,
        [
          { text: k, x: 330, width: 150, align: "right" },
          { text: v, x: 483, width: 80, align: "right" },
        ],
        true,
      );
    }
    remitToBlock(doc, seller, t);
  }, title);
}

/** A payment receipt: who received it, from whom, how much, and where it went. */
export function receiptPdf(receipt: Receipt, seller: SellerProfile | null, t: T, locale: string): Promise<Buffer> {
  const money = (m: { amountMinor: number; currency: string }) => formatMoney(m, locale);
  const date = (d: string) => new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date(d));
  const title = t(receipt.accountCredit ? "payments:receipt.creditTitle" : "payments:receipt.title", { reference: receipt.number });
  return render((doc) => {
    doc.font("Helvetica-Bold").fontSize(18).text(title, 50, 50, { width: 270 });
    partiesBlock(doc, seller, t("payments:receipt.from"), receipt.account);
    const facts: [string, string][] = [
      [t("payments:receipt.reference"), receipt.number],
      // A sandbox payment moved no money: the document says so, as the receipt page does.
      [t("payments:receipt.status"), [t(`payments:status.${receipt.status}`), receipt.sandbox ? t("payments:sandbox.badge") : ""].filter(Boolean).join(" · ")],
      [t("payments:receipt.received"), date(receipt.receivedAt ?? receipt.createdAt)],
      [t("payments:receipt.amount"), money(receipt.amount)],
    ];
    if (receipt.unapplied.amountMinor > 0) facts.push([t("payments:receipt.unapplied"), money(receipt.unapplied)]);
    if (receipt.refunded.amountMinor > 0) facts.push([t("payments:receipt.refunded"), money(receipt.refunded)]);
    for (const [k, v] of facts)
      row(doc, [
        { text: k, x: 50, width: 150 },
        { text: v, x: 200, width: 300 },
      ]);
    if (receipt.allocations.length) {
      doc.moveDown();
      row(
        doc,
        [
          { text: t("payments:receipt.invoice"), x: 50, width: 200 },
          { text: t("payments:receipt.appliedAmount"), x: 400, width: 163, align: "right" },
        ],
        true,
      );
      for (const a of receipt.allocations)
        row(doc, [
          { text: a.number, x: 50, width: 200 },
          { text: money(a.amount), x: 400, width: 163, align: "right" },
        ]);
    }
    if (receipt.accountCredit) {
      doc.moveDown();
      doc
        .font("Helvetica")
        .fontSize(9)
        .text(t("payments:receipt.fromMemo", { memo: receipt.accountCredit.memoNumber, amount: money(receipt.amount) }), 50, doc.y, { width: 513 });
    }
    if (receipt.heldAsCredit) {
      doc.moveDown();
      doc
        .font("Helvetica")
        .fontSize(9)
        .text(t(receipt.allocations.length ? "payments:receipt.creditPart" : "payments:receipt.creditAll", { amount: money(receipt.unapplied) }), 50, doc.y, {
          width: 513,
        });
    }
  }, title);
}

/** A credit memo: who issues it, to whom, the invoice it credits, how much and why. */
export function statementPdf(statement: Statement, t: T, locale: string): Promise<Buffer> {
  const date = (d: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${d}T00:00:00Z`));
  const title = t("invoices:statement.title");
  return render((doc) => {
    doc.font("Helvetica-Bold").fontSize(18).text(title);
    doc.font("Helvetica").fontSize(10).text(`${statement.account.legalName} · ${statement.account.number}`);
    doc.text(t("invoices:statement.period", { from: date(statement.from), to: date(statement.to) }));
    const cols = [
      { key: "date", x: 50, width: 70 },
      { key: "type", x: 122, width: 80 },
      { key: "reference", x: 204, width: 120 },
      { key: "debit", x: 326, width: 75, align: "right" as const },
      { key: "credit", x: 403, width: 75, align: "right" as const },
      { key: "balance", x: 480, width: 83, align: "right" as const },
    ];
    for (const s of statement.sections) {
      const money = (minor: number) => formatMoney({ amountMinor: minor, currency: s.currency }, locale);
      doc.moveDown();
      doc.font("Helvetica-Bold").fontSize(12).text(s.currency, 50);
      row(
        doc,
        [
          { text: t("invoices:statement.dueNow"), x: 50, width: 300 },
          { text: money(s.dueNowMinor), x: 403, width: 160, align: "right" },
        ],
        true,
      );
      doc
        .font("Helvetica")
        .fontSize(9)
        .text(t("invoices:statement.aging.title", { date: date(statement.to) }), 50);
      const buckets = [
        ...AGING_BUCKETS.map((b) => ({ label: t(`invoices:statement.aging.${b}`), minor: s.aging[b] })),
        ...(s.inDisputeMinor > 0 ? [{ label: t("invoices:statement.aging.inDispute"), minor: s.inDisputeMinor }] : []),
      ];
      const width = Math.floor(513 / buckets.length);
      row(
        doc,
        buckets.map((b, i) => ({ text: b.label, x: 50 + i * width, width: width - 4, align: "right" as const })),
        true,
      );
      row(
        doc,
        buckets.map((b, i) => ({ text: money(b.minor), x: 50 + i * width, width: width - 4, align: "right" as const })),
      );
      doc.moveDown(0.5);
      row(
        doc,
        cols.map((c) => ({ ...c, text: t(`invoices:statement.csv.${c.key}`) })),
        true,
      );
      row(doc, [
        { ...cols[0], text: date(statement.from) },
        { ...cols[1], text: t("invoices:statement.opening"), width: 200 },
        { ...cols[5], text: money(s.openingMinor) },
      ]);
      for (const l of s.lines) {
        row(doc, [
          { ...cols[0], text: date(l.date) },
          { ...cols[1], text: statementKind(l, t, money) },
          { ...cols[2], text: l.reference },
          { ...cols[3], text: l.debitMinor ? money(l.debitMinor) : "" },
          { ...cols[4], text: l.creditMinor ? money(l.creditMinor) : "" },
          { ...cols[5], text: money(l.balanceMinor) },
        ]);
      }
      row(
        doc,
        [
          { ...cols[0], text: date(statement.to) },
          { ...cols[1], text: t("invoices:statement.closing"), width: 200 },
          { ...cols[5], text: money(s.closingMinor) },
        ],
        true,
      );
      if (s.unappliedMinor > 0)
        doc
          .font("Helvetica")
          .fontSize(9)
          .text(t("invoices:statement.unappliedNote", { amount: money(s.unappliedMinor) }), 50);
      if (s.accountCreditMinor > 0)
        doc
          .font("Helvetica")
          .fontSize(9)
          .text(t("invoices:statement.accountCreditNote", { amount: money(s.accountCreditMinor) }), 50);
    }
  }, title);
}
