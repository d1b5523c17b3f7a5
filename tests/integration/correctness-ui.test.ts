/**
 * Issue 14, item 16: the smaller things customers and reps hit, through the pages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type TestPortal } from "../support/portal";

let portal: TestPortal;
beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  await portal?.close();
});

const DAY = 86_400_000;

describe("the pay page", () => {
  it("a 'select past due' link preselects every past-due invoice (no JavaScript), with its total; a disputed invoice defaults to its undisputed part", async () => {
    const acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
    const open = await portal.db.invoice.findMany({
      where: { accountId: acme.id, currency: "USD", status: "OPEN", disputes: { none: {} }, balanceMinor: { gt: 10_000n } },
      orderBy: { id: "asc" },
      take: 3,
    });
    await portal.db.invoice.updateMany({ where: { accountId: acme.id }, data: { dueOn: new Date(Date.now() + 20 * DAY) } });
    await portal.db.invoice.updateMany({ where: { id: { in: [open[0].id, open[1].id] } }, data: { dueOn: new Date(Date.now() - 5 * DAY) } });
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const plain = await customer.page("/pay?currency=USD");
    expect(textOf(plain.html)).toContain("Select everything past due");
    const page = await customer.page("/pay?currency=USD&select=past_due");
    for (const inv of [open[0], open[1]]) expect(page.html).toMatch(new RegExp(`value="${inv.id}"[^>]*checked|checked[^>]*value="${inv.id}"`));
    expect(page.html).not.toMatch(new RegExp(`value="${open[2].id}"[^>]*checked`));
    const total = (Number(open[0].balanceMinor + open[1].balanceMinor) / 100).toLocaleString("en-US", { minimumFractionDigits: 2 });
    expect(textOf(page.html)).toContain(`Total selected: $${total}`);

    // An open dispute of $50.00 on the third: its amount defaults to the rest.
    const user = await portal.db.user.findFirstOrThrow({ where: { email: "ap@acme-industrial.example" } });
    await portal.db.dispute.create({
      data: {
        number: `DSP-T-${Date.now()}`,
        accountId: acme.id,
        invoiceId: open[2].id,
        reason: "PRICING",
        amountMinor: 5_000n,
        currency: "USD",
        language: "en",
        openedById: user.id,
      },
    });
    const again = await customer.page("/pay?currency=USD");
    const rest = ((Number(open[2].balanceMinor) - 5_000) / 100).toFixed(2);
    expect(again.html).toMatch(new RegExp(`name="amount-${open[2].id}"[^>]*value="${rest}"|value="${rest}"[^>]*name="amount-${open[2].id}"`));
    expect(textOf(again.html)).toContain("$50.00 in dispute");
  });
});

describe("a paid invoice can be disputed", () => {
  it("as a claim up to its total", async () => {
    const acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
    const inv = await portal.db.invoice.findFirstOrThrow({ where: { accountId: acme.id, status: "OPEN", disputes: { none: {} } }, orderBy: { id: "desc" } });
    await portal.db.invoice.update({ where: { id: inv.id }, data: { status: "PAID", balanceMinor: 0n } });
    const customer = await portal.signedIn("ap@acme-industrial.example");
    expect((await customer.page(`/invoices/${inv.id}`)).html).toContain(`/disputes/new?invoice=${inv.id}`);
    const body = new FormData();
    for (const [k, v] of Object.entries({
      invoiceId: inv.id,
      reason: "PRICING",
      scope: "invoice",
      amount: "10.00",
      message: "We were overcharged; please credit the difference.",
    }))
      body.append(k, v);
    const res = await customer.request(`/disputes/new?invoice=${inv.id}`, { method: "POST", body });
    expect(res.status).toBe(302);
    expect(await portal.db.dispute.count({ where: { invoiceId: inv.id, amountMinor: 1_000n } })).toBe(1);
    const tooMuch = new FormData();
    for (const [k, v] of Object.entries({
      invoiceId: inv.id,
      reason: "PRICING",
      scope: "invoice",
      amount: ((Number(inv.totalMinor) + 100) / 100).toFixed(2),
      message: "x",
    }))
      tooMuch.append(k, v);
    expect((await customer.request(`/disputes/new?invoice=${inv.id}`, { method: "POST", body: tooMuch })).status).toBe(400);
  });
});

describe("wording and ways in", () => {
  it("the home page offers new companies a way to apply; the currency filter reads 'Todas'", async () => {
    const home = textOf((await portal.browser({ acceptLanguage: "en-US" }).page("/")).html);
    expect(home).toContain("New customer? Apply for credit");
    const es = textOf((await portal.browser({ acceptLanguage: "es-MX" }).page("/")).html);
    expect(es).toContain("¿Empresa nueva? Solicite crédito");
    const norte = await portal.signedIn("cxp@distnorte.example");
    const invoices = await norte.page("/invoices");
    expect(invoices.html).toMatch(/<select id="currency"[^>]*>\s*<option value=""[^>]*>Todas<\/option>/);
  });

  it("the rep's application page names the applicant, not 'Your full name'", async () => {
    const app = await portal.db.creditApplication.findFirstOrThrow({ where: { status: "SUBMITTED" } });
    const rep = await portal.signedIn("senior@accounts.example");
    const text = textOf((await rep.page(`/rep/credit/applications/${app.id}`)).html);
    expect(text).toContain("Applicant");
    expect(text).not.toContain("Your full name");
    expect(text).not.toContain("Your work email");
  });
});
