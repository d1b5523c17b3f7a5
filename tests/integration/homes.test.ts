/**
 * The figures on the customer and rep homes come from the database: they are
 * recomputed here from the raw rows (with the pure aging rules) and compared with
 * what the page shows, in English and in Spanish.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGING_BUCKETS, agingWithDisputes } from "../../app/domain/accounts/aging";
import { formatMoney } from "../../app/domain/money/money";
import { startPortal, textOf, type TestPortal } from "../support/portal";

let portal: TestPortal;
beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  await portal?.close();
});

async function expectedFigures(accountNumber: string) {
  const account = await portal.db.account.findUniqueOrThrow({ where: { number: accountNumber } });
  const invoices = await portal.db.invoice.findMany({
    where: { accountId: account.id, status: { in: ["OPEN", "PARTIALLY_PAID"] } },
    include: { disputes: { where: { status: { in: ["OPEN", "IN_REVIEW", "ESCALATED"] } } } },
  });
  expect(invoices.every((i) => i.currency === account.currency)).toBe(true);
  const { buckets: aging, inDispute } = agingWithDisputes(
    invoices.map((i) => ({ dueOn: i.dueOn, balanceMinor: Number(i.balanceMinor), disputedMinor: i.disputes.reduce((s, d) => s + Number(d.amountMinor), 0) })),
    new Date(),
  );
  const undisputed = AGING_BUCKETS.reduce((s, b) => s + aging[b], 0);
  const openBalance = undisputed + inDispute;
  const orders = await portal.db.order.findMany({ where: { accountId: account.id, status: { in: ["OPEN", "ON_HOLD"] } } });
  const openOrders = orders.reduce((s, o) => s + Number(o.amountMinor), 0);
  return {
    account,
    aging,
    openBalance,
    inDispute,
    pastDue: undisputed - aging.current,
    available: Number(account.creditLimitMinor) - openBalance - openOrders,
  };
}

describe("customer home", () => {
  it("shows the account's limit, available credit, balance, past due and aging in its currency (English)", async () => {
    const expected = await expectedFigures("ACC-1001");
    const browser = await portal.signedIn("ap@acme-industrial.example");
    const text = textOf((await browser.page("/account")).html);
    const usd = (amountMinor: number) => formatMoney({ amountMinor, currency: "USD" }, "en-US");
    expect(text).toContain(`Credit limit ${usd(Number(expected.account.creditLimitMinor))}`);
    expect(text).toContain(`Available credit ${usd(expected.available)}`);
    expect(text).toContain(`Open balance ${usd(expected.openBalance)}`);
    expect(text).toContain(`Past due ${usd(expected.pastDue)}`);
    expect(text).toContain(`In dispute ${usd(expected.inDispute)}`);
    expect(text).toContain(`Over 90 days ${usd(expected.aging.over90)}`);
    expect(text).toContain(`1–30 days ${usd(expected.aging.days1to30)}`);
    for (const bucket of AGING_BUCKETS) expect(expected.aging[bucket], bucket).toBeGreaterThan(0);
  });

  it("shows the same page in Spanish with Mexican formatting after a switch, and remembers it", async () => {
    const expected = await expectedFigures("ACC-1001");
    const browser = await portal.signedIn("ap@acme-industrial.example");
    const switched = await browser.post("/set-language", { language: "es", redirectTo: "/account" });
    expect(switched.status).toBe(302);
    expect(switched.headers.get("location")).toBe("/account");
    const page = await browser.page("/account");
    expect(page.html).toContain('<html lang="es"');
    expect(page.html).toContain("<title>Mi cuenta · Cuentas de Clientes</title>");
    const text = textOf(page.html);
    const usd = (amountMinor: number) => formatMoney({ amountMinor, currency: "USD" }, "es-MX").replace(/\u00a0/g, " ");
    expect(text).toContain(`Límite de crédito ${usd(Number(expected.account.creditLimitMinor))}`);
    expect(text).toContain(`Saldo vencido ${usd(expected.pastDue)}`);
    expect(text).toContain("Más de 90 días");
    expect(usd(100)).toBe("USD 1.00");
    const user = await portal.db.user.findUniqueOrThrow({ where: { email: "ap@acme-industrial.example" } });
    expect(user.preferredLanguage).toBe("es");
    // The profile wins over the browser's own language on the next sign-in.
    const fresh = await portal.signedIn("ap@acme-industrial.example", { acceptLanguage: "en-US" });
    expect((await fresh.page("/account")).html).toContain('<html lang="es"');
    await browser.post("/set-language", { language: "en", redirectTo: "/account" });
  });

  it("shows a credit-hold account in pesos with its hold explained", async () => {
    const expected = await expectedFigures("ACC-1002");
    const browser = await portal.signedIn("cxp@distnorte.example");
    const page = await browser.page("/account");
    expect(page.html).toContain('<html lang="es"');
    const text = textOf(page.html);
    expect(text).toContain("Retención de crédito");
    expect(text).toContain(`Saldo pendiente ${formatMoney({ amountMinor: expected.openBalance, currency: "MXN" }, "es-MX")}`);
  });

  it("falls back to the cookie, then Accept-Language, for visitors", async () => {
    expect((await portal.browser({ acceptLanguage: "es-AR,es;q=0.8" }).page("/login")).html).toContain('<html lang="es"');
    expect((await portal.browser({ acceptLanguage: "fr-FR" }).page("/login")).html).toContain('<html lang="en"');
    const visitor = portal.browser({ acceptLanguage: "es" });
    await visitor.post("/set-language", { language: "en", redirectTo: "/login" });
    expect((await visitor.page("/login")).html).toContain('<html lang="en"');
    // A language the portal does not speak changes nothing: back to the page, still in English.
    const fr = await visitor.post("/set-language", { language: "fr", redirectTo: "/login" });
    expect([fr.status, fr.headers.get("location")]).toEqual([302, "/login"]);
    expect((await visitor.page("/login")).html).toContain('<html lang="en"');
  });
});

describe("rep home", () => {
  it("counts open work from the database", async () => {
    const db = portal.db;
    const today = new Date().toISOString().slice(0, 10);
    const [applications, held, disputes, pastDueAccounts] = await Promise.all([
      db.creditApplication.count({ where: { status: { in: ["SUBMITTED", "IN_REVIEW", "ESCALATED"] } } }),
      db.order.count({ where: { status: "ON_HOLD" } }),
      db.dispute.count({ where: { status: { in: ["OPEN", "IN_REVIEW", "ESCALATED"] } } }),
      db.invoice.findMany({
        where: { status: { in: ["OPEN", "PARTIALLY_PAID"] }, balanceMinor: { gt: 0 }, dueOn: { lt: new Date(today) } },
        distinct: ["accountId"],
        select: { accountId: true },
      }),
    ]);
    expect(applications).toBeGreaterThan(0);
    const rep = await portal.signedIn("rep2@accounts.example");
    const page = await rep.page("/rep");
    const text = textOf(page.html);
    expect(page.html).toContain('<html lang="es"');
    expect(text).toContain(`Solicitudes de crédito por revisar ${applications}`);
    expect(text).toContain(`Pedidos retenidos por crédito ${held}`);
    expect(text).toContain(`Aclaraciones abiertas ${disputes}`);
    expect(text).toContain(`Cuentas con saldo vencido ${pastDueAccounts.length}`);

    // A new hold shows up at once.
    const acme = await db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
    await db.order.create({
      data: { number: "SO-TEST-1", accountId: acme.id, currency: "USD", amountMinor: 100n, status: "ON_HOLD", holdReason: "OVER_LIMIT", heldAt: new Date() },
    });
    expect(textOf((await rep.page("/rep")).html)).toContain(`Pedidos retenidos por crédito ${held + 1}`);
  });
});
