/**
 * The same invoice paid from two open checkouts, money that arrives anyway, the
 * reconciliation queue emptying, history lines as sentences, readable payment numbers
 * and the receipt PDF — through the pay form, the Stripe sandbox and signed webhooks.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pdfText } from "../support/pdf-text";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  await portal?.close();
});

function sandboxSecret() {
  return fs.readFileSync(path.join(os.tmpdir(), "stripe-sandbox-webhook-secret"), "utf8").trim();
}

function postEvent(event: object) {
  const payload = JSON.stringify(event);
  return fetch(`${portal.url}/webhooks/stripe`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: sandboxSecret() }) },
    body: payload,
  });
}

/** What Stripe sends when a customer completes a checkout (here: one we had already closed). */
function completed(payment: { id: string; checkoutSessionId: string | null; amountMinor: bigint; currency: string }) {
  return {
    id: `evt_late_${payment.id}`,
    object: "event",
    type: "checkout.session.completed",
    data: {
      object: {
        id: payment.checkoutSessionId,
        object: "checkout.session",
        payment_status: "paid",
        amount_total: Number(payment.amountMinor),
        currency: payment.currency.toLowerCase(),
        payment_intent: `pi_late_${payment.id}`,
        payment_method_types: ["card"],
        metadata: { paymentId: payment.id },
      },
    },
  };
}

async function oneOpenInvoice(accountNumber: string, skip: number) {
  const account = await portal.db.account.findUniqueOrThrow({ where: { number: accountNumber } });
  return portal.db.invoice.findFirstOrThrow({
    where: { accountId: account.id, status: "OPEN", disputes: { none: {} } },
    orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    skip,
  });
}

const plain = (minor: bigint) => (Number(minor) / 100).toFixed(2);

/** Opens /pay in a "tab" and submits it for one invoice in full: the checkout URL it lands on. */
async function openCheckout(customer: Browser, invoice: { id: string; currency: string; balanceMinor: bigint }) {
  const form = await customer.page("/pay");
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.html)![1];
  const res = await customer.post("/pay", {
    idempotencyKey: key,
    currency: invoice.currency,
    invoiceId: invoice.id,
    [`amount-${invoice.id}`]: plain(invoice.balanceMinor),
  });
  expect(res.status).toBe(302);
  const url = res.headers.get("location")!;
  const payment = await portal.db.payment.findFirstOrThrow({ where: { checkoutSessionId: url.split("/").pop()! } });
  return { url, payment };
}

