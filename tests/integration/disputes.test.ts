/** Disputes end to end: a customer disputes one line, a rep works it, authority decides who may post the credit memo. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
let norte: { id: string; legalName: string };
let customer: Browser;
const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a, 0x25, 0x25, 0x45, 0x4f, 0x46]);

beforeAll(async () => {
  portal = await startPortal();
  norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
  customer = await portal.signedIn("cxp@distnorte.example");
});
afterAll(async () => {
  await portal?.close();
});

/** Open, undisputed invoices with a large line, largest line first (above a Rep I's memo authority once in USD). */
async function openInvoice(skip: number) {
  return portal.db.invoice.findFirstOrThrow({
    where: { accountId: norte.id, status: "OPEN", disputes: { none: {} }, lines: { some: { amountMinor: { gt: 2_000_000n } } } },
    orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    skip,
    include: { lines: { orderBy: { amountMinor: "desc" } } },
  });
}

function disputeForm(fields: Record<string, string | string[]>, files: { name: string; bytes: Uint8Array; type: string }[] = []) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) form.append(k, value);
  for (const f of files) form.append("attachment", new Blob([f.bytes.buffer as ArrayBuffer], { type: f.type }), f.name);
  return form;
}

async function openLineDispute(b: Browser, invoiceId: string, lineId: string, amount = "") {
  return b.request(`/disputes/new?invoice=${invoiceId}`, {
    method: "POST",
    body: disputeForm({ invoiceId, reason: "QUANTITY", scope: "lines", lineId, amount, message: "Recibimos 10 piezas, no 12." }, [
      { name: "remision.pdf", bytes: PDF, type: "application/pdf" },
    ]),
  });
}

