/**
 * Refused forms, as a browser without JavaScript sees them: the page that comes back keeps
 * what was typed and ticked (pay, promises, new dispute, dispute reply); a blank amount to
 * pay is refused rather than read as the whole balance; a dispute reply is stored once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
let acme: { id: string };
let norte: { id: string };
let iberica: { id: string };
beforeAll(async () => {
  portal = await startPortal();
  acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
  norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
  iberica = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1003" } });
});
afterAll(async () => {
  await portal?.close();
});

/** The server-rendered `<input …>` tag with this attribute, or "" when there is none. */
function inputTag(html: string, attribute: string) {
  return new RegExp(`<input[^>]*\\s${attribute}[^>]*>`).exec(html)?.[0] ?? "";
}
const valueOf = (tag: string) => /\svalue="([^"]*)"/.exec(tag)?.[1] ?? null;
const isChecked = (tag: string) => /\schecked(=|\s|\/|>)/.test(tag);
const hidden = (html: string, name: string) => valueOf(inputTag(html, `name="${name}"`));

async function openInvoices(accountId: string, take: number) {
  return portal.db.invoice.findMany({
    where: { accountId, status: "OPEN", balanceMinor: { gt: 100_00 }, disputes: { none: {} } },
    orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    take,
  });
}

describe("the pay form, refused", () => {
  it("comes back with each typed amount exactly as typed and the same invoices ticked, and charges nothing", async () => {
    const customer = await portal.signedIn("admin@herramientas-ibericas.example");
    const [first, second] = await openInvoices(iberica.id, 2);
    // Nothing preselected in the address: the ticks exist only in what was posted.
    const key = hidden((await customer.page("/pay?currency=EUR")).html, "idempotencyKey")!;
    const before = await portal.db.payment.count({ where: { accountId: iberica.id } });
    const fields = new URLSearchParams({ idempotencyKey: key, currency: "EUR" });
    fields.append("invoiceId", first.id);
    fields.append("invoiceId", second.id);
    fields.append(`amount-${first.id}`, "10.5"); // A dot is not Spain's decimal mark: refused.
    fields.append(`amount-${second.id}`, "20,00");
    const res = await customer.request("/pay?currency=EUR", { method: "POST", body: fields });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(valueOf(inputTag(html, `name="amount-${first.id}"`))).toBe("10.5");
    expect(valueOf(inputTag(html, `name="amount-${second.id}"`))).toBe("20,00");
    expect(isChecked(inputTag(html, `id="pick-${first.id}"`))).toBe(true);
    expect(isChecked(inputTag(html, `id="pick-${second.id}"`))).toBe(true);
    // The error stands beside the field that is wrong, and the total counts what was typed, not the balances.
    expect(html).toContain(`id="amount-${first.id}-error"`);
    expect(textOf(html)).toMatch(/Total seleccionado:?\s+20,00\s€/);
    expect(await portal.db.payment.count({ where: { accountId: iberica.id } })).toBe(before);
  });

  it("refuses a blank amount on a ticked invoice, in English and in Spanish, and charges nothing", async () => {
    for (const [email, account, currency, message] of [
      ["ap@acme-industrial.example", acme, "USD", "Enter the amount to pay, or untick the invoice."],
      ["cxp@distnorte.example", norte, "MXN", "Escriba el importe que quiere pagar o desmarque la factura."],
    ] as const) {
      const customer = await portal.signedIn(email);
      const [invoice] = await openInvoices(account.id, 1);
      const before = await portal.db.payment.count({ where: { accountId: account.id } });
      for (const amount of ["", "   ", null]) {
        const key = hidden((await customer.page(`/pay?currency=${currency}&invoice=${invoice.id}`)).html, "idempotencyKey")!;
        const fields = new URLSearchParams({ idempotencyKey: key, currency, invoiceId: invoice.id });
        if (amount !== null) fields.set(`amount-${invoice.id}`, amount);
        const res = await customer.request("/pay", { method: "POST", body: fields });
        expect(res.status, `${email} ${JSON.stringify(amount)}`).toBe(400);
        expect(textOf(await res.text())).toContain(message);
      }
      expect(await portal.db.payment.count({ where: { accountId: account.id } })).toBe(before);
      expect((await portal.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).balanceMinor).toBe(invoice.balanceMinor);
    }
  });

  it("still fills in each invoice's whole balance for the customer who wants to pay it all", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const [invoice] = await openInvoices(acme.id, 1);
    const html = (await customer.page(`/pay?currency=USD&invoice=${invoice.id}`)).html;
    expect(valueOf(inputTag(html, `name="amount-${invoice.id}"`))).toBe((Number(invoice.balanceMinor) / 100).toFixed(2));
  });
});

function multipart(fields: Record<string, string>, files: { name: string; bytes: Uint8Array; type: string }[] = []) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append("attachment", new Blob([f.bytes.buffer as ArrayBuffer], { type: f.type }), f.name);
  return form;
}
const EXE = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]);

