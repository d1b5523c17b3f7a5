/**
 * A credit memo larger than the invoice's open balance (issue 14): a paid or partly paid
 * invoice disputed and credited. The part up to the open balance lowers it; the rest is
 * account credit — one credit row per memo, shown to the customer (account page,
 * statement, dispute page, email, in their language) and to the rep (account payments,
 * the payment page), applied later the way unapplied cash is. The statement closes at the
 * account's balance throughout. Through the real customer and rep routes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
let acme: { id: string };
let norte: { id: string };
let pat: Browser;
let lucia: Browser;
let senior: Browser;

beforeAll(async () => {
  portal = await startPortal();
  acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
  norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
  pat = await portal.signedIn("ap@acme-industrial.example");
  lucia = await portal.signedIn("cxp@distnorte.example");
  senior = await portal.signedIn("senior@accounts.example");
});
afterAll(async () => {
  await portal?.close();
});

const usd = (minor: number | bigint) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(Number(minor) / 100);
const mxn = (minor: number | bigint) => new Intl.NumberFormat("es-MX", { style: "currency", currency: "MXN" }).format(Number(minor) / 100);
const decimal = (minor: number | bigint) => (Number(minor) / 100).toFixed(2);

/** A paid invoice of the account with no dispute and at least `minMinor` total, `skip` further down. */
async function paidInvoice(accountId: string, minMinor: bigint, skip = 0) {
  return portal.db.invoice.findFirstOrThrow({
    where: { accountId, status: "PAID", balanceMinor: 0n, totalMinor: { gte: minMinor }, disputes: { none: {} }, adjustments: { none: {} } },
    orderBy: [{ dueOn: "desc" }, { id: "asc" }],
    skip,
  });
}

/** The customer disputes the whole invoice through the dispute form; `amount` blank claims all that may be disputed. */
async function openDispute(customer: Browser, invoiceId: string, amount: string) {
  const form = new FormData();
  for (const [k, v] of Object.entries({ invoiceId, reason: "PRICING", scope: "invoice", amount, message: "Price is not the contract rate." }))
    form.append(k, v);
  const res = await customer.request(`/disputes/new?invoice=${invoiceId}`, { method: "POST", body: form });
  expect(res.status).toBe(302);
  return res.headers.get("location")!.split("/").pop()!;
}

/** The account's balance as the ledger keeps it: open invoices less unapplied cash and account credit. */
async function ledgerBalance(accountId: string, currency: string) {
  const open = await portal.db.invoice.aggregate({ where: { accountId, currency, status: { in: ["OPEN", "PARTIALLY_PAID"] } }, _sum: { balanceMinor: true } });
  const unapplied = await portal.db.payment.aggregate({ where: { accountId, currency }, _sum: { unappliedMinor: true } });
  return Number(open._sum.balanceMinor ?? 0n) - Number(unapplied._sum.unappliedMinor ?? 0n);
}

/** The closing balance of the customer's statement CSV (no dates chosen: it ends today), in minor units. */
async function statementClosing(customer: Browser, currency: string) {
  const res = await customer.get("/statement.csv");
  expect(res.status).toBe(200);
  const rows = (await res.text())
    .replace(/^\uFEFF/, "")
    .trim()
    .split("\r\n")
    .map((r) => r.split(","));
  const closing = rows.filter((r) => r[0] === currency).at(-1)!;
  return Math.round(Number(closing[7]) * 100);
}

const creditOf = (memoId: string) => portal.db.payment.findMany({ where: { adjustmentId: memoId } });
const emails = (template: string, to: string) => portal.db.outboxEmail.count({ where: { template, to } });

