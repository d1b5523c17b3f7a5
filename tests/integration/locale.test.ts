/**
 * Locale per account, through the real routes: amounts are typed and read the way the
 * account's people write them (en-US, es-MX, es-ES), an ambiguous amount is refused
 * and nothing is charged, and pages, CSV files and mail follow the account's locale.
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

const plain = (html: string) => textOf(html).replace(/\u202f/g, " ");

async function payOne(customer: Browser, accountId: string, currency: string, amount: string) {
  const invoice = await portal.db.invoice.findFirstOrThrow({
    where: { accountId, status: "OPEN", balanceMinor: { gt: 200_00 }, disputes: { none: {} } },
    orderBy: { dueOn: "asc" },
  });
  const key = /name="idempotencyKey" value="([^"]+)"/.exec((await customer.page("/pay")).html)![1];
  const res = await customer.request("/pay", {
    method: "POST",
    body: new URLSearchParams({ idempotencyKey: key, currency, invoiceId: invoice.id, [`amount-${invoice.id}`]: amount }),
  });
  return { res, invoice, key };
}

describe("typed amounts", () => {
  it("refuses '12,5' on an English pay page with a translated message, and charges nothing", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example", { acceptLanguage: "en-US" });
    const before = await portal.db.payment.count({ where: { accountId: acme.id } });
    for (const typed of ["12,5", "100,50", "1,25"]) {
      const { res } = await payOne(customer, acme.id, "USD", typed);
      expect(res.status, typed).toBe(400);
      const text = plain(await res.text());
      expect(text, typed).toContain(
        "We could not tell which amount you meant. Use a point before the cents and commas only between groups of three digits, like 1,250.50.",
      );
    }
    expect(await portal.db.payment.count({ where: { accountId: acme.id } })).toBe(before);
  });

  it("reads '1,250' on an English page as one thousand two hundred fifty", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example", { acceptLanguage: "en-US" });
    const { res } = await payOne(customer, acme.id, "USD", "1,250");
    // An invoice with less than that owed refuses it as too much; either way it was read as 1,250.00.
    if (res.status === 302)
      expect((await portal.db.payment.findFirstOrThrow({ where: { checkoutSessionId: res.headers.get("location")!.split("/").pop()! } })).amountMinor).toBe(
        1250_00n,
      );
    else expect(plain(await res.text())).not.toContain("We could not tell which amount");
  });

  it("reads '100,50' as 100.50 € for an account in Spain, and refuses '12.5' there", async () => {
    const customer = await portal.signedIn("admin@herramientas-ibericas.example");
    const refused = await payOne(customer, iberica.id, "EUR", "12.5");
    expect(refused.res.status).toBe(400);
    expect(plain(await refused.res.text())).toContain("Use coma antes de los céntimos y puntos solo entre grupos de tres cifras, por ejemplo 1.250,50.");

    const { res } = await payOne(customer, iberica.id, "EUR", "100,50");
    expect(res.status).toBe(302);
    expect((await portal.db.payment.findFirstOrThrow({ where: { checkoutSessionId: res.headers.get("location")!.split("/").pop()! } })).amountMinor).toBe(
      100_50n,
    );
  });

  it("refuses '100,50' for an account in Mexico, where the point marks the cents", async () => {
    const customer = await portal.signedIn("cxp@distnorte.example");
    const before = await portal.db.payment.count({ where: { accountId: norte.id } });
    const { res } = await payOne(customer, norte.id, "MXN", "100,50");
    expect(res.status).toBe(400);
    expect(plain(await res.text())).toContain("Use punto antes de los centavos");
    expect(await portal.db.payment.count({ where: { accountId: norte.id } })).toBe(before);
  });

  it("uses the same reader for the headroom check and a rep's credit limit", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example", { acceptLanguage: "en-US" });
    const headroom = plain((await customer.page("/credit?amount=12%2C5")).html);
    expect(headroom).toContain("We could not tell which amount you meant.");

    const rep = await portal.signedIn("senior@accounts.example", { acceptLanguage: "en-US" });
    const limitBefore = (await portal.db.account.findUniqueOrThrow({ where: { id: acme.id } })).creditLimitMinor;
    const res = await rep.post(`/rep/credit/accounts/${acme.id}`, { limit: "400.000,00", termsDays: "30", reason: "Typo check" });
    expect(res.status).toBe(400);
    expect(plain(await res.text())).toContain("We could not tell which amount you meant.");
    expect((await portal.db.account.findUniqueOrThrow({ where: { id: acme.id } })).creditLimitMinor).toBe(limitBefore);
  });
});

describe("formats follow the account's locale", () => {
  it("shows an account in Spain its figures as Spain writes them, and a Mexican one as Mexico does", async () => {
    const spain = await portal.signedIn("admin@herramientas-ibericas.example");
    const credit = plain((await spain.page("/credit")).html);
    expect(credit).toContain("120.000,00 €");
    expect(credit).not.toContain("EUR 120,000.00");
    expect(plain((await spain.page("/account")).html)).toContain("120.000,00 €");

    const mexico = await portal.signedIn("cxp@distnorte.example");
    expect(plain((await mexico.page("/credit")).html)).toContain("$1,500,000.00");
  });

  it("gives English figures to the same account reading the English pages", async () => {
    const spain = await portal.signedIn("admin@herramientas-ibericas.example");
    await portal.db.user.update({ where: { email: "admin@herramientas-ibericas.example" }, data: { preferredLanguage: "en" } });
    try {
      expect(plain((await spain.page("/credit")).html)).toContain("€120,000.00");
    } finally {
      await portal.db.user.update({ where: { email: "admin@herramientas-ibericas.example" }, data: { preferredLanguage: "es" } });
    }
  });

  it("labels the statement's CSV button, and writes the CSV as the account's spreadsheet reads it", async () => {
    const english = await portal.signedIn("ap@acme-industrial.example", { acceptLanguage: "en-US" });
    const page = plain((await english.page("/statement")).html);
    expect(page).toContain("Download CSV");
    expect(page).not.toContain("returned an object");

    const spain = await portal.signedIn("admin@herramientas-ibericas.example");
    expect(plain((await spain.page("/statement")).html)).toContain("Descargar CSV");
    const rows = (await (await spain.get("/statement.csv?from=2020-01-01&to=2099-12-31")).text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(rows[0]).toBe("Moneda;Fecha;Tipo;Referencia;OC;Cargos;Pagos y abonos;Saldo");
    const closing = rows.at(-1)!.split(";");
    expect(closing[2]).toBe("Saldo final");
    expect(closing[7]).toMatch(/^-?\d+,\d{2}$/);
    const open = await portal.db.invoice.aggregate({
      where: { accountId: iberica.id, status: { in: ["OPEN", "PARTIALLY_PAID"] } },
      _sum: { balanceMinor: true },
    });
    const unapplied = await portal.db.payment.aggregate({ where: { accountId: iberica.id }, _sum: { unappliedMinor: true } });
    expect(Number(closing[7].replace(",", ""))).toBe(Number(open._sum.balanceMinor ?? 0n) - Number(unapplied._sum.unappliedMinor ?? 0n));

    const mexico = await portal.signedIn("cxp@distnorte.example");
    const mx = (await (await mexico.get("/statement.csv?from=2020-01-01&to=2099-12-31")).text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(mx[0]).toBe("Moneda,Fecha,Tipo,Referencia,OC,Cargos,Pagos y abonos,Saldo");
    expect(mx.at(-1)!.split(",")[7]).toMatch(/^-?\d+\.\d{2}$/);
  });
});

describe("the language switch", () => {
  it("sends a tampered language back where it came from, unchanged, never as a bare error body", async () => {
    const visitor = portal.browser({ acceptLanguage: "es" });
    const res = await visitor.post("/set-language", { language: "fr", redirectTo: "/help" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/help");
    expect(res.headers.getSetCookie().some((c) => c.startsWith("lng="))).toBe(false);
    expect(await res.text()).not.toContain("language.unsupported");
    const page = await visitor.page("/help");
    expect(page.html).toContain('<html lang="es"');
    // A signed-in customer's profile keeps its language too.
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const before = (await portal.db.user.findUniqueOrThrow({ where: { email: "ap@acme-industrial.example" } })).preferredLanguage;
    expect((await customer.post("/set-language", { language: "fr", redirectTo: "/account" })).headers.get("location")).toBe("/account");
    expect((await portal.db.user.findUniqueOrThrow({ where: { email: "ap@acme-industrial.example" } })).preferredLanguage).toBe(before);
  });
});