describe("a dispute on one line", () => {
  let disputeId: string;
  let invoice: Awaited<ReturnType<typeof openInvoice>>;

  it("is opened by the customer with a reason, amount, message and attachment", async () => {
    invoice = await openInvoice(0);
    const form = await customer.page(`/disputes/new?invoice=${invoice.id}`);
    expect(form.status).toBe(200);
    expect(textOf(form.html)).toContain(`Aclaración de la factura ${invoice.number}`);
    const res = await openLineDispute(customer, invoice.id, invoice.lines[0].id);
    expect(res.status).toBe(302);
    disputeId = res.headers.get("location")!.split("/").pop()!;
    const dispute = await portal.db.dispute.findUniqueOrThrow({ where: { id: disputeId }, include: { lines: true, attachments: true } });
    expect(dispute.amountMinor).toBe(invoice.lines[0].amountMinor);
    expect(dispute.lines).toHaveLength(1);
    expect(dispute.attachments).toHaveLength(1);
    expect(dispute.language).toBe("es");
    const page = textOf((await customer.page(`/disputes/${disputeId}`)).html);
    expect(page).toContain("Recibimos 10 piezas, no 12.");
    expect(page).toContain("Abierta");
    // While open, the invoice is not counted in the past-due filter.
    expect(textOf((await customer.page(`/invoices?status=pastDue&q=${invoice.number}`)).html)).toContain("Ninguna factura coincide");
    const file = await customer.get(`/disputes/${disputeId}/attachments/${dispute.attachments[0].id}`);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/pdf");
  });

  it("rejects bad input with translated errors and creates nothing", async () => {
    const count = await portal.db.dispute.count();
    const undisputed = await openInvoice(0);
    const tooMuch = await openLineDispute(customer, undisputed.id, undisputed.lines[0].id, "99999999.00");
    expect(tooMuch.status).toBe(400);
    expect(textOf(await tooMuch.text())).toContain("El importe es mayor que lo que eligió aclarar.");
    const badFile = await customer.request(`/disputes/new?invoice=${invoice.id}`, {
      method: "POST",
      body: disputeForm({ invoiceId: invoice.id, reason: "TAX", scope: "invoice", message: "Impuesto mal calculado" }, [
        { name: "x.exe", bytes: new Uint8Array([77, 90, 1, 2]), type: "application/octet-stream" },
      ]),
    });
    expect(badFile.status).toBe(400);
    expect(textOf(await badFile.text())).toContain("PDF, PNG");
    const noReason = await customer.request(`/disputes/new?invoice=${invoice.id}`, {
      method: "POST",
      body: disputeForm({ invoiceId: invoice.id, reason: "", scope: "invoice", message: "x" }),
    });
    expect(noReason.status).toBe(400);
    expect(await portal.db.dispute.count()).toBe(count);
  });

  it("never lets open disputes on one invoice claim more than it owes", async () => {
    const count = await portal.db.dispute.count();
    const fresh = await openInvoice(0);
    const balance = Number(fresh.balanceMinor);
    const whole = (amount: string) =>
      customer.request(`/disputes/new?invoice=${fresh.id}`, {
        method: "POST",
        body: disputeForm({ invoiceId: fresh.id, reason: "PRICING", scope: "invoice", amount, message: "El precio no es el acordado." }),
      });
    const half = Math.floor(balance / 2);
    expect((await whole((half / 100).toFixed(2))).status).toBe(302);
    // More than what is left undisputed: refused, in Spanish, nothing created.
    const tooMuch = await whole(((balance - half + 1) / 100).toFixed(2));
    expect(tooMuch.status).toBe(400);
    expect(textOf(await tooMuch.text())).toContain("El importe es mayor que lo que eligió aclarar.");
    expect(await portal.db.dispute.count()).toBe(count + 1);
    // Left blank, the amount is what is still undisputed; after that nothing is left to dispute.
    expect((await whole("")).status).toBe(302);
    const opened = await portal.db.dispute.findMany({ where: { invoiceId: fresh.id }, orderBy: { createdAt: "asc" } });
    expect(opened.map((d) => Number(d.amountMinor))).toEqual([half, balance - half]);
    const none = await whole("");
    expect(none.status).toBe(400);
    expect(textOf(await none.text())).toContain("El resto de esta factura ya está en una aclaración abierta.");
    expect(await portal.db.dispute.count()).toBe(count + 2);
    // Out of the way of the tests below, which pick undisputed invoices.
    await portal.db.disputeMessage.deleteMany({ where: { disputeId: { in: opened.map((d) => d.id) } } });
    await portal.db.dispute.deleteMany({ where: { id: { in: opened.map((d) => d.id) } } });
  });

  it("reaches the reps' queue; internal notes never reach the customer", async () => {
    const rep = await portal.signedIn("rep2@accounts.example");
    const dispute = await portal.db.dispute.findUniqueOrThrow({ where: { id: disputeId } });
    const queue = textOf((await rep.page("/rep/disputes")).html);
    expect(queue).toContain(dispute.number);
    expect(queue).toContain(norte.legalName);
    expect((await rep.post(`/rep/disputes/${disputeId}`, { intent: "assign" })).status).toBe(200);
    expect((await portal.db.dispute.findUniqueOrThrow({ where: { id: disputeId } })).status).toBe("IN_REVIEW");
    expect((await rep.post(`/rep/disputes/${disputeId}`, { intent: "note", body: "Nota interna: revisar con almacén" })).status).toBe(200);
    expect((await rep.post(`/rep/disputes/${disputeId}`, { intent: "reply", body: "Estamos revisando la remisión." })).status).toBe(200);
    const seen = textOf((await customer.page(`/disputes/${disputeId}`)).html);
    expect(seen).toContain("Estamos revisando la remisión.");
    expect(seen).not.toContain("Nota interna");
    const mail = await portal.db.outboxEmail.findFirstOrThrow({ where: { to: "cxp@distnorte.example", template: "dispute_reply" } });
    expect(mail.language).toBe("es");
  });

  it("a Rep I cannot post a memo above their limit by any route; a Senior approves it and the balance follows", async () => {
    const rep1 = await portal.signedIn("rep1@accounts.example");
    const before = await portal.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } });
    const amount = (Number(invoice.lines[0].amountMinor) / 100).toFixed(2);
    const res = await rep1.post(`/rep/disputes/${disputeId}`, { intent: "resolve", amount, resolution: "Se acredita la diferencia de piezas." });
    expect(res.status).toBe(200);
    expect(textOf(await res.text())).toContain("above your authority");
    const memo = await portal.db.adjustment.findFirstOrThrow({ where: { disputeId } });
    expect(memo.status).toBe("PENDING_APPROVAL");
    expect(memo.requiredLevel).not.toBeNull();
    expect((await portal.db.dispute.findUniqueOrThrow({ where: { id: disputeId } })).status).toBe("ESCALATED");
    // The page offers the approval only to a level that may give it; pressing it anyway, or resolving again, posts nothing.
    expect((await rep1.page(`/rep/disputes/${disputeId}`)).html).not.toMatch(/<button[^>]*value="approve"/);
    expect((await rep1.post(`/rep/disputes/${disputeId}`, { intent: "approve" })).status).toBe(403);
    // A memo is already waiting for approval: someone else's move, a conflict.
    expect((await rep1.post(`/rep/disputes/${disputeId}`, { intent: "resolve", amount: "1.00", resolution: "Otra vez, más pequeño" })).status).toBe(409);
    expect((await portal.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).balanceMinor).toBe(before.balanceMinor);
    expect((await portal.db.adjustment.findUniqueOrThrow({ where: { id: memo.id } })).status).toBe("PENDING_APPROVAL");

    const senior = await portal.signedIn("senior@accounts.example");
    expect((await senior.page(`/rep/disputes/${disputeId}`)).html).toMatch(/<button[^>]*value="approve"/);
    expect((await senior.post(`/rep/disputes/${disputeId}`, { intent: "approve" })).status).toBe(200);
    const after = await portal.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } });
    expect(after.balanceMinor).toBe(before.balanceMinor - invoice.lines[0].amountMinor);
    expect(after.status).toBe(after.balanceMinor === 0n ? "PAID" : "PARTIALLY_PAID");
    expect((await portal.db.dispute.findUniqueOrThrow({ where: { id: disputeId } })).status).toBe("RESOLVED_CREDITED");
    const mail = await portal.db.outboxEmail.findFirstOrThrow({ where: { to: "cxp@distnorte.example", template: "dispute_resolved" } });
    expect(mail.language).toBe("es");
    expect(mail.subject).toContain("resuelta con nota de crédito");
    const seen = textOf((await customer.page(`/invoices/${invoice.id}`)).html);
    expect(seen).toContain("Resuelta con nota de crédito");
    const audits = await portal.db.auditLog.findMany({ where: { entityId: { in: [invoice.id, memo.id, disputeId] } } });
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(["credit_memo_requested", "dispute_escalated", "credit_memo_posted", "credit_memo_applied", "dispute_resolved"]),
    );
  });

  it("a memo within authority posts at once; a rejection leaves the balance and explains why", async () => {
    const inv = await openInvoice(1);
    const opened = await openLineDispute(customer, inv.id, inv.lines[0].id);
    const id = opened.headers.get("location")!.split("/").pop()!;
    const rep2 = await portal.signedIn("rep2@accounts.example");
    const res = await rep2.post(`/rep/disputes/${id}`, { intent: "resolve", amount: "100.00", resolution: "Bonificamos el flete." });
    expect(textOf(await res.text())).toContain("Nota de crédito emitida");
    expect((await portal.db.invoice.findUniqueOrThrow({ where: { id: inv.id } })).balanceMinor).toBe(inv.balanceMinor - 10000n);

    const inv2 = await openInvoice(2);
    const opened2 = await openLineDispute(customer, inv2.id, inv2.lines[0].id);
    const id2 = opened2.headers.get("location")!.split("/").pop()!;
    expect((await rep2.post(`/rep/disputes/${id2}`, { intent: "reject", resolution: "" })).status).toBe(400);
    expect((await rep2.post(`/rep/disputes/${id2}`, { intent: "reject", resolution: "La remisión firmada muestra 12 piezas." })).status).toBe(200);
    expect((await portal.db.invoice.findUniqueOrThrow({ where: { id: inv2.id } })).balanceMinor).toBe(inv2.balanceMinor);
    expect(textOf((await customer.page(`/disputes/${id2}`)).html)).toContain("La remisión firmada muestra 12 piezas.");
    expect((await portal.db.outboxEmail.findFirstOrThrow({ where: { template: "dispute_rejected" } })).language).toBe("es");
  });
});

