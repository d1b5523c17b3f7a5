/**
 * Promises to pay (issue 16): a customer promises from the portal, a rep sees it on the
 * 360; a payment before the date keeps it; the date passing breaks it, tells the owner
 * rep and raises the account in the worklist. Bad input is refused, translated; the same
 * promise sent together is made once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markPromisesKeptOrBroken } from "../../app/domain/collections/promises.server";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
let norte: { id: string };
let acme: { id: string };
let iberica: { id: string };

beforeAll(async () => {
  portal = await startPortal();
  norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
  acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
  iberica = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1003" } });
});
afterAll(async () => {
  await portal?.close();
});

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const plain = (minor: bigint | number) => (Number(minor) / 100).toFixed(2);

async function pastDue(accountId: string, take: number) {
  return portal.db.invoice.findMany({
    where: {
      accountId,
      status: { in: ["OPEN", "PARTIALLY_PAID"] },
      balanceMinor: { gt: 0 },
      dueOn: { lt: new Date(`${day(0)}T00:00:00Z`) },
      promises: { none: {} },
      disputes: { none: {} },
    },
    orderBy: { dueOn: "desc" },
    take,
  });
}

async function formKey(browser: Browser, url: string) {
  const page = await browser.page(url);
  expect(page.status).toBe(200);
  return /name="requestKey" value="([^"]+)"/.exec(page.html)![1];
}

function promiseForm(key: string, invoiceIds: string[], amount: string, promisedFor: string, note = "") {
  const body = new URLSearchParams({ requestKey: key, amount, promisedFor, note, intent: "promise" });
  for (const id of invoiceIds) body.append("invoiceId", id);
  return body;
}

describe("a Spanish customer promises from the portal", () => {
  let customer: Browser;
  let chosen: Awaited<ReturnType<typeof pastDue>>;

  beforeAll(async () => {
    customer = await portal.signedIn("cxp@distnorte.example");
    chosen = await pastDue(norte.id, 2);
  });

  it("sees the page in Spanish with their past-due invoices only", async () => {
    const page = await customer.page("/promises");
    const text = textOf(page.html);
    expect(text).toContain("Promesas de pago");
    expect(text).toContain(chosen[0].number);
    expect(text).not.toMatch(/1001-2026\d\d/);
  });

  it("refuses bad input, in Spanish, and makes nothing", async () => {
    const before = await portal.db.promiseToPay.count();
    const key = await formKey(customer, "/promises");
    const other = (await pastDue(acme.id, 1))[0];
    const cases: [URLSearchParams, string][] = [
      [promiseForm(key, [], "100.00", day(5)), "Elija al menos una factura vencida."],
      [promiseForm(key, [chosen[0].id], "100.00", day(-3)), "La fecha no puede ser anterior a hoy."],
      [promiseForm(key, [chosen[0].id], "100.00", day(45)), "La fecha está más adelante de lo que permite nuestra política."],
      [promiseForm(key, [chosen[0].id], "100.00", "2026-02-30"), "Escriba una fecha válida, por ejemplo 2026-12-15."],
      [promiseForm(key, [chosen[0].id], plain(chosen[0].balanceMinor + 100n), day(5)), "El monto es mayor que lo que deben esas facturas."],
      [promiseForm(key, [chosen[0].id], "0", day(5)), "Escriba un monto mayor que cero."],
      [promiseForm(key, [chosen[0].id], "doce", day(5)), ""],
      // Another account's invoice is not theirs to promise.
      [promiseForm(key, [other.id], "10.00", day(5)), "Una de esas facturas no está vencida o ya está pagada."],
    ];
    for (const [body, message] of cases) {
      const res = await customer.request("/promises", { method: "POST", body });
      expect(res.status).toBe(400);
      const text = textOf(await res.text());
      expect(text).toContain("Revise los campos marcados.");
      if (message) expect(text).toContain(message);
    }
    expect(await portal.db.promiseToPay.count()).toBe(before);
  });

  it("one form sent five times at once makes one promise; a second form for the same invoice is refused", async () => {
    const key = await formKey(customer, "/promises");
    const amount = plain(chosen[0].balanceMinor + chosen[1].balanceMinor);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        customer.request("/promises", { method: "POST", body: promiseForm(key, [chosen[0].id, chosen[1].id], amount, day(7), "Transferencia el viernes") }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([303, 303, 303, 303, 303]);
    const made = await portal.db.promiseToPay.findMany({ where: { accountId: norte.id, status: "OPEN" }, include: { invoices: true } });
    expect(made).toHaveLength(1);
    expect(made[0].byCustomer).toBe(true);
    expect(made[0].amountMinor).toBe(chosen[0].balanceMinor + chosen[1].balanceMinor);
    expect(made[0].invoices.map((i) => i.invoiceId).sort()).toEqual([chosen[0].id, chosen[1].id].sort());

    const keys = await Promise.all([formKey(customer, "/promises"), formKey(customer, "/promises")]);
    const racing = await Promise.all(keys.map((k) => customer.request("/promises", { method: "POST", body: promiseForm(k, [chosen[0].id], "10.00", day(3)) })));
    expect(racing.map((r) => r.status)).toEqual([400, 400]);
    expect(await portal.db.promiseToPay.count({ where: { accountId: norte.id, status: "OPEN" } })).toBe(1);
    expect(textOf((await customer.page("/promises?saved=1")).html)).toContain("Vigente");
  });

  it("the rep sees it on the account 360 and in its timeline", async () => {
    const rep = await portal.signedIn("rep3@accounts.example");
    const promises = textOf((await rep.page(`/rep/accounts/${norte.id}?tab=promises`)).html);
    expect(promises).toContain(chosen[0].number);
    expect(promises).toMatch(/Del cliente|By the customer/);
    const timeline = textOf((await rep.page(`/rep/accounts/${norte.id}?tab=timeline`)).html);
    expect(timeline).toMatch(/El cliente prometió|Customer promised/);
  });

  it("a payment of those invoices before the date keeps it", async () => {
    const page = await customer.page("/pay");
    const idempotencyKey = /name="idempotencyKey" value="([^"]+)"/.exec(page.html)![1];
    const fields = new URLSearchParams({ idempotencyKey, currency: "MXN" });
    for (const inv of chosen) {
      fields.append("invoiceId", inv.id);
      fields.append(`amount-${inv.id}`, plain(inv.balanceMinor));
    }
    const checkout = (await customer.request("/pay", { method: "POST", body: fields })).headers.get("location")!;
    expect((await customer.request(checkout, { method: "POST", body: new URLSearchParams({ outcome: "pay" }) })).status).toBe(302);
    const promise = await portal.db.promiseToPay.findFirstOrThrow({ where: { accountId: norte.id, byCustomer: true } });
    expect(promise.status).toBe("KEPT");
    expect(await portal.db.auditLog.count({ where: { entityId: promise.id, action: "promise_kept" } })).toBe(1);
  });
});

describe("a promise whose date passes", () => {
  it("is broken once, tells the owner rep, and raises the account in the worklist", async () => {
    const rep = await portal.signedIn("rep1@accounts.example");
    const invoice = (await pastDue(acme.id, 1))[0];
    const key = await formKey(rep, `/rep/accounts/${acme.id}?tab=promises`);
    const res = await rep.request(`/rep/accounts/${acme.id}/log`, { method: "POST", body: promiseForm(key, [invoice.id], "100.00", day(1)) });
    expect(res.status).toBe(303);
    expect(textOf((await rep.page(res.headers.get("location")!)).html)).toContain("Promise recorded.");
    const promise = await portal.db.promiseToPay.findFirstOrThrow({ where: { accountId: acme.id, status: "OPEN" } });

    // Before the date plus grace nothing happens; after it, two runs together break it once.
    expect((await markPromisesKeptOrBroken({ now: new Date(Date.now() + 2 * 86_400_000) })).broken).not.toContain(promise.id);
    const later = new Date(Date.now() + 6 * 86_400_000);
    const [a, b] = await Promise.all([markPromisesKeptOrBroken({ now: later }), markPromisesKeptOrBroken({ now: later })]);
    expect([...a.broken, ...b.broken].filter((id) => id === promise.id)).toHaveLength(1);
    expect((await portal.db.promiseToPay.findUniqueOrThrow({ where: { id: promise.id } })).status).toBe("BROKEN");
    const mail = await portal.db.outboxEmail.findMany({ where: { to: "rep1@accounts.example", template: "promise_broken" } });
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toContain("Acme Industrial Supply Inc.");

    const worklist = await rep.page("/rep/collections");
    const order = [...worklist.html.matchAll(/data-testid="worklist-row-(ACC-\d+)"/g)].map((m) => m[1]);
    expect(order.indexOf("ACC-1001")).toBeLessThan(order.indexOf("ACC-1002"));
    expect(order.indexOf("ACC-1001")).toBeLessThan(order.indexOf("ACC-1003"));
  });

  it("a customer sees only their own promises", async () => {
    const customer = await portal.signedIn("admin@herramientas-ibericas.example");
    const text = textOf((await customer.page("/promises")).html);
    expect(text).not.toContain("Acme");
    expect(text).not.toMatch(/1001-2026\d\d|1002-2026\d\d/);
    expect((await customer.get(`/rep/accounts/${iberica.id}?tab=promises`)).status).toBe(403);
    expect((await portal.browser().get("/promises")).status).toBe(302);
  });
});