describe.each([
  {
    language: "es",
    email: "cxp@distnorte.example",
    account: "ACC-1002",
    skip: 3,
    closedPage: "Este pago ya se completó.",
    closedReceipt: "Cerramos este pago porque se abrió otro más reciente para las mismas facturas. No se cobró nada.",
    creditMail:
      /Este pago llegó cuando las facturas a las que correspondía \(([^)]+)\) ya estaban pagadas[\s\S]*Conservamos \$[\d,.]+ como saldo a favor en su cuenta/,
    creditPage: "Este pago llegó cuando las facturas a las que correspondía ya estaban pagadas. Conservamos",
  },
  {
    language: "en",
    email: "ap@acme-industrial.example",
    account: "ACC-1001",
    skip: 4,
    closedPage: "This checkout is already finished.",
    closedReceipt: "This checkout was closed because a newer one was opened for the same invoices. No money was taken.",
    creditMail: /This payment arrived after the invoices it was meant for \(([^)]+)\) were already paid[\s\S]*We hold \$[\d,.]+ as a credit on your account/,
    creditPage: "This payment arrived after the invoices it was meant for were already paid. We hold",
  },
])("one invoice, two open checkouts ($language)", ({ language, email, account, skip, closedPage, closedReceipt, creditMail, creditPage }) => {
  let customer: Browser;
  let invoice: Awaited<ReturnType<typeof oneOpenInvoice>>;
  let first: Awaited<ReturnType<typeof openCheckout>>;
  let second: Awaited<ReturnType<typeof openCheckout>>;

  beforeAll(async () => {
    customer = await portal.signedIn(email);
    invoice = await oneOpenInvoice(account, skip);
  });

  it("a second checkout for the same invoice closes the first: it cannot take money any more", async () => {
    first = await openCheckout(customer, invoice);
    second = await openCheckout(customer, invoice);
    expect(second.payment.id).not.toBe(first.payment.id);
    expect((await portal.db.payment.findUniqueOrThrow({ where: { id: first.payment.id } })).status).toBe("EXPIRED");
    expect(textOf((await customer.page(first.url)).html)).toContain(closedPage);
    const pay = await customer.post(first.url, { outcome: "pay" });
    expect(pay.status).toBe(302);
    expect((await portal.db.payment.findUniqueOrThrow({ where: { id: first.payment.id } })).status).toBe("EXPIRED");
    expect(textOf((await customer.page(`/payments/${first.payment.id}`)).html)).toContain(closedReceipt);
    // The newer checkout pays the invoice once.
    await customer.post(second.url, { outcome: "pay" });
    const paid = await portal.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } });
    expect(paid.status).toBe("PAID");
    expect(await portal.db.paymentAllocation.count({ where: { invoiceId: invoice.id, amountMinor: { gt: 0 } } })).toBe(1);
  }, 90_000);

  it("a checkout for an invoice with nothing left to pay is refused", async () => {
    const form = await customer.page("/pay");
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.html)![1];
    const count = await portal.db.payment.count();
    const res = await customer.post("/pay", { idempotencyKey: key, currency: invoice.currency, invoiceId: invoice.id, [`amount-${invoice.id}`]: "1.00" });
    expect(res.status).toBe(400);
    expect(await portal.db.payment.count()).toBe(count);
  });

  it("money that still arrives for the closed checkout is unapplied cash, and the customer is told so in plain words", async () => {
    const res = await postEvent(completed(first.payment));
    expect(res.status).toBe(200);
    const after = await portal.db.payment.findUniqueOrThrow({ where: { id: first.payment.id }, include: { allocations: true } });
    expect(after.status).toBe("SUCCEEDED");
    expect(after.allocations).toHaveLength(0);
    expect(after.unappliedMinor).toBe(first.payment.amountMinor);
    const mail = await portal.db.outboxEmail.findFirstOrThrow({ where: { to: email, template: "payment_receipt", text: { contains: after.number } } });
    expect(mail.language).toBe(language);
    expect(mail.text).toMatch(creditMail);
    expect(mail.text).toContain(invoice.number);
    expect(mail.text).not.toMatch(/:\s*\n\s*\n\s*\n/);
    const receipt = textOf((await customer.page(`/payments/${first.payment.id}`)).html);
    expect(receipt).toContain(creditPage);
    expect(receipt).toContain(after.number);
  });
});

