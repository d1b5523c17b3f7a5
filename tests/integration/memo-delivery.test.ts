/**
 * Credit memos reach the customer by the account's designated path (issue 18), like
 * invoices: on the email path a mail in the account's language and regional words with
 * the memo PDF attached (read back: memo, invoice it credits, amount, reason, seller); on
 * the EDI path an 810 with the credit indicator, read back by an independent parser; on the
 * portal path nothing is sent and the customer downloads the memo PDF from the invoice and
 * dispute pages (another customer gets 404, any rep may). The 360's ledger and My day show
 * memos beside invoices; job runs at once queue and send a memo once.
 * Memos are posted through the real dispute routes where the account has a customer user,
 * and as the ERP would post them (an Adjustment row) where it has none.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInvoiceDelivery } from "../../app/domain/invoice-delivery/deliver.server";
import { JOBS } from "../../app/domain/jobs/registry.server";
import { runJobsOnce } from "../../app/domain/jobs/runner.server";
import { pdfText } from "../support/pdf-text";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";
import { read810 } from "../support/x12-readback";

let portal: TestPortal;
let outbound: string;
let senior: Browser;

beforeAll(async () => {
  outbound = fs.mkdtempSync(path.join(os.tmpdir(), "portal-memo-edi-"));
  portal = await startPortal({
    EDI_OUTBOUND_DIR: outbound,
    EDI_TARGETS: JSON.stringify({ "partner-sftp": { type: "sftp", host: "sftp.partner.example", username: "portal", privateKeyFile: "/etc/portal/edi_key" } }),
  });
  senior = await portal.signedIn("senior@accounts.example");
});
afterAll(async () => {
  await portal?.close();
  fs.rmSync(outbound, { recursive: true, force: true });
});

/** The delivery job through the job registry's entry point, at `now`. */
const deliveryJobAt = (now: Date) =>
  runJobsOnce(
    JOBS.filter((j) => j.name === "invoice-delivery"),
    () => now,
  );

const account = (number: string) => portal.db.account.findUniqueOrThrow({ where: { number } });
const deliveriesOf = (documentId: string) => portal.db.invoiceDelivery.findMany({ where: { documentId } });
const interchangesOf = (deliveryId: string) => portal.db.ediInterchange.findMany({ where: { deliveryId }, orderBy: { controlNumber: "asc" } });
const ediFile = (controlNumber: number) => fs.readFileSync(path.join(outbound, "NORTHWINDRTL", `810-${String(controlNumber).padStart(9, "0")}.x12`), "ascii");

/** An open invoice of the account, undisputed and uncredited, owing at least `minMinor`. */
function openInvoice(accountId: string, minMinor: bigint) {
  return portal.db.invoice.findFirstOrThrow({
    where: { accountId, status: "OPEN", balanceMinor: { gte: minMinor }, disputes: { none: {} }, adjustments: { none: {} } },
    orderBy: [{ dueOn: "desc" }, { id: "asc" }],
  });
}

/** The customer disputes the invoice through the dispute form (blank amount: all of it); the senior rep credits `amount`. */
async function creditThroughDispute(customer: Browser, invoiceId: string, amount: string, resolution: string) {
  const form = new FormData();
  for (const [k, v] of Object.entries({ invoiceId, reason: "PRICING", scope: "invoice", amount: "", message: "Not the contract price." })) form.append(k, v);
  const opened = await customer.request(`/disputes/new?invoice=${invoiceId}`, { method: "POST", body: form });
  expect(opened.status).toBe(302);
  const disputeId = opened.headers.get("location")!.split("/").pop()!;
  const resolved = await senior.post(`/rep/disputes/${disputeId}`, { intent: "resolve", amount, resolution });
  expect(resolved.status).toBe(200);
  const memo = await portal.db.adjustment.findFirstOrThrow({ where: { disputeId, kind: "CREDIT_MEMO" } });
  expect(memo.status).toBe("POSTED");
  const dispute = await portal.db.dispute.findUniqueOrThrow({ where: { id: disputeId } });
  return { memo, dispute };
}

/** Any invoice of the account (an ERP memo may credit a paid one too). */
const anyInvoice = (accountId: string) => portal.db.invoice.findFirstOrThrow({ where: { accountId }, orderBy: { number: "asc" } });