describe("isolation", () => {
  it("another account's customer gets 404 and no data for disputes, attachments and forms", async () => {
    const acme = await portal.signedIn("ap@acme-industrial.example");
    const theirs = await portal.db.dispute.findFirstOrThrow({ where: { accountId: norte.id, attachments: { some: {} } }, include: { attachments: true } });
    const inv = await openInvoice(3);
    for (const url of [`/disputes/${theirs.id}`, `/disputes/${theirs.id}/attachments/${theirs.attachments[0].id}`, `/disputes/new?invoice=${inv.id}`]) {
      const res = await acme.get(url);
      expect(res.status, url).toBe(404);
      const text = textOf(await res.text());
      expect(text).not.toContain(theirs.number);
      expect(text).not.toContain(norte.legalName);
    }
    const messages = await portal.db.disputeMessage.count();
    expect((await acme.post(`/disputes/${theirs.id}`, { body: "hola" })).status).toBe(404);
    expect(await portal.db.disputeMessage.count()).toBe(messages);
    const count = await portal.db.dispute.count();
    const forged = await openLineDispute(acme, inv.id, inv.lines[0].id);
    expect([400, 404]).toContain(forged.status);
    expect(await portal.db.dispute.count()).toBe(count);
    expect(textOf((await acme.page("/disputes")).html)).not.toContain(theirs.number);
    expect((await acme.get("/rep/disputes")).status).toBe(403);
    expect((await acme.post(`/rep/disputes/${theirs.id}`, { intent: "reject", resolution: "no no no no" })).status).toBe(403);
    expect((await portal.browser().get("/disputes")).status).toBe(302);
    const rep = await portal.signedIn("rep1@accounts.example");
    expect((await rep.get("/rep/disputes/nope")).status).toBe(404);
    expect((await rep.get("/disputes")).status).toBe(403);
  });
});

