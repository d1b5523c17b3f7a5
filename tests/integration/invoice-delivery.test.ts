/**
 * Invoice delivery through the job runner and the routes: an EDI account's new invoice
 * becomes one 810 in its partner's outbound folder whose totals equal the invoice (read
 * back with x12-parser, not the library that wrote it); a 997 rejection shows on the 360
 * and a re-send gets a new control number; an email account's invoice lands in the outbox
 * in Spanish with its PDF; runs at once deliver once; a rep sets the path with a plain form.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JOBS } from "../../app/domain/jobs/registry.server";
import { runJobsOnce } from "../../app/domain/jobs/runner.server";
import { deliveryFailuresFor } from "../../app/domain/invoice-delivery/delivery-ledger.server";
import { startPortal, textOf, type TestPortal } from "../support/portal";
import { read810 } from "../support/x12-readback";

let portal: TestPortal;
let outbound: string;
const secret = crypto.randomBytes(24).toString("hex");

beforeAll(async () => {
  outbound = fs.mkdtempSync(path.join(os.tmpdir(), "portal-edi-"));
  portal = await startPortal({
    EDI_OUTBOUND_DIR: outbound,
    EDI_INBOUND_SECRET: secret,
    EDI_TARGETS: JSON.stringify({ "partner-sftp": { type: "sftp", host: "sftp.partner.example", username: "portal", privateKeyFile: "/etc/portal/edi_key" } }),
  });
});
afterAll(async () => {
  await portal?.close();
  fs.rmSync(outbound, { recursive: true, force: true });
});

const jobsAt = (now: Date) => runJobsOnce(JOBS, () => now);

async function account(number: string) {
  return portal.db.account.findUniqueOrThrow({ where: { number } });
}

/** A new invoice with lines, as the ERP would post it. */
async function newInvoice(accountId: string, currency: string, lines: [number, bigint][]) {
  const total = lines.reduce((sum, [q, p]) => sum + BigInt(q) * p, 0n);
  return portal.db.invoice.create({
    data: {
      number: `INV-D-${crypto.randomBytes(3).toString("hex")}`,
      accountId,
      currency,
      poNumber: "PO-D-1",
      issuedOn: new Date("2026-12-01T00:00:00Z"),
      dueOn: new Date("2026-12-31T00:00:00Z"),
      totalMinor: total,
      balanceMinor: total,
      lines: {
        create: lines.map(([quantity, unit], i) => ({
          lineNo: i + 1,
          sku: `SKU-${i + 1}`,
          description: `Item ${i + 1}`,
          quantity,
          unitPriceMinor: unit,
          amountMinor: BigInt(quantity) * unit,
        })),
      },
    },
  });
}

const deliveryOf = (documentId: string) => portal.db.invoiceDelivery.findMany({ where: { documentId } });
const interchangesOf = (deliveryId: string) => portal.db.ediInterchange.findMany({ where: { deliveryId }, orderBy: { controlNumber: "asc" } });
const fileOf = (controlNumber: number) => fs.readFileSync(path.join(outbound, "NORTHWINDRTL", `810-${String(controlNumber).padStart(9, "0")}.x12`), "ascii");

function ack997(controlNumber: number, verdict: "A" | "R", from = "NORTHWINDRTL") {
  const isa = `ISA*00*          *00*          *ZZ*${from.padEnd(15)}*ZZ*${"CUSTACCOUNTS".padEnd(15)}*261202*0900*U*00401*000000777*0*P*>~`;
  const errors = verdict === "R" ? "AK5*R*5~AK9*R*1*1*0~" : "AK5*A~AK9*A*1*1*1~";
  return `${isa}\nGS*FA*${from}*CUSTACCOUNTS*20261202*0900*777*X*004010~\nST*997*0001~\nAK1*IN*${controlNumber}~\nAK2*810*0001~\n${errors}\nSE*6*0001~\nGE*1*777~\nIEA*1*000000777~`;
}