describe("the reconciliation queue empties when nothing is left to place", () => {
  let customer: Browser;
  let rep: Browser;
  beforeAll(async () => {
    customer = await portal.signedIn("ap@acme-industrial.example");
    rep = await portal.signedIn("rep3@accounts.example");
  });

  /** A payment that arrived for an invoice another checkout had already paid: all of it unapplied. */
  async function paidTwice(skip: number) {
    const invoice = await oneOpenInvoice("ACC-1001", skip);
    const first = await openCheckout(customer, invoice);
    const second = await openCheckout(customer, invoice);
    await customer.post(second.url, { outcome: "pay" });
    await postEvent(completed(first.payment));
    return portal.db.payment.findUniqueOrThrow({ where: { id: first.payment.id } });
  }

  it("a payment whose unapplied cash was refunded leaves the queue", async () => {
    const payment = await paidTwice(6);
    expect(payment.unappliedMinor).toBe(payment.amountMinor);
    expect(textOf((await rep.page("/rep/payments")).html)).toContain(payment.number);
    const refund = await rep.post(`/rep/payments/${payment.id}`, {
      intent: "refund",
      refundAmount: plain(payment.amountMinor),
      note: "Paid twice from two tabs",
    });
    expect(refund.status).toBe(200);
    const refunded = await portal.db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(refunded.unappliedMinor).toBe(0n);
    expect(refunded.flaggedReason).toBeNull();
    expect(textOf((await rep.page("/rep/payments")).html)).not.toContain(payment.number);
  }, 90_000);

  it("partly refunded unapplied cash stays in the queue until all of it is placed", async () => {
    const payment = await paidTwice(7);
    await rep.post(`/rep/payments/${payment.id}`, { intent: "refund", refundAmount: "1.00", note: "Part back" });
    const partly = await portal.db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(partly.status).toBe("PARTIALLY_REFUNDED");
    expect(textOf((await rep.page("/rep/payments")).html)).toContain(partly.number);
    await rep.post(`/rep/payments/${payment.id}`, { intent: "refund", refundAmount: plain(partly.unappliedMinor), note: "The rest back" });
    expect(textOf((await rep.page("/rep/payments")).html)).not.toContain(partly.number);
  }, 90_000);

  it("a currency mismatch is flagged with nothing applied; refunded in full it leaves the queue", async () => {
    const invoice = await oneOpenInvoice("ACC-1001", 8);
    const c = await openCheckout(customer, invoice);
    const event = completed(c.payment);
    await postEvent({ ...event, id: `evt_eur_${c.payment.id}`, data: { object: { ...event.data.object, currency: "eur" } } });
    const mismatch = await portal.db.payment.findUniqueOrThrow({ where: { id: c.payment.id } });
    expect(mismatch.flaggedReason).toBe("currency_mismatch");
    expect(textOf((await rep.page("/rep/payments")).html)).toContain(mismatch.number);
    expect(
      (await rep.post(`/rep/payments/${c.payment.id}`, { intent: "refund", refundAmount: plain(mismatch.amountMinor), note: "Paid in the wrong currency" }))
        .status,
    ).toBe(200);
    expect(textOf((await rep.page("/rep/payments")).html)).not.toContain(mismatch.number);
  }, 90_000);
});