describe("a paid invoice disputed and credited (English)", () => {
  let invoice: Awaited<ReturnType<typeof paidInvoice>>;
  let disputeId: string;
  let creditId: string;

  it("the rep credits it: the invoice stays paid, the whole memo is account credit, the statement still closes at the balance", async () => {
    invoice = await paidInvoice(acme.id, 500_00n);
    disputeId = await openDispute(pat, invoice.id, "250.00");
    const balanceBefore = await ledgerBalance(acme.id, "USD");
    expect(await statementClosing(pat, "USD")).toBe(balanceBefore);
    // The rep sees what may be credited: the disputed amount (the invoice is paid, its balance is zero).
    const form = (await senior.page(`/rep/disputes/${disputeId}`)).html;
    expect(textOf(form)).toContain("May be credited (invoice total less memos and write-offs already posted, at most the disputed amount)");
    expect(form).toContain(`data-testid="dispute-creditable">${usd(250_00)}<`);

    const res = await senior.post(`/rep/disputes/${disputeId}`, { intent: "resolve", amount: "250.00", resolution: "Price corrected to the contract rate." });
    expect(res.status).toBe(200);
    expect(textOf(await res.text())).toContain(`the invoice was already paid, so all ${usd(250_00)} is now credit on the account`);

    const after = await portal.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } });
    expect(after.status).toBe("PAID");
    expect(after.balanceMinor).toBe(0n);
    const memo = await portal.db.adjustment.findFirstOrThrow({ where: { disputeId } });
    expect(memo.status).toBe("POSTED");
    expect(memo.amountMinor).toBe(250_00n);
    const credits = await creditOf(memo.id);
    expect(credits).toHaveLength(1);
    expect(credits[0]).toMatchObject({ amountMinor: 250_00n, unappliedMinor: 250_00n, currency: "USD", status: "SUCCEEDED", provider: "account_credit" });
    creditId = credits[0].id;
    expect((await portal.db.dispute.findUniqueOrThrow({ where: { id: disputeId } })).status).toBe("RESOLVED_CREDITED");

    // The account owes 250.00 less; the statement closes at that balance, the memo a credit line.
    expect(await ledgerBalance(acme.id, "USD")).toBe(balanceBefore - 250_00);
    expect(await statementClosing(pat, "USD")).toBe(balanceBefore - 250_00);
    const csv = await (await pat.get("/statement.csv")).text();
    const line = csv.split("\r\n").find((r) => r.includes(memo.number))!;
    expect(line.split(",")).toEqual(expect.arrayContaining(["Credit", `${memo.number} · ${invoice.number}`, "250.00"]));
    expect(line.split(",")[5]).toBe(""); // not a charge
    // The credit row adds no second credit line.
    expect(csv).not.toContain(credits[0].number);
  });

  it("the customer sees the credit on the account page, the statement, the dispute and the email", async () => {
    const account = textOf((await pat.page("/account")).html);
    expect(account).toContain(`Credit in your favor (from credit memos, not yet applied) ${usd(250_00)}`);
    expect(account).toContain("Balance after unapplied payments and credit");
    const statement = textOf((await pat.page("/statement")).html);
    expect(statement).toContain(`Includes ${usd(250_00)} of credit in your favor from credit memos`);
    const dispute = textOf((await pat.page(`/disputes/${disputeId}`)).html);
    expect(dispute).toContain(`${usd(250_00)} of the credit memo was more than the invoice still owed and is credit on your account`);
    const mail = await portal.db.outboxEmail.findFirstOrThrow({ where: { template: "dispute_resolved_credit", to: "ap@acme-industrial.example" } });
    expect(mail.language).toBe("en");
    expect(mail.subject).toContain("resolved with a credit");
    expect(mail.text).toContain(`The invoice was already paid, so the whole ${usd(250_00)} is credit on your account`);
    // Its own page says it is credit, not a payment received.
    const credit = textOf((await pat.page(`/payments/${creditId}`)).html);
    expect(credit).toContain("Account credit PMT-");
    expect(credit).toContain(`This is not a payment: it is ${usd(250_00)} of credit in your favor`);
  });

  it("the rep sees it among the account's payments and on its page, with a translated history, and cannot refund it", async () => {
    const credit = await portal.db.payment.findUniqueOrThrow({ where: { id: creditId } });
    const tab = textOf((await senior.page(`/rep/accounts/${acme.id}?tab=payments`)).html);
    expect(tab).toContain(`${credit.number} · account credit`);
    expect(tab).toContain(`Account credit from credit memos (not yet applied, already in the balance) ${usd(250_00)}`);
    const html = (await senior.page(`/rep/payments/${creditId}`)).html;
    const page = textOf(html);
    expect(page).toContain("This is account credit: the part of credit memo");
    expect(page).toMatch(/put \$250\.00 of credit on the account from a credit memo/);
    // No refund form for account credit; a refund sent anyway is refused.
    expect(html).not.toContain('name="refundAmount"');
    const refund = await senior.post(`/rep/payments/${creditId}`, {
      intent: "refund",
      refundAmount: "10.00",
      note: "Customer asked for money back",
      refundKey: crypto.randomUUID(),
    });
    expect(refund.status).toBe(400);
    expect(textOf(await refund.text())).toContain("Account credit from a credit memo cannot be refunded");
    expect(await portal.db.paymentRefund.count({ where: { paymentId: creditId } })).toBe(0);
    expect((await portal.db.payment.findUniqueOrThrow({ where: { id: creditId } })).refundedMinor).toBe(0n);
  });

  it("a rep applies the credit to an open invoice like unapplied cash; the statement still closes at the balance", async () => {
    const open = await portal.db.invoice.findFirstOrThrow({
      where: { accountId: acme.id, currency: "USD", status: { in: ["OPEN", "PARTIALLY_PAID"] }, balanceMinor: { gte: 250_00n } },
      orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    });
    const balanceBefore = await ledgerBalance(acme.id, "USD");
    const res = await senior.post(`/rep/payments/${creditId}`, { intent: "apply", note: "Credit from the dispute applied", [`amount-${open.id}`]: "250.00" });
    expect(res.status).toBe(200);
    expect((await portal.db.invoice.findUniqueOrThrow({ where: { id: open.id } })).balanceMinor).toBe(open.balanceMinor - 250_00n);
    expect((await portal.db.payment.findUniqueOrThrow({ where: { id: creditId } })).unappliedMinor).toBe(0n);
    // The credit moved onto the invoice: what the account owes is unchanged, and the statement agrees.
    expect(await ledgerBalance(acme.id, "USD")).toBe(balanceBefore);
    expect(await statementClosing(pat, "USD")).toBe(balanceBefore);
    expect(textOf((await pat.page("/account")).html)).not.toContain("Credit in your favor");
  });
});