const post997 = (body: string, token = secret) =>
  fetch(`${portal.url}/webhooks/edi/997`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/edi-x12" }, body });

describe("EDI", () => {
  it("delivers a new invoice as one 810 whose totals equal the invoice, read back by an independent parser", async () => {
    const northwind = await account("ACC-1005");
    // The seeded invoices go out on the first run.
    await jobsAt(new Date("2026-12-01T10:00:00Z"));
    const seeded = await portal.db.invoiceDelivery.findMany({ where: { accountId: northwind.id } });
    expect(seeded.length).toBeGreaterThanOrEqual(2);
    expect(seeded.every((d) => d.status === "SENT" && d.path === "EDI")).toBe(true);

    const invoice = await newInvoice(northwind.id, "USD", [
      [3, 12_50n],
      [7, 1_099n],
      [1, 450_00n],
    ]);
    const runs = await jobsAt(new Date("2026-12-01T11:00:00Z"));
    expect(runs.find((r) => r.name === "invoice-delivery")).toMatchObject({ ok: true, result: { sent: 1 } });
    const [delivery] = await deliveryOf(invoice.id);
    expect(delivery).toMatchObject({ status: "SENT", attempts: 1, path: "EDI" });
    const [interchange] = await interchangesOf(delivery.id);
    const read = await read810(fileOf(interchange.controlNumber));
    expect(read.controlNumber).toBe(interchange.controlNumber);
    expect(read.receiver).toBe("NORTHWINDRTL");
    expect(read.kind).toBe("DI");
    expect(read.number).toBe(invoice.number);
    expect(read.lines).toHaveLength(3);
    expect(read.tdsCents).toBe(Number(invoice.totalMinor));
    expect(read.bt?.["2"]).toBe("Northwind Retail Group Inc.");
    // Exactly the file the ledger recorded.
    expect(fileOf(interchange.controlNumber)).toBe(interchange.content);
  }, 120_000);

  it("sends a credit memo as an 810 with the credit indicator and the invoice it credits", async () => {
    const northwind = await account("ACC-1005");
    const invoice = await newInvoice(northwind.id, "USD", [[2, 100_00n]]);
    const memo = await portal.db.adjustment.create({
      data: {
        number: `CM-D-${crypto.randomBytes(3).toString("hex")}`,
        accountId: northwind.id,
        invoiceId: invoice.id,
        kind: "CREDIT_MEMO",
        amountMinor: 35_00n,
        currency: "USD",
        reason: "Damaged carton",
        status: "POSTED",
        postedAt: new Date(),
      },
    });
    await jobsAt(new Date("2026-12-01T12:00:00Z"));
    const [delivery] = await deliveryOf(memo.id);
    expect(delivery).toMatchObject({ status: "SENT", documentKind: "CREDIT_MEMO" });
    const [interchange] = await interchangesOf(delivery.id);
    const read = await read810(fileOf(interchange.controlNumber));
    expect(read.kind).toBe("CR");
    expect(read.tdsCents).toBe(35_00);
    expect(read.segments.find((s) => s.name === "REF" && s["1"] === "OI")?.["2"]).toBe(invoice.number);
  }, 60_000);

  it("shows a 997 rejection to the rep, and a re-send goes out with a new control number", async () => {
    const northwind = await account("ACC-1005");
    const invoice = await newInvoice(northwind.id, "USD", [[4, 25_00n]]);
    await jobsAt(new Date("2026-12-01T13:00:00Z"));
    const [delivery] = await deliveryOf(invoice.id);
    const [first] = await interchangesOf(delivery.id);

    expect((await post997(ack997(first.controlNumber, "R"), "wrong-secret-wrong-secret")).status).toBe(401);
    expect((await post997("not x12 at all")).status).toBe(400);
    // Another partner cannot settle Northwind's invoice.
    const foreign = await post997(ack997(first.controlNumber, "A", "SOMEONEELSE"));
    expect((await foreign.json()).acknowledgements).toEqual([{ controlNumber: first.controlNumber, result: "unknown" }]);
    const res = await post997(ack997(first.controlNumber, "R"));
    expect(res.status).toBe(200);
    expect((await res.json()).acknowledgements).toEqual([{ controlNumber: first.controlNumber, result: "rejected" }]);
    expect((await deliveryOf(invoice.id))[0]).toMatchObject({ status: "FAILED", lastErrorCode: "rejected" });

    const rep1 = await portal.db.user.findUniqueOrThrow({ where: { email: "rep1@accounts.example" } });
    expect((await deliveryFailuresFor(rep1.id)).map((f) => f.documentNumber)).toContain(invoice.number);

    const rep = await portal.signedIn("rep1@accounts.example");
    const page = await rep.page(`/rep/accounts/${northwind.id}`);
    const row = textOf(page.html.slice(page.html.indexOf(`data-testid="delivery-${invoice.number}"`)));
    expect(row).toContain("Failed");
    expect(row).toContain("Rejected by the customer's EDI system (997).");
    expect(textOf(page.html)).toContain("EDI 810 to ZZ:NORTHWINDRTL (outbound folder)");

    // A customer cannot re-send; the rep can, once per state they saw.
    const customer = await portal.signedIn("ap@acme-industrial.example");
    expect((await customer.post(`/rep/accounts/${northwind.id}/delivery`, { intent: "resend", deliveryId: delivery.id, attempts: "1" })).status).toBe(403);
    const [a, b] = await Promise.all(
      [1, 2].map(() => rep.post(`/rep/accounts/${northwind.id}/delivery`, { intent: "resend", deliveryId: delivery.id, attempts: "1" })),
    );
    expect([a.status, b.status]).toEqual([303, 303]);
    const notices = [a, b].map((r) => new URL(r.headers.get("location")!, portal.url).searchParams);
    expect(notices.map((n) => n.get("saved") ?? n.get("error")).sort()).toEqual(["delivery:errors.resendStale", "delivery:resent.sent"]);
    const all = await interchangesOf(delivery.id);
    expect(all).toHaveLength(2);
    expect(all[1].controlNumber).toBeGreaterThan(first.controlNumber);
    const again = await read810(fileOf(all[1].controlNumber));
    expect(again.controlNumber).toBe(all[1].controlNumber);
    expect(again.tdsCents).toBe(100_00);
    expect((await deliveryOf(invoice.id))[0]).toMatchObject({ status: "SENT", attempts: 2 });
    // A late 997 for the first interchange no longer moves the delivery; one for the new one accepts it.
    await post997(ack997(first.controlNumber, "A"));
    expect((await deliveryOf(invoice.id))[0].status).toBe("SENT");
    await post997(ack997(all[1].controlNumber, "A"));
    expect((await deliveryOf(invoice.id))[0].status).toBe("ACCEPTED");
  }, 120_000);

  it("retries an unreachable SFTP target with backoff and shows the delivery error", async () => {
    const northwind = await account("ACC-1005");
    await portal.db.invoiceDeliverySetting.update({ where: { accountId: northwind.id }, data: { ediTarget: "partner-sftp" } });
    try {
      const invoice = await newInvoice(northwind.id, "USD", [[1, 10_00n]]);
      const start = new Date("2026-12-02T08:00:00Z");
      await jobsAt(start);
      let [delivery] = await deliveryOf(invoice.id);
      expect(delivery).toMatchObject({ status: "RETRYING", attempts: 1, lastErrorCode: "transport" });
      expect(delivery.lastError).toContain('SFTP target "partner-sftp"');
      expect(delivery.nextAttemptAt.getTime()).toBe(start.getTime() + 5 * 60_000);
      // Not before its time; then again, with a longer wait.
      await jobsAt(new Date(start.getTime() + 60_000));
      expect((await deliveryOf(invoice.id))[0].attempts).toBe(1);
      await jobsAt(new Date(start.getTime() + 6 * 60_000));
      [delivery] = await deliveryOf(invoice.id);
      expect(delivery).toMatchObject({ status: "RETRYING", attempts: 2 });
      expect(delivery.nextAttemptAt.getTime()).toBe(start.getTime() + 6 * 60_000 + 10 * 60_000);
      for (let hour = 1; hour <= 12; hour++) await jobsAt(new Date(start.getTime() + hour * 3_600_000));
      [delivery] = await deliveryOf(invoice.id);
      expect(delivery).toMatchObject({ status: "FAILED", attempts: 5 });
      expect(await portal.db.ediInterchange.count({ where: { deliveryId: delivery.id } })).toBe(0);
    } finally {
      await portal.db.invoiceDeliverySetting.update({ where: { accountId: northwind.id }, data: { ediTarget: "folder" } });
    }
  }, 120_000);
});

describe("email", () => {
  it("puts a Spanish account's invoice in the outbox in Spanish, with the invoice PDF attached, to each billing address", async () => {
    const bajio = await account("ACC-1006");
    const invoice = await newInvoice(bajio.id, "MXN", [[10, 1_450_00n]]);
    await jobsAt(new Date("2026-12-03T09:00:00Z"));
    const [delivery] = await deliveryOf(invoice.id);
    expect({ status: delivery.status, path: delivery.path, lastError: delivery.lastError }).toEqual({ status: "SENT", path: "EMAIL", lastError: null });
    const mails = await portal.db.outboxEmail.findMany({
      where: { template: "invoice_delivery", subject: { contains: invoice.number } },
      orderBy: { to: "asc" },
    });
    expect(mails.map((m) => m.to)).toEqual(["cxp@comercializadora-bajio.example", "facturas@comercializadora-bajio.example"]);
    for (const mail of mails) {
      expect(mail.language).toBe("es");
      expect(mail.subject).toBe(`Factura ${invoice.number} de la cuenta ACC-1006`);
      expect(mail.text).toContain("Adjuntamos la factura");
      expect(mail.text).toContain("$14,500.00");
      const [attachment] = await portal.db.outboxAttachment.findMany({ where: { emailId: mail.id } });
      expect(attachment.fileName).toBe(`factura-${invoice.number}.pdf`);
      expect(attachment.contentType).toBe("application/pdf");
      expect(Buffer.from(attachment.contentBase64, "base64").subarray(0, 5).toString("latin1")).toBe("%PDF-");
    }
  }, 60_000);
});

describe("exactly once", () => {
  it("five job runs at once deliver each new document once per path", async () => {
    const northwind = await account("ACC-1005");
    const bajio = await account("ACC-1006");
    const edi = await newInvoice(northwind.id, "USD", [[2, 30_00n]]);
    const mail = await newInvoice(bajio.id, "MXN", [[1, 900_00n]]);
    const now = new Date("2026-12-04T09:00:00Z");
    const runs = await Promise.all(Array.from({ length: 5 }, () => jobsAt(now)));
    expect(runs.flat().every((r) => r.ok)).toBe(true);
    const [ediDelivery] = await deliveryOf(edi.id);
    expect(await deliveryOf(edi.id)).toHaveLength(1);
    expect(await interchangesOf(ediDelivery.id)).toHaveLength(1);
    expect(await portal.db.outboxEmail.count({ where: { template: "invoice_delivery", subject: { contains: mail.number } } })).toBe(2);
  }, 120_000);
});

describe("the rep sets the path on the 360", () => {
  it("refuses bad input with a translated error and changes nothing, then saves a valid path", async () => {
    const acme = await account("ACC-1001");
    const rep = await portal.signedIn("rep2@accounts.example", { acceptLanguage: "es" });
    const url = `/rep/accounts/${acme.id}/delivery`;
    const audit = await portal.db.auditLog.count();
    const bad = await rep.post(url, { intent: "path", path: "EMAIL", billingEmails: "" });
    expect(bad.status).toBe(303);
    const shown = await rep.page(bad.headers.get("location")!);
    expect(textOf(shown.html)).toContain("La entrega por correo necesita al menos un correo de facturación.");
    const badEdi = await rep.post(url, { intent: "path", path: "EDI", ediQualifier: "ZZ", ediInterchangeId: "A*B", ediGroupId: "ACME", ediTarget: "folder" });
    expect(new URL(badEdi.headers.get("location")!, portal.url).searchParams.get("error")).toBe("delivery:errors.partnerId");
    expect(await portal.db.invoiceDeliverySetting.count({ where: { accountId: acme.id } })).toBe(0);
    expect(await portal.db.auditLog.count()).toBe(audit);

    const good = await rep.post(url, { intent: "path", path: "EMAIL", billingEmails: "AP@acme-industrial.example, controller@acme-industrial.example" });
    expect(new URL(good.headers.get("location")!, portal.url).searchParams.get("saved")).toBe("delivery:saved");
    const page = await rep.page(`/rep/accounts/${acme.id}`);
    expect(textOf(page.html)).toContain("Correo con PDF a ap@acme-industrial.example, controller@acme-industrial.example");
    // Its old invoices stay portal-only: only documents from now on go out by email.
    await jobsAt(new Date());
    expect(await portal.db.invoiceDelivery.count({ where: { accountId: acme.id } })).toBe(0);
    // The customer's portal shows every invoice whatever the path.
    const newest = await portal.db.invoice.findFirstOrThrow({ where: { accountId: acme.id }, orderBy: [{ issuedOn: "desc" }, { id: "desc" }] });
    const customer = await portal.signedIn("ap@acme-industrial.example");
    expect((await customer.page(`/invoices?q=${encodeURIComponent(newest.number)}`)).html).toContain(`/invoices/${newest.id}`);
  }, 60_000);
});