describe("readable payment numbers and the receipt PDF", () => {
  it("shows PMT numbers, never database ids, on the receipt, its title and the rep pages", async () => {
    const customer = await portal.signedIn("cxp@distnorte.example");
    const invoice = await oneOpenInvoice("ACC-1002", 10);
    const { url, payment } = await openCheckout(customer, invoice);
    expect(payment.number).toMatch(/^PMT-\d{6}$/);
    expect(textOf((await customer.page(url)).html)).toContain(payment.number);
    await customer.post(url, { outcome: "pay" });
    const receipt = (await customer.page(`/payments/${payment.id}`)).html;
    expect(/<title>([^<]*)<\/title>/.exec(receipt)![1]).toContain(payment.number);
    expect(textOf(receipt)).toContain(`Pago ${payment.number}`);
    expect(textOf(receipt)).not.toContain(payment.id);
    const mail = await portal.db.outboxEmail.findFirstOrThrow({
      where: { to: "cxp@distnorte.example", template: "payment_receipt", text: { contains: payment.number } },
    });
    expect(mail.text).not.toContain(payment.id);
    const rep = await portal.signedIn("rep3@accounts.example");
    const detail = (await rep.page(`/rep/payments/${payment.id}`)).html;
    expect(/<title>([^<]*)<\/title>/.exec(detail)![1]).toContain(payment.number);
    expect(textOf(detail)).toContain(payment.number);
  }, 90_000);

  it("gives the receipt as a PDF in the reader's language, with the seller, to its own account only", async () => {
    const customer = await portal.signedIn("cxp@distnorte.example");
    const account = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
    const payment = await portal.db.payment.findFirstOrThrow({
      where: { accountId: account.id, status: "SUCCEEDED", allocations: { some: {} } },
      include: { allocations: { include: { invoice: true } } },
    });
    const res = await customer.get(`/payments/${payment.id}/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-language")).toBe("es");
    expect(res.headers.get("content-disposition")).toContain(payment.number);
    const text = pdfText(Buffer.from(await res.arrayBuffer()));
    expect(text).toContain(`Pago ${payment.number}`);
    expect(text).toContain("Northfield Industrial Distribution, Inc.");
    expect(text).toContain("Recibido de");
    expect(text).toContain(payment.allocations[0].invoice.number);
    expect(text).not.toContain("SANDBOX");
    // Taken by the sandbox, the same receipt says that no money moved.
    await portal.db.payment.update({ where: { id: payment.id }, data: { provider: "stripe_sandbox" } });
    expect(pdfText(Buffer.from(await (await customer.get(`/payments/${payment.id}/pdf`)).arrayBuffer()))).toContain("SANDBOX · sin dinero real");
    await portal.db.payment.update({ where: { id: payment.id }, data: { provider: payment.provider } });

    const english = await portal.signedIn("ap@acme-industrial.example");
    expect((await english.get(`/payments/${payment.id}/pdf`)).status).toBe(404);
    expect((await portal.browser().get(`/payments/${payment.id}/pdf`)).status).toBe(302);
    const rep = await portal.signedIn("rep1@accounts.example");
    expect((await rep.get(`/payments/${payment.id}/pdf`)).status).toBe(403);
    const own = await portal.db.payment.findFirstOrThrow({ where: { account: { number: "ACC-1001" }, status: "SUCCEEDED" } });
    const en = await english.get(`/payments/${own.id}/pdf`);
    expect(en.headers.get("content-language")).toBe("en");
    expect(pdfText(Buffer.from(await en.arrayBuffer()))).toContain(`Payment ${own.number}`);
  });

  it("prints the seller's name, address and remit-to on the invoice PDF, in both languages", async () => {
    for (const [email, account, remit] of [
      ["cxp@distnorte.example", "ACC-1002", "Envíe su pago a"],
      ["ap@acme-industrial.example", "ACC-1001", "Remit payment to"],
    ] as const) {
      const customer = await portal.signedIn(email);
      const invoice = await oneOpenInvoice(account, 0);
      const text = pdfText(Buffer.from(await (await customer.get(`/invoices/${invoice.id}/pdf`)).arrayBuffer()));
      expect(text).toContain("Northfield Industrial Distribution, Inc.");
      expect(text).toContain("1200 Commerce Park Drive");
      expect(text).toContain(remit);
      expect(text).toContain("Lockbox 771203");
    }
  });
});

describe("history lines are sentences with who did it, in the reader's language", () => {
  it("a payment's history on the rep page, in Spanish and in English, with no raw codes", async () => {
    const customer = await portal.signedIn("cxp@distnorte.example");
    const invoice = await oneOpenInvoice("ACC-1002", 12);
    const { url, payment } = await openCheckout(customer, invoice);
    await customer.post(url, { outcome: "pay" });
    const spanishRep = await portal.signedIn("rep2@accounts.example");
    expect((await spanishRep.post(`/rep/payments/${payment.id}`, { intent: "refund", refundAmount: "1.00", note: "Descuento acordado" })).status).toBe(200);
    const payer = await portal.db.user.findUniqueOrThrow({ where: { email: "cxp@distnorte.example" } });
    const codes = [
      "payment_created",
      "payment_succeeded",
      "refund_requested",
      "payment_refunded",
      "payment_applied",
      "SUCCEEDED",
      "PARTIALLY_REFUNDED",
      "REP_II",
    ];

    const es = textOf((await spanishRep.page(`/rep/payments/${payment.id}`)).html);
    expect(es).toContain(`${payer.name} inició el pago ${payment.number} por`);
    expect(es).toContain(`Cuentas de Clientes (automático) aplicó`);
    expect(es).toContain(`del pago ${payment.number} a la factura ${invoice.number}`);
    expect(es).toMatch(new RegExp(`Beatriz Ramírez \\(Ejecutivo II\\) solicitó un reembolso de \\$1\\.00 del pago ${payment.number}`));
    expect(es).toContain("Nota: Descuento acordado");
    expect(es).toMatch(/reembolsó el pago PMT-\d{6}: \$1\.00 reembolsados en total: recibido → reembolsado en parte/);
    for (const code of codes) expect(es).not.toContain(code);

    const englishRep = await portal.signedIn("rep1@accounts.example");
    const en = textOf((await englishRep.page(`/rep/payments/${payment.id}`)).html);
    expect(en).toContain(`${payer.name} started payment ${payment.number} of`);
    expect(en).toMatch(new RegExp(`Beatriz Ramírez \\(Rep II\\) asked for a refund of MX\\$1\\.00 on payment ${payment.number}`));
    expect(en).toContain("Note: Descuento acordado");
    expect(en).toContain("Customer Accounts (automatic) applied");
    for (const code of codes) expect(en).not.toContain(code);
  }, 90_000);
});

describe("the database's own rule for allocations", () => {
  it("puts a payment's money only on invoices of its own account and currency, whoever writes it", async () => {
    const acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
    const norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
    const applied = await portal.db.paymentAllocation.findFirstOrThrow({
      where: { payment: { accountId: acme.id } },
      include: { payment: true, invoice: true },
    });
    const theirs = await portal.db.invoice.findFirstOrThrow({ where: { accountId: norte.id } });
    const ours = await portal.db.invoice.findFirstOrThrow({
      where: { accountId: acme.id, currency: applied.payment.currency, id: { not: applied.invoiceId } },
    });
    const before = await portal.db.paymentAllocation.count();

    // Acme's payment on Norte's invoice: refused, alone or in a batch with a good one.
    await expect(portal.db.paymentAllocation.create({ data: { paymentId: applied.paymentId, invoiceId: theirs.id, amountMinor: 100n } })).rejects.toThrow();
    await expect(
      portal.db.paymentAllocation.createMany({
        data: [
          { paymentId: applied.paymentId, invoiceId: ours.id, amountMinor: 100n },
          { paymentId: applied.paymentId, invoiceId: theirs.id, amountMinor: 100n },
        ],
      }),
    ).rejects.toThrow();
    // An allocation moved across, or its payment or invoice moved to another account or currency: refused.
    await expect(portal.db.paymentAllocation.update({ where: { id: applied.id }, data: { invoiceId: theirs.id } })).rejects.toThrow();
    await expect(portal.db.invoice.update({ where: { id: applied.invoiceId }, data: { accountId: norte.id } })).rejects.toThrow();
    await expect(portal.db.invoice.update({ where: { id: applied.invoiceId }, data: { currency: "MXN" } })).rejects.toThrow();
    await expect(portal.db.payment.update({ where: { id: applied.paymentId }, data: { accountId: norte.id } })).rejects.toThrow();
    await expect(portal.db.payment.update({ where: { id: applied.paymentId }, data: { currency: "MXN" } })).rejects.toThrow();

    expect(await portal.db.paymentAllocation.count()).toBe(before);
    expect((await portal.db.paymentAllocation.findUniqueOrThrow({ where: { id: applied.id } })).invoiceId).toBe(applied.invoiceId);
    expect((await portal.db.invoice.findUniqueOrThrow({ where: { id: applied.invoiceId } })).accountId).toBe(acme.id);
    expect((await portal.db.payment.findUniqueOrThrow({ where: { id: applied.paymentId } })).currency).toBe(applied.payment.currency);

    // The rule is not in the way of a right allocation (rolled back here, so the ledger stays as it was).
    await expect(
      portal.db.$transaction(async (tx) => {
        await tx.paymentAllocation.create({ data: { paymentId: applied.paymentId, invoiceId: ours.id, amountMinor: 100n } });
        throw new Error("rolled back on purpose");
      }),
    ).rejects.toThrow("rolled back on purpose");
    expect(await portal.db.paymentAllocation.count()).toBe(before);
  });
});
