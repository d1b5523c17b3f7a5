/**
 * The statement's aging and amount due now, unapplied cash applied later (a memo, not a
 * charge), seed data consistent with today, and the past-due list agreeing with the tiles
 * — through the real pages, downloads, pay form, sandbox and signed webhooks.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  await portal?.close();
});

const today = () => new Date().toISOString().slice(0, 10);
const cents = (cell: string) => Math.round(Number(cell) * 100);

async function csvRows(customer: Browser, query = "") {
  const res = await customer.get(`/statement.csv${query}`);
  expect(res.status).toBe(200);
  return (await res.text())
    .replace(/^\uFEFF/, "")
    .trim()
    .split("\r\n")
    .map((r) => r.split(","));
}

/** The account's balance as the ledger keeps it: open invoices less unapplied cash, per currency. */
async function accountBalance(accountId: string, currency: string) {
  const open = await portal.db.invoice.aggregate({ where: { accountId, currency, status: { in: ["OPEN", "PARTIALLY_PAID"] } }, _sum: { balanceMinor: true } });
  const unapplied = await portal.db.payment.aggregate({ where: { accountId, currency }, _sum: { unappliedMinor: true } });
  return Number(open._sum.balanceMinor ?? 0n) - Number(unapplied._sum.unappliedMinor ?? 0n);
}

describe("seed data is consistent with today", () => {
  it("no seeded payment or allocation is dated after today, and each statement closes at the account's balance", async () => {
    const endOfToday = new Date(`${today()}T23:59:59.999Z`);
    expect(await portal.db.payment.count({ where: { receivedAt: { gt: endOfToday } } })).toBe(0);
    expect(await portal.db.paymentAllocation.count({ where: { createdAt: { gt: endOfToday } } })).toBe(0);
    for (const [email, number, currency] of [
      ["ap@acme-industrial.example", "ACC-1001", "USD"],
      ["cxp@distnorte.example", "ACC-1002", "MXN"],
      ["billing@pacificcoast.example", "ACC-1004", "USD"],
    ] as const) {
      const account = await portal.db.account.findUniqueOrThrow({ where: { number } });
      const customer = await portal.signedIn(email);
      // The statement as the customer opens it: no dates chosen, it ends today.
      const rows = await csvRows(customer);
      const closing = rows.filter((r) => r[0] === currency).at(-1)!;
      expect(cents(closing[7]), number).toBe(await accountBalance(account.id, currency));
    }
  }, 90_000);
});