/** A credit memo as the ERP posts it on an account with no portal user. */
async function erpMemo(accountId: string, invoice: { id: string; currency: string }, amountMinor: bigint, reason: string) {
  return portal.db.adjustment.create({
    data: {
      number: `CM-E-${crypto.randomBytes(3).toString("hex")}`,
      accountId,
      invoiceId: invoice.id,
      kind: "CREDIT_MEMO",
      amountMinor,
      currency: invoice.currency,
      reason,
      status: "POSTED",
      postedAt: new Date(),
    },
  });
}

describe("email path", () => {
  it("a Spanish account in Spain gets the memo in Spanish, with Spain's words, and the memo PDF attached", async () => {
    const iberica = await account("ACC-1003");
    const rep3 = await portal.signedIn("rep3@accounts.example");
    const saved = await rep3.post(`/rep/accounts/${iberica.id}/delivery`, {
      intent: "path",
      path: "EMAIL",
      billingEmails: "contabilidad@herramientas-ibericas.example",
    });
    expect(new URL(saved.headers.get("location")!, portal.url).searchParams.get("saved")).toBe("delivery:saved");

    const javier = await portal.signedIn("admin@herramientas-ibericas.example");
    const invoice = await openInvoice(iberica.id, 300_00n);
    const { memo, dispute } = await creditThroughDispute(javier, invoice.id, "120.00", "Precio corregido a la tarifa del contrato.");

    const runs = await deliveryJobAt(new Date());
    expect(runs[0]).toMatchObject({ ok: true });
    const [delivery] = await deliveriesOf(memo.id);
    expect(delivery).toMatchObject({ documentKind: "CREDIT_MEMO", documentNumber: memo.number, path: "EMAIL", status: "SENT", attempts: 1, lastError: null });

    const mails = await portal.db.outboxEmail.findMany({ where: { template: "credit_memo_delivery", subject: { contains: memo.number } } });
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail.to).toBe("contabilidad@herramientas-ibericas.example");
    expect(mail.language).toBe("es");
    expect(mail.subject).toBe(`Nota de crédito ${memo.number} de la cuenta ACC-1003`);
    expect(mail.text).toContain(`Adjuntamos la nota de crédito ${memo.number}`);
    expect(mail.text).toContain(`aplicada a la factura ${invoice.number}`);
    expect(mail.text).toContain("120,00");

    const [attachment] = await portal.db.outboxAttachment.findMany({ where: { emailId: mail.id } });
    expect(attachment.fileName).toBe(`nota-de-credito-${memo.number}.pdf`);
    expect(attachment.contentType).toBe("application/pdf");
    const text = pdfText(Buffer.from(attachment.contentBase64, "base64"));
    expect(text).toContain(`Nota de crédito ${memo.number}`);
    expect(text).toContain(`Número de nota de crédito ${memo.number}`);
    expect(text).toContain("Factura que acredita");
    expect(text).toContain(invoice.number);
    expect(text).toContain("Importe acreditado");
    expect(text).toContain("120,00");
    expect(text).toContain("Precio corregido a la tarifa del contrato.");
    // Spain says "reclamación" where Mexico says "aclaración".
    expect(text).toContain(`Reclamación ${dispute.number}`);
    expect(text).not.toContain("Aclaración");
    expect(text).toContain("Herramientas Ibéricas S.L.");
    expect(text).toContain("Northfield Industrial Distribution, Inc.");
    expect(text).toContain("1200 Commerce Park Drive");
    expect(text).not.toContain("Credit memo");
  }, 120_000);
});