describe("a partly paid invoice (Spanish): the memo is split between the balance and account credit", () => {
  it("lowers the balance to zero and puts the rest on the account, told in Spanish", async () => {
    const invoice = await portal.db.invoice.findFirstOrThrow({
      where: { accountId: norte.id, status: "PARTIALLY_PAID", balanceMinor: { gte: 3_000_00n }, disputes: { none: {} }, adjustments: { none: {} } },
      orderBy: [{ dueOn: "desc" }, { id: "asc" }],
    });
    // Disputed for all it still owed (the form's default when the amount is left blank)…
    const disputeId = await openDispute(lucia, invoice.id, "");
    const dispute = await portal.db.dispute.findUniqueOrThrow({ where: { id: disputeId } });
    expect(dispute.amountMinor).toBe(invoice.balanceMinor);
    // …then part of it was paid while the dispute was open (a remittance already on its way).
    const paid = 1_000_00n;
    const payment = await portal.db.payment.create({
      data: {
        accountId: norte.id,
        currency: invoice.currency,
        amountMinor: paid,
        status: "SUCCEEDED",
        provider: "stripe",
        idempotencyKey: `test-remittance-${invoice.id}`,
        receivedAt: new Date(),
        allocations: { create: { invoiceId: invoice.id, amountMinor: paid } },
      },
    });
    await portal.db.invoice.update({ where: { id: invoice.id }, data: { balanceMinor: invoice.balanceMinor - paid } });
    expect(payment.id).toBeTruthy();
    const balanceBefore = await ledgerBalance(norte.id, "MXN");
    const mailsBefore = await emails("dispute_resolved_credit", "cxp@distnorte.example");

    const rep = await portal.signedIn("senior@accounts.example", { acceptLanguage: "es-MX" });
    const res = await rep.post(`/rep/disputes/${disputeId}`, {
      intent: "resolve",
      amount: decimal(invoice.balanceMinor),
      resolution: "Se corrige el precio al de contrato.",
    });
    expect(res.status).toBe(200);
    const applied = invoice.balanceMinor - paid;
    expect(textOf(await res.text())).toContain(`${mxn(applied)} redujo el saldo de la factura y ${mxn(paid)} queda como saldo a favor en la cuenta`);

    const after = await portal.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } });
    expect(after.balanceMinor).toBe(0n);
    expect(after.status).toBe("PAID");
    const memo = await portal.db.adjustment.findFirstOrThrow({ where: { disputeId } });
    expect(memo.amountMinor).toBe(invoice.balanceMinor);
    const credits = await creditOf(memo.id);
    expect(credits).toHaveLength(1);
    expect(credits[0].amountMinor).toBe(paid);
    expect(credits[0].unappliedMinor).toBe(paid);
    // The balance part lowered what is owed, the credit part too: the memo's whole amount, once.
    expect(await ledgerBalance(norte.id, "MXN")).toBe(balanceBefore - Number(invoice.balanceMinor));
    expect(await statementClosing(lucia, "MXN")).toBe(balanceBefore - Number(invoice.balanceMinor));

    expect(await emails("dispute_resolved_credit", "cxp@distnorte.example")).toBe(mailsBefore + 1);
    const mail = await portal.db.outboxEmail.findFirstOrThrow({
      where: { template: "dispute_resolved_credit", to: "cxp@distnorte.example" },
      orderBy: { createdAt: "desc" },
    });
    expect(mail.language).toBe("es");
    expect(mail.text).toContain(`De ese importe, ${mxn(applied)} se aplicó a la factura`);
    expect(mail.text).toContain(`Los ${mxn(paid)} restantes quedan como saldo a favor en su cuenta`);
    const page = textOf((await lucia.page(`/disputes/${disputeId}`)).html);
    expect(page).toContain(`${mxn(paid)} de la nota de crédito superó lo que aún debía la factura y queda como saldo a favor en su cuenta`);
    expect(textOf((await lucia.page("/account")).html)).toContain(`Saldo a favor (de notas de crédito, aún sin aplicar) ${mxn(paid)}`);
    expect(textOf((await lucia.page("/statement")).html)).toContain(`Incluye ${mxn(paid)} de saldo a favor por notas de crédito`);
  });
});

