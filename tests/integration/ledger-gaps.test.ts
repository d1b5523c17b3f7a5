/**
 * Ledger gaps: money under an open dispute is kept out of past due, aging and the
 * collections counts (and shown apart as "in dispute"); unapplied payments are on the
 * statement so its closing balance is the account's balance.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatMoney } from "../../app/domain/money/money";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
let pacific: { id: string };
let customer: Browser;
const usd = (amountMinor: number, locale = "en-US") => formatMoney({ amountMinor, currency: "USD" }, locale).replace(/\u00a0/g, " ");

beforeAll(async () => {
  portal = await startPortal();
  pacific = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1004" } });
  customer = await portal.signedIn("billing@pacificcoast.example");
});
afterAll(async () => {
  await portal?.close();
});

/** The value shown in one figure tile (data-testid="figure-<id>"). */
function figure(html: string, id: string): string {
  const match = html.match(new RegExp(`data-testid="figure-${id}"[\\s\\S]*?class="figure-value">([^<]*)<`));
  if (!match) throw new Error(`no figure ${id}`);
  return match[1].replace(/&nbsp;|\u00a0/g, " ");
}

function agingRow(html: string, id: string): string {
  const match = html.match(new RegExp(`<tr[^>]*data-testid="aging-${id}"[\\s\\S]*?</tr>`));
  if (!match) throw new Error(`no aging row ${id}`);
  return textOf(match[0]).trim();
}

const OPEN = ["OPEN", "IN_REVIEW", "ESCALATED"] as const;

/** Past-due invoices of the account with part of their balance not yet disputed, oldest first. */
async function undisputedPastDue() {
  const invoices = await portal.db.invoice.findMany({
    where: {
      accountId: pacific.id,
      status: { in: ["OPEN", "PARTIALLY_PAID"] },
      balanceMinor: { gt: 0 },
      dueOn: { lt: new Date(new Date().toISOString().slice(0, 10)) },
    },
    orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    include: { disputes: { where: { status: { in: [...OPEN] } } } },
  });
  return invoices
    .map((i) => ({ ...i, undisputedMinor: Number(i.balanceMinor) - i.disputes.reduce((s, d) => s + Number(d.amountMinor), 0) }))
    .filter((i) => i.undisputedMinor > 0);
}

async function disputeWholeInvoice(invoiceId: string, amountMinor?: number) {
  const form = new FormData();
  const amount = amountMinor === undefined ? "" : (amountMinor / 100).toFixed(2);
  for (const [k, v] of Object.entries({ invoiceId, reason: "PRICING", scope: "invoice", amount, message: "The unit price is not the one we agreed." }))
    form.append(k, v);
  const res = await customer.request(`/disputes/new?invoice=${invoiceId}`, { method: "POST", body: form });
  expect(res.status).toBe(302);
}