describe("EDI path", () => {
  it("sends the memo as an 810 with the credit indicator and its totals; the 360 ledger and My day show it beside invoices, with retries and re-send", async () => {
    const northwind = await account("ACC-1005");
    const invoice = await openInvoice(northwind.id, 100_00n);
    const memo = await erpMemo(northwind.id, invoice, 42_75n, "Short shipment");
    await deliveryJobAt(new Date());
    const [delivery] = await deliveriesOf(memo.id);
    expect(delivery).toMatchObject({ documentKind: "CREDIT_MEMO", path: "EDI", status: "SENT" });
    const [interchange] = await interchangesOf(delivery.id);
    const read = await read810(ediFile(interchange.controlNumber));
    expect(read.controlNumber).toBe(interchange.controlNumber);
    expect(read.kind).toBe("CR");
    expect(read.number).toBe(memo.number);
    expect(read.tdsCents).toBe(42_75);
    expect(read.linesTotalCents).toBe(42_75);
    expect(read.segments.find((s) => s.name === "REF" && s["1"] === "OI")?.["2"]).toBe(invoice.number);

    // The rep's 360 lists the memo in the delivery ledger, with its PDF, which any rep may download.
    const rep1 = await portal.signedIn("rep1@accounts.example");
    const page = await rep1.page(`/rep/accounts/${northwind.id}`);
    const row = page.html.slice(page.html.indexOf(`data-testid="delivery-${memo.number}"`));
    expect(textOf(row.slice(0, row.indexOf("</tr>")))).toContain(`Credit memo ${memo.number}`);
    expect(textOf(row.slice(0, row.indexOf("</tr>")))).toContain("Sent");
    expect(row.slice(0, row.indexOf("</tr>"))).toContain(`/credit-memos/${memo.id}/pdf`);
    const pdf = await rep1.get(`/credit-memos/${memo.id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdfText(Buffer.from(await pdf.arrayBuffer()))).toContain("Short shipment");

    // A memo that cannot get through is retried, shows in the owner's My day, and a re-send delivers it.
    await portal.db.invoiceDeliverySetting.update({ where: { accountId: northwind.id }, data: { ediTarget: "partner-sftp" } });
    const stuck = await erpMemo(northwind.id, invoice, 10_00n, "Freight refund");
    const start = new Date();
    await deliveryJobAt(start);
    const [retrying] = await deliveriesOf(stuck.id);
    expect(retrying).toMatchObject({ status: "RETRYING", attempts: 1, lastErrorCode: "transport" });
    const day = textOf((await rep1.page("/rep/day")).html);
    expect(day).toContain(`Credit memo ${stuck.number} did not reach the customer by EDI (X12 810) (Retried — will try again)`);
    await portal.db.invoiceDeliverySetting.update({ where: { accountId: northwind.id }, data: { ediTarget: "folder" } });
    const resent = await rep1.post(`/rep/accounts/${northwind.id}/delivery`, { intent: "resend", deliveryId: retrying.id, attempts: "1" });
    expect(new URL(resent.headers.get("location")!, portal.url).searchParams.get("saved")).toBe("delivery:resent.sent");
    const [sent] = await deliveriesOf(stuck.id);
    expect(sent).toMatchObject({ status: "SENT", attempts: 2 });
    const [again] = await interchangesOf(sent.id);
    const reread = await read810(ediFile(again.controlNumber));
    expect(reread.kind).toBe("CR");
    expect(reread.tdsCents).toBe(10_00);
    expect(textOf((await rep1.page("/rep/day")).html)).not.toContain(`Credit memo ${stuck.number}`);
  }, 120_000);
});

describe("portal path", () => {
  it("sends nothing; the customer downloads the memo PDF from the invoice and dispute pages, another customer gets 404, reps may", async () => {
    const acme = await account("ACC-1001");
    const pat = await portal.signedIn("ap@acme-industrial.example");
    const invoice = await openInvoice(acme.id, 100_00n);
    const { memo, dispute } = await creditThroughDispute(pat, invoice.id, "80.00", "Damaged in transit");
    await deliveryJobAt(new Date());
    expect(await deliveriesOf(memo.id)).toHaveLength(0);
    expect(await portal.db.outboxEmail.count({ where: { template: "credit_memo_delivery", subject: { contains: memo.number } } })).toBe(0);

    const href = `/credit-memos/${memo.id}/pdf`;
    expect((await pat.page(`/invoices/${invoice.id}`)).html).toContain(`href="${href}"`);
    const disputePage = await pat.page(`/disputes/${dispute.id}`);
    expect(disputePage.html).toContain(`href="${href}"`);
    expect(textOf(disputePage.html)).toContain(`Download credit memo ${memo.number} (PDF)`);

    const res = await pat.get(href);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toContain(`credit-memo-${memo.number}.pdf`);
    const text = pdfText(Buffer.from(await res.arrayBuffer()));
    expect(text).toContain(`Credit memo ${memo.number}`);
    expect(text).toContain(`Credit memo number ${memo.number}`);
    expect(text).toContain("Credits invoice");
    expect(text).toContain(invoice.number);
    expect(text).toContain(`Dispute ${dispute.number}`);
    expect(text).toContain("$80.00");
    expect(text).toContain("Damaged in transit");
    expect(text).toContain("Acme Industrial Supply Inc.");
    expect(text).toContain("Northfield Industrial Distribution, Inc.");

    // Another account's customer finds nothing there; a guest signs in first; any rep level and the manager may.
    for (const other of ["cxp@distnorte.example", "admin@herramientas-ibericas.example"]) {
      expect((await (await portal.signedIn(other)).get(href)).status).toBe(404);
    }
    const guest = await portal.browser().get(href);
    expect(guest.status).toBe(302);
    expect(guest.headers.get("location")).toContain("/login");
    for (const staff of ["rep1@accounts.example", "manager@accounts.example"]) {
      const got = await (await portal.signedIn(staff)).get(href);
      expect(got.status).toBe(200);
      expect(got.headers.get("content-type")).toBe("application/pdf");
    }
    // Nothing but a posted memo is a memo: an unknown id is not found, for the customer and for staff.
    expect((await pat.get("/credit-memos/no-such-memo/pdf")).status).toBe(404);
    expect((await senior.get("/credit-memos/no-such-memo/pdf")).status).toBe(404);
  }, 120_000);
});

describe("exactly once", () => {
  it("job runs at once queue and send a posted memo once per path; the ledger refuses a second row for it", async () => {
    const bajio = await account("ACC-1006");
    const northwind = await account("ACC-1005");
    const mailed = await erpMemo(bajio.id, await anyInvoice(bajio.id), 150_00n, "Bonificación por volumen");
    const edi = await erpMemo(northwind.id, await anyInvoice(northwind.id), 5_00n, "Pricing correction");
    const now = new Date();
    const [, , ...runs] = await Promise.all([runInvoiceDelivery({ now }), runInvoiceDelivery({ now }), deliveryJobAt(now), deliveryJobAt(now)]);
    expect(runs.flat().every((r) => r.ok)).toBe(true);

    const mailRows = await deliveriesOf(mailed.id);
    expect(mailRows).toHaveLength(1);
    expect(mailRows[0]).toMatchObject({ status: "SENT", attempts: 1, path: "EMAIL" });
    const mails = await portal.db.outboxEmail.findMany({
      where: { template: "credit_memo_delivery", subject: { contains: mailed.number } },
      orderBy: { to: "asc" },
    });
    // One mail to each billing address, each with one memo PDF, in the account's Spanish (Mexico).
    expect(mails.map((m) => m.to)).toEqual(["cxp@comercializadora-bajio.example", "facturas@comercializadora-bajio.example"]);
    for (const mail of mails) {
      expect(mail.subject).toBe(`Nota de crédito ${mailed.number} de la cuenta ACC-1006`);
      const attachments = await portal.db.outboxAttachment.findMany({ where: { emailId: mail.id } });
      expect(attachments.map((a) => a.fileName)).toEqual([`nota-de-credito-${mailed.number}.pdf`]);
      const text = pdfText(Buffer.from(attachments[0].contentBase64, "base64"));
      expect(text).toContain("Bonificación por volumen");
      expect(text).toContain("$150.00");
    }

    const ediRows = await deliveriesOf(edi.id);
    expect(ediRows).toHaveLength(1);
    expect(await interchangesOf(ediRows[0].id)).toHaveLength(1);

    // The unique key (document + path) backs it: a second ledger row for the memo is refused.
    await expect(
      portal.db.invoiceDelivery.create({
        data: { accountId: bajio.id, documentKind: "CREDIT_MEMO", documentId: mailed.id, documentNumber: mailed.number, path: "EMAIL", nextAttemptAt: now },
      }),
    ).rejects.toThrow();
  }, 120_000);
});