describe("more than may be credited", () => {
  it("is refused with a translated error and changes nothing", async () => {
    const invoice = await paidInvoice(acme.id, 500_00n, 1);
    const disputeId = await openDispute(pat, invoice.id, "100.00");
    const mailsBefore = await emails("dispute_resolved_credit", "ap@acme-industrial.example");
    const paymentsBefore = await portal.db.payment.count({ where: { accountId: acme.id } });
    const res = await senior.post(`/rep/disputes/${disputeId}`, { intent: "resolve", amount: "100.01", resolution: "One cent too much." });
    expect(res.status).toBe(400);
    expect(textOf(await res.text())).toContain(
      "A credit memo cannot be more than the disputed amount, nor more than what may still be credited on the invoice",
    );
    // The same in Spanish for a rep reading the portal in Spanish.
    const rep2 = await portal.signedIn("rep2@accounts.example", { acceptLanguage: "es-MX" });
    const es = await rep2.post(`/rep/disputes/${disputeId}`, { intent: "resolve", amount: "100.01", resolution: "Un centavo de más." });
    expect(es.status).toBe(400);
    expect(textOf(await es.text())).toContain("La nota de crédito no puede ser mayor que el importe en aclaración");
    expect(await portal.db.adjustment.count({ where: { disputeId } })).toBe(0);
    expect(await portal.db.payment.count({ where: { accountId: acme.id } })).toBe(paymentsBefore);
    expect((await portal.db.dispute.findUniqueOrThrow({ where: { id: disputeId } })).status).toBe("OPEN");
    expect((await portal.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).balanceMinor).toBe(0n);
    expect(await emails("dispute_resolved_credit", "ap@acme-industrial.example")).toBe(mailsBefore);
  });
});