describe("an open dispute is not past-due pressure", () => {
  it("moves the disputed balance from past due and its aging bucket to 'in dispute', in English and Spanish", async () => {
    const before = (await customer.page("/account")).html;
    const invoice = (await undisputedPastDue()).find((i) => i.disputes.length === 0)!;
    expect(invoice).toBeTruthy();
    const balance = Number(invoice.balanceMinor);
    const parse = (s: string) => Math.round(Number(s.replace(/[^0-9.-]/g, "")) * 100);
    const pastDueBefore = parse(figure(before, "pastDue"));
    const inDisputeBefore = parse(figure(before, "inDispute"));
    const openBefore = figure(before, "openBalance");

    await disputeWholeInvoice(invoice.id);

    const after = (await customer.page("/account")).html;
    expect(figure(after, "pastDue")).toBe(usd(pastDueBefore - balance));
    expect(figure(after, "inDispute")).toBe(usd(inDisputeBefore + balance));
    // Still owed: the open balance does not change, it is only reported apart.
    expect(figure(after, "openBalance")).toBe(openBefore);
    expect(agingRow(after, "inDispute")).toBe(`In dispute (not aged) ${usd(inDisputeBefore + balance)}`);
    expect(textOf(after)).toContain("Not past due while the dispute is open");

    // The rep sees the same on the account 360, in Spanish for a Spanish-speaking rep.
    const rep = await portal.signedIn("rep2@accounts.example");
    const repPage = (await rep.page(`/rep/accounts/${pacific.id}`)).html;
    expect(figure(repPage, "pastDue")).toBe(usd(pastDueBefore - balance, "es-MX"));
    expect(figure(repPage, "inDispute")).toBe(usd(inDisputeBefore + balance, "es-MX"));
    expect(agingRow(repPage, "inDispute")).toBe(`En aclaración (no se considera vencido) ${usd(inDisputeBefore + balance, "es-MX")}`);

    // The console's account glance does not flag the disputed invoice as past due.
    const glance = await (await rep.get(`/rep/chat/accounts/${pacific.id}`)).json();
    expect(glance.summary.pastDue.amountMinor).toBe(pastDueBefore - balance);
    const row = glance.invoices.find((i: { number: string }) => i.number === invoice.number);
    expect(row.pastDue).toBe(false);
    expect(row.inDispute.amountMinor).toBe(balance);
  });

  it("takes an account whose whole past-due balance is disputed off the rep's past-due count", async () => {
    const rep = await portal.signedIn("rep1@accounts.example");
    const count = () => rep.page("/rep").then((p) => Number(textOf(p.html).match(/Accounts past due (\d+)/)?.[1]));
    const before = await count();
    expect(before).toBeGreaterThan(0);
    const headroomOf = async () => textOf((await customer.page("/credit?amount=1.00")).html.match(/aria-labelledby="headroom-title"[\s\S]*?<\/section>/)![0]);
    expect(await headroomOf()).toContain("Past-due balance");
    for (const invoice of await undisputedPastDue()) await disputeWholeInvoice(invoice.id, invoice.undisputedMinor);
    expect(await count()).toBe(before - 1);
    const page = (await customer.page("/account")).html;
    expect(figure(page, "pastDue")).toBe(usd(0));
    for (const bucket of ["days1to30", "days31to60", "days61to90", "over90"]) expect(agingRow(page, bucket)).toMatch(/\$0\.00$/);
    // Nor does disputed money hold a new order as "past due".
    expect(await headroomOf()).not.toContain("Past-due balance");
  });
});