describe("the database's own rule", () => {
  it("keeps every dispute on an invoice of its own account, whoever writes it", async () => {
    const acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
    const theirInvoice = await openInvoice(0);
    const count = await portal.db.dispute.count();
    // Filed by Acme against Norte's invoice: refused, nothing written.
    await expect(
      portal.db.dispute.create({
        data: {
          number: `DSP-X${Date.now().toString(36)}`,
          accountId: acme.id,
          invoiceId: theirInvoice.id,
          reason: "PRICING",
          amountMinor: 100n,
          currency: "MXN",
        },
      }),
    ).rejects.toThrow();
    expect(await portal.db.dispute.count()).toBe(count);
    // A dispute moved to another account, or its invoice moved away from it: refused, nothing changed.
    const filed = await portal.db.dispute.findFirstOrThrow({ where: { accountId: norte.id } });
    await expect(portal.db.dispute.update({ where: { id: filed.id }, data: { accountId: acme.id } })).rejects.toThrow();
    await expect(portal.db.invoice.update({ where: { id: filed.invoiceId }, data: { accountId: acme.id } })).rejects.toThrow();
    expect((await portal.db.dispute.findUniqueOrThrow({ where: { id: filed.id } })).accountId).toBe(norte.id);
    expect((await portal.db.invoice.findUniqueOrThrow({ where: { id: filed.invoiceId } })).accountId).toBe(norte.id);
  });
});