describe("exactly once", () => {
  it("five resolves at once post one memo and one credit, with one audit line and one email", async () => {
    const invoice = await paidInvoice(acme.id, 500_00n, 2);
    const disputeId = await openDispute(pat, invoice.id, "300.00");
    const rep3 = await portal.signedIn("rep3@accounts.example");
    const mailsBefore = await emails("dispute_resolved_credit", "ap@acme-industrial.example");
    const fields = { intent: "resolve", amount: "300.00", resolution: "Credited in full." };
    const responses = await Promise.all([
      ...Array.from({ length: 3 }, () => senior.post(`/rep/disputes/${disputeId}`, fields)),
      ...Array.from({ length: 2 }, () => rep3.post(`/rep/disputes/${disputeId}`, fields)),
    ]);
    await Promise.all(responses.map((r) => r.arrayBuffer()));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    const memos = await portal.db.adjustment.findMany({ where: { disputeId } });
    expect(memos).toHaveLength(1);
    const credits = await creditOf(memos[0].id);
    expect(credits).toHaveLength(1);
    expect(credits[0].amountMinor).toBe(300_00n);
    expect(await portal.db.payment.count({ where: { accountId: acme.id, provider: "account_credit", createdAt: { gte: memos[0].createdAt } } })).toBe(1);
    expect(await portal.db.auditLog.count({ where: { action: "account_credit_created", entityId: credits[0].id } })).toBe(1);
    expect(await emails("dispute_resolved_credit", "ap@acme-industrial.example")).toBe(mailsBefore + 1);
    expect(await statementClosing(pat, "USD")).toBe(await ledgerBalance(acme.id, "USD"));
  });
});

describe("an escalated memo above the balance", () => {
  it("waits for a higher level, then posts its credit once when approved", async () => {
    const invoice = await paidInvoice(acme.id, 1_500_00n, 3);
    const disputeId = await openDispute(pat, invoice.id, "1500.00");
    const rep1 = await portal.signedIn("rep1@accounts.example");
    const res = await rep1.post(`/rep/disputes/${disputeId}`, { intent: "resolve", amount: "1500.00", resolution: "Full credit agreed with sales." });
    expect(res.status).toBe(200);
    expect(textOf(await res.text())).toContain("above your authority");
    const memo = await portal.db.adjustment.findFirstOrThrow({ where: { disputeId } });
    expect(memo.status).toBe("PENDING_APPROVAL");
    expect(await creditOf(memo.id)).toHaveLength(0);

    const responses = await Promise.all(Array.from({ length: 3 }, () => senior.post(`/rep/disputes/${disputeId}`, { intent: "approve" })));
    const texts = await Promise.all(responses.map((r) => r.text()));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect(textOf(texts[responses.findIndex((r) => r.status === 200)])).toContain(`all ${usd(1_500_00)} is now credit on the account`);
    const credits = await creditOf(memo.id);
    expect(credits).toHaveLength(1);
    expect(credits[0].amountMinor).toBe(1_500_00n);
    expect((await portal.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).status).toBe("PAID");
    expect(await statementClosing(pat, "USD")).toBe(await ledgerBalance(acme.id, "USD"));
  });
});