describe("statement aging and amount due now", () => {
  it("the page (Spanish), CSV and PDF give aging as of the last day and the amount due now", async () => {
    const customer = await portal.signedIn("cxp@distnorte.example");
    const norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
    const page = textOf((await customer.page("/statement")).html);
    expect(page).toContain("Importe a pagar ahora");
    for (const label of ["Por vencer", "1 a 30 días", "31 a 60 días", "61 a 90 días", "Más de 90 días"]) expect(page).toContain(label);

    const rows = (await csvRows(customer)).filter((r) => r[0] === "MXN");
    const dueNow = rows.find((r) => r[2] === "Importe a pagar ahora")!;
    const buckets = rows.filter((r) => ["Por vencer", "1 a 30 días", "31 a 60 días", "61 a 90 días", "Más de 90 días", "En aclaración"].includes(r[2]));
    expect(buckets.length).toBeGreaterThanOrEqual(5);
    // Aging plus what is in dispute is everything still owed.
    const owed = await portal.db.invoice.aggregate({
      where: { accountId: norte.id, currency: "MXN", status: { in: ["OPEN", "PARTIALLY_PAID"] } },
      _sum: { balanceMinor: true },
    });
    expect(buckets.reduce((sum, r) => sum + cents(r[7]), 0)).toBe(Number(owed._sum.balanceMinor));
    // Due now: undisputed balances due by today, less unapplied cash.
    const invoices = await portal.db.invoice.findMany({
      where: { accountId: norte.id, currency: "MXN", status: { in: ["OPEN", "PARTIALLY_PAID"] }, dueOn: { lte: new Date(`${today()}T00:00:00Z`) } },
      include: { disputes: { where: { status: { in: ["OPEN", "IN_REVIEW", "ESCALATED"] } } } },
    });
    const expected = invoices.reduce((sum, i) => {
      const disputed = Math.min(
        Number(i.balanceMinor),
        i.disputes.reduce((s, d) => s + Number(d.amountMinor), 0),
      );
      return sum + Number(i.balanceMinor) - disputed;
    }, 0);
    const unapplied = await portal.db.payment.aggregate({ where: { accountId: norte.id, currency: "MXN" }, _sum: { unappliedMinor: true } });
    expect(cents(dueNow[7])).toBe(Math.max(0, expected - Number(unapplied._sum.unappliedMinor ?? 0n)));

    const english = await portal.signedIn("ap@acme-industrial.example");
    const enRows = await csvRows(english);
    expect(enRows.some((r) => r[2] === "Amount due now")).toBe(true);
    expect(enRows.some((r) => r[2] === "Over 90 days")).toBe(true);
    const pdf = await english.get("/statement.pdf");
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
  }, 90_000);

  it("unapplied cash a rep applies later is a memo line, never a charge, and the balance still closes at the account's", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
    const [paidTwice, later] = await portal.db.invoice.findMany({
      where: { accountId: acme.id, status: "OPEN", disputes: { none: {} } },
      orderBy: [{ dueOn: "asc" }, { id: "asc" }],
      take: 2,
    });
    const open = async () => {
      const form = await customer.page("/pay");
      const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.html)![1];
      const res = await customer.post("/pay", {
        idempotencyKey: key,
        currency: "USD",
        invoiceId: paidTwice.id,
        [`amount-${paidTwice.id}`]: (Number(paidTwice.balanceMinor) / 100).toFixed(2),
      });
      return portal.db.payment.findFirstOrThrow({ where: { checkoutSessionId: res.headers.get("location")!.split("/").pop()! } });
    };
    const first = await open();
    const second = await open();
    await customer.post(`/sandbox/stripe/checkout/${second.checkoutSessionId}`, { outcome: "pay" });
    // The first tab's money still arrives: unapplied cash.
    const payload = JSON.stringify({
      id: `evt_late_${first.id}`,
      object: "event",
      type: "checkout.session.completed",
      data: {
        object: {
          id: first.checkoutSessionId,
          object: "checkout.session",
          payment_status: "paid",
          amount_total: Number(first.amountMinor),
          currency: "usd",
          payment_intent: `pi_late_${first.id}`,
          metadata: { paymentId: first.id },
        },
      },
    });
    const secret = fs.readFileSync(path.join(os.tmpdir(), "stripe-sandbox-webhook-secret"), "utf8").trim();
    const delivered = await fetch(`${portal.url}/webhooks/stripe`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({ payload, secret }) },
      body: payload,
    });
    expect(delivered.status).toBe(200);
    const rep = await portal.signedIn("rep1@accounts.example");
    const applied = await rep.post(`/rep/payments/${first.id}`, { intent: "apply", note: "Customer asked to use the credit", [`amount-${later.id}`]: "10.00" });
    expect(applied.status).toBe(200);

    const rows = (await csvRows(customer)).filter((r) => r[0] === "USD");
    const payment = await portal.db.payment.findUniqueOrThrow({ where: { id: first.id } });
    const memo = rows.find((r) => r[3] === `${later.number} · ${payment.number}`)!;
    expect(memo[2]).toBe("Credit applied to an invoice (10.00)");
    expect(memo[5]).toBe("");
    expect(memo[6]).toBe("");
    // Only invoices (and debit memos) are charges.
    for (const r of rows.filter((r) => r[5] !== "" && r[5] !== undefined)) expect(["Invoice", "Debit"], r.join(",")).toContain(r[2]);
    // The money arrived once, as unapplied cash, under its readable number.
    expect(rows.filter((r) => r[3] === payment.number)).toHaveLength(1);
    expect(cents(rows.at(-1)![7])).toBe(await accountBalance(acme.id, "USD"));
    const page = textOf((await customer.page("/statement")).html);
    expect(page).toContain("Credit applied to an invoice ($10.00)");
    expect(page).not.toContain(first.id);
  }, 90_000);
});

describe("past-due list and tiles agree", () => {
  it("a partly disputed past-due invoice is listed, and the list's past-due total is the tile's figure", async () => {
    const customer = await portal.signedIn("billing@pacificcoast.example", { acceptLanguage: "es" });
    const account = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1004" } });
    const invoice = await portal.db.invoice.findFirstOrThrow({
      where: { accountId: account.id, status: "OPEN", disputes: { none: {} }, dueOn: { lt: new Date(`${today()}T00:00:00Z`) }, balanceMinor: { gt: 10_000n } },
      orderBy: { dueOn: "asc" },
    });
    const user = await portal.db.user.findUniqueOrThrow({ where: { email: "billing@pacificcoast.example" } });
    await portal.db.dispute.create({
      data: {
        number: `DSP-TEST-${Date.now()}`,
        accountId: account.id,
        invoiceId: invoice.id,
        reason: "PRICING",
        amountMinor: 5_000n,
        currency: "USD",
        language: "en",
        status: "OPEN",
        openedById: user.id,
      },
    });
    const list = textOf((await customer.page(`/invoices?status=pastDue&q=${invoice.number}`)).html);
    expect(list).toContain(invoice.number);

    const all = (await customer.page("/invoices?status=pastDue")).html;
    const listed = /data-testid="past-due-USD"[^>]*>([^<]+)</.exec(all)![1];
    const tiles = (await customer.page("/account")).html;
    const tile = /data-testid="figure-pastDue"[\s\S]*?class="figure-value">([^<]+)</.exec(tiles)![1];
    expect(listed).toBe(tile);
    expect(listed).not.toBe("$0.00");
  }, 90_000);
});