describe("a reply on a dispute", () => {
  let customer: Browser;
  let disputeId: string;
  beforeAll(async () => {
    customer = await portal.signedIn("cxp@distnorte.example");
    disputeId = (await portal.db.dispute.findFirstOrThrow({ where: { accountId: norte.id, status: { in: ["OPEN", "IN_REVIEW"] } } })).id;
  });

  it("is stored once when the same form is sent twice at once and again on reload, and each post is answered with a redirect", async () => {
    const requestKey = hidden((await customer.page(`/disputes/${disputeId}`)).html, "requestKey");
    expect(requestKey).toBeTruthy();
    const body = `Adjunto la remisión firmada ${requestKey}.`;
    const send = () => customer.request(`/disputes/${disputeId}`, { method: "POST", body: multipart({ requestKey: requestKey!, body }) });
    const together = await Promise.all([send(), send(), send()]);
    const reloaded = await send();
    for (const res of [...together, reloaded]) {
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`/disputes/${disputeId}?sent=1`);
    }
    expect(await portal.db.disputeMessage.count({ where: { disputeId, body } })).toBe(1);
    expect(
      await portal.db.auditLog.count({ where: { entityId: disputeId, action: "dispute_message", createdAt: { gt: new Date(Date.now() - 60_000) } } }),
    ).toBe(1);
    // The page it leads to says it was sent and offers an empty form with a new key.
    const page = await customer.page(`/disputes/${disputeId}?sent=1`);
    expect(textOf(page.html)).toContain("Su mensaje fue enviado.");
    expect(hidden(page.html, "requestKey")).not.toBe(requestKey);
    // A second reply, from a new form, is a new message.
    const next = await customer.request(`/disputes/${disputeId}`, { method: "POST", body: multipart({ requestKey: hidden(page.html, "requestKey")!, body }) });
    expect(next.status).toBe(303);
    expect(await portal.db.disputeMessage.count({ where: { disputeId, body } })).toBe(2);
  });

  it("refused for its attachment, comes back with the text as typed and stores nothing", async () => {
    const requestKey = hidden((await customer.page(`/disputes/${disputeId}`)).html, "requestKey")!;
    const before = await portal.db.disputeMessage.count({ where: { disputeId } });
    const res = await customer.request(`/disputes/${disputeId}`, {
      method: "POST",
      body: multipart({ requestKey, body: "La factura duplica la partida 3 & <la 4>." }, [{ name: "setup.exe", bytes: EXE, type: "application/octet-stream" }]),
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(/<textarea[^>]*name="body"[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1]).toBe("La factura duplica la partida 3 &amp; &lt;la 4&gt;.");
    expect(await portal.db.disputeMessage.count({ where: { disputeId } })).toBe(before);
  });
});

describe("a new dispute, refused", () => {
  it("comes back with the reason, the chosen lines, the amount and the message as sent, and opens nothing", async () => {
    const customer = await portal.signedIn("cxp@distnorte.example");
    const invoice = await portal.db.invoice.findFirstOrThrow({
      where: { accountId: norte.id, status: "OPEN", disputes: { none: {} }, lines: { some: {} } },
      orderBy: [{ dueOn: "asc" }, { id: "asc" }],
      include: { lines: { orderBy: { lineNo: "asc" } } },
    });
    const before = await portal.db.dispute.count({ where: { accountId: norte.id } });
    const form = multipart({
      invoiceId: invoice.id,
      reason: "PRICING",
      scope: "lines",
      lineId: invoice.lines[0].id,
      amount: "1.234,56",
      message: "El precio no coincide.",
    });
    const res = await customer.request(`/disputes/new?invoice=${invoice.id}`, { method: "POST", body: form });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('id="amount-error"');
    expect(valueOf(inputTag(html, 'name="amount"'))).toBe("1.234,56");
    expect(/<textarea[^>]*name="message"[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1]).toBe("El precio no coincide.");
    expect(/<option value="PRICING" selected=""/.test(html)).toBe(true);
    expect(isChecked(inputTag(html, 'value="lines"'))).toBe(true);
    expect(isChecked(inputTag(html, 'value="invoice"'))).toBe(false);
    expect(isChecked(inputTag(html, `value="${invoice.lines[0].id}"`))).toBe(true);
    expect(await portal.db.dispute.count({ where: { accountId: norte.id } })).toBe(before);
  });
});

describe("the customer's promise to pay, refused", () => {
  it("comes back with the ticked invoices, amount, date and note as sent, and promises nothing", async () => {
    const customer = await portal.signedIn("admin@herramientas-ibericas.example");
    const page = (await customer.page("/promises")).html;
    const invoiceIds = [...page.matchAll(/<input[^>]*name="invoiceId"[^>]*value="([^"]+)"/g)].map((m) => m[1]);
    expect(invoiceIds.length).toBeGreaterThan(0);
    const before = await portal.db.promiseToPay.count({ where: { accountId: iberica.id } });
    const fields = new URLSearchParams({
      intent: "promise",
      requestKey: hidden(page, "requestKey")!,
      amount: "12,50",
      promisedFor: "2001-01-01",
      note: "Pago por transferencia",
    });
    fields.append("invoiceId", invoiceIds[0]);
    const res = await customer.request("/promises", { method: "POST", body: fields });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('id="promise-promisedFor-error"');
    expect(isChecked(inputTag(html, `id="promise-invoice-${invoiceIds[0]}"`))).toBe(true);
    for (const other of invoiceIds.slice(1)) expect(isChecked(inputTag(html, `id="promise-invoice-${other}"`))).toBe(false);
    expect(valueOf(inputTag(html, 'id="promise-amount"'))).toBe("12,50");
    expect(valueOf(inputTag(html, 'id="promise-date"'))).toBe("2001-01-01");
    expect(valueOf(inputTag(html, 'id="promise-note"'))).toBe("Pago por transferencia");
    expect(await portal.db.promiseToPay.count({ where: { accountId: iberica.id } })).toBe(before);
  });
});