describe("unapplied cash on the statement", () => {
  /** The sandbox's per-install webhook secret, kept beside the upload folder. */
  const sandboxSecret = () => fs.readFileSync(path.join(os.tmpdir(), "stripe-sandbox-webhook-secret"), "utf8").trim();

  it("shows a payment received but not applied, and closes at the account's balance (page, CSV, PDF)", async () => {
    const acmeCustomer = await portal.signedIn("ap@acme-industrial.example");
    const acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
    const inv = await portal.db.invoice.findFirstOrThrow({ where: { accountId: acme.id, status: "OPEN", disputes: { none: {} } }, orderBy: { dueOn: "asc" } });
    // The customer starts paying one invoice; the bank sends a different amount, so nothing is applied.
    const key = /name="idempotencyKey" value="([^"]+)"/.exec((await acmeCustomer.page("/pay")).html)![1];
    const started = await acmeCustomer.request("/pay", {
      method: "POST",
      body: new URLSearchParams({ idempotencyKey: key, currency: "USD", invoiceId: inv.id, [`amount-${inv.id}`]: (Number(inv.balanceMinor) / 100).toFixed(2) }),
    });
    expect(started.status).toBe(302);
    const payment = await portal.db.payment.findFirstOrThrow({ where: { checkoutSessionId: started.headers.get("location")!.split("/").pop()! } });
    const received = 123_45;
    const payload = JSON.stringify({
      id: "evt_unapplied_statement",
      object: "event",
      type: "checkout.session.completed",
      data: {
        object: {
          id: payment.checkoutSessionId,
          object: "checkout.session",
          payment_status: "paid",
          amount_total: received,
          currency: "usd",
          payment_intent: "pi_unapplied_statement",
          metadata: { paymentId: payment.id },
        },
      },
    });
    const webhook = await fetch(`${portal.url}/webhooks/stripe`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: sandboxSecret() }) },
      body: payload,
    });
    expect(webhook.status).toBe(200);
    expect((await portal.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).unappliedMinor).toBe(BigInt(received));

    const open = await portal.db.invoice.aggregate({ where: { accountId: acme.id, status: { in: ["OPEN", "PARTIALLY_PAID"] } }, _sum: { balanceMinor: true } });
    const unapplied = await portal.db.payment.aggregate({ where: { accountId: acme.id }, _sum: { unappliedMinor: true } });
    const accountBalance = Number(open._sum.balanceMinor) - Number(unapplied._sum.unappliedMinor);
    expect(Number(unapplied._sum.unappliedMinor)).toBeGreaterThanOrEqual(received);

    // The account page states the balance net of unapplied payments.
    const home = textOf((await acmeCustomer.page("/account")).html);
    expect(home).toContain(`Payments not yet applied ${usd(Number(unapplied._sum.unappliedMinor))}`);
    expect(home).toContain(`Balance after unapplied payments ${usd(accountBalance)}`);

    // Seeded early payments can carry a future date: take the range to the end of the ledger.
    const range = "from=2020-01-01&to=2099-12-31";
    const page = await acmeCustomer.page(`/statement?${range}`);
    const text = textOf(page.html);
    expect(text).toContain(`Unapplied payment ${payment.number} ${usd(received)}`);
    expect(text).toContain(`Includes ${usd(Number(unapplied._sum.unappliedMinor))} in payments received and not yet applied to an invoice`);
    expect(textOf(page.html.match(/data-testid="closing-USD"[^>]*>[^<]*</)![0])).toContain(usd(accountBalance));

    const csv = (await (await acmeCustomer.get(`/statement.csv?${range}`)).text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    const line = csv.find((r) => r.includes(payment.number))!.split(",");
    expect(line[2]).toBe("Unapplied payment");
    expect(line[6]).toBe("123.45");
    const closing = csv.at(-1)!.split(",");
    expect(closing[2]).toBe("Closing balance");
    expect(Math.round(Number(closing[7]) * 100)).toBe(accountBalance);

    const pdf = await acmeCustomer.get(`/statement.pdf?${range}`);
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");

    // Ranges chain: the one that ends the day before the payment closes where the one that starts that day opens,
    // and the payment is in the later one. (A statement ends today at the latest, so the later range ends today.)
    const day = (await portal.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).receivedAt!.toISOString().slice(0, 10);
    const eve = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const before = (await (await acmeCustomer.get(`/statement.csv?from=2020-01-01&to=${eve}`)).text()).trim().split("\r\n").at(-1)!.split(",")[7];
    const after = (await (await acmeCustomer.get(`/statement.csv?from=${day}&to=${new Date().toISOString().slice(0, 10)}`)).text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    // The summary (amount due now, aging) comes first; the chain is the opening balance.
    expect(after.find((r) => r.split(",")[2] === "Opening balance")!.split(",")[7]).toBe(before);
    expect(after.some((r) => r.includes(payment.number))).toBe(true);

    // The payment arrived ten days ago; today a rep applies most of it. A statement for the period
    // up to its arrival reads the same afterwards, and today's still closes at the account's balance.
    const arrived = new Date(Date.now() - 10 * 86_400_000);
    await portal.db.payment.update({ where: { id: payment.id }, data: { receivedAt: arrived } });
    const arrivedDay = arrived.toISOString().slice(0, 10);
    const closingOn = async (to: string) =>
      (await (await acmeCustomer.get(`/statement.csv?from=2020-01-01&to=${to}`)).text()).trim().split("\r\n").at(-1)!.split(",")[7];
    const thenClosing = await closingOn(arrivedDay);
    const rep = await portal.signedIn("rep1@accounts.example");
    const applied = await rep.post(`/rep/payments/${payment.id}`, { intent: "apply", note: "Per remittance advice", [`amount-${inv.id}`]: "100.00" });
    expect(applied.status).toBe(200);
    expect((await portal.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).unappliedMinor).toBe(BigInt(received - 100_00));
    expect(await closingOn(arrivedDay)).toBe(thenClosing);
    const now = (await (await acmeCustomer.get(`/statement.csv?${range}`)).text()).trim().split("\r\n");
    expect(Math.round(Number(now.at(-1)!.split(",")[7]) * 100)).toBe(accountBalance);
    // Cash credited when it arrived: applying it is a memo line, neither a charge nor a credit.
    const used = now.find((r) => r.includes("Credit applied to an invoice"))!.split(",");
    expect(used[2]).toBe("Credit applied to an invoice (100.00)");
    expect(used[3]).toBe(`${inv.number} · ${payment.number}`);
    expect([used[5], used[6]]).toEqual(["", ""]);
    expect(now.find((r) => r.split(",")[3] === payment.number && r.includes("Unapplied payment,"))!.split(",")[6]).toBe("123.45");
    expect(textOf((await acmeCustomer.page(`/statement?${range}`)).html)).toContain(
      `Includes ${usd(Number(unapplied._sum.unappliedMinor) - 100_00)} in payments received`,
    );

    // In Spanish, the same line is named for a Spanish reader.
    await acmeCustomer.post("/set-language", { language: "es", redirectTo: "/statement" });
    expect(textOf((await acmeCustomer.page(`/statement?${range}`)).html)).toContain(`Pago sin aplicar ${payment.number}`);
    await acmeCustomer.post("/set-language", { language: "en", redirectTo: "/statement" });
  });
});
