/**
 * Refused forms, as a browser without JavaScript sees them: the page that comes back keeps
 * what was typed and ticked (pay, promises, new dispute, dispute reply); a blank amount to
 * pay is refused rather than read as the whole balance; a dispute reply is stored once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type TestPortal } from "../support/portal";

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
