/**
 * Payments end to end on the real server: the pay form, the Stripe sandbox, signed
 * events to /webhooks/stripe, allocation, receipts, idempotency and isolation.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";
import { JOBS } from "../../app/domain/jobs/registry.server";
import { runJobsOnce } from "../../app/domain/jobs/runner.server";

let portal: TestPortal;
let norte: { id: string };
let acme: { id: string };
beforeAll(async () => {
  portal = await startPortal();
  norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
  acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
});
afterAll(async () => {
  await portal?.close();
});

/** The sandbox's per-install secret: beside the upload folder, as the server keeps it. */
function sandboxSecret() {
  return fs.readFileSync(path.join(os.tmpdir(), "stripe-sandbox-webhook-secret"), "utf8").trim();
}

function postEvent(payload: string, signature: string) {
  return fetch(`${portal.url}/webhooks/stripe`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Stripe-Signature": signature },
    body: payload,
  });
}

async function openInvoices(accountId: string, take: number, skip = 0) {
  return portal.db.invoice.findMany({
    where: { accountId, status: "OPEN", disputes: { none: {} } },
    orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    take,
    skip,
  });
}

async function payKey(customer: Browser, query = "") {
  const page = await customer.page(`/pay${query}`);
  expect(page.status).toBe(200);
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.html)?.[1];
  expect(key).toBeTruthy();
  return key!;
}

const plain = (minor: bigint | number) => (Number(minor) / 100).toFixed(2);

async function openBalance(accountId: string) {
  const sum = await portal.db.invoice.aggregate({ where: { accountId, status: { in: ["OPEN", "PARTIALLY_PAID"] } }, _sum: { balanceMinor: true } });
  return sum._sum.balanceMinor ?? 0n;
}

/** What the credit limit is held against: open invoices plus open and held orders. */
async function exposure(accountId: string) {
  const orders = await portal.db.order.aggregate({ where: { accountId, status: { in: ["OPEN", "ON_HOLD"] } }, _sum: { amountMinor: true } });
  return (await openBalance(accountId)) + (orders._sum.amountMinor ?? 0n);
}

describe("a Spanish customer pays two MXN invoices in the sandbox", () => {
  let customer: Browser;
  let checkout: string;
  let paymentId: string;
  const chosen: { id: string; number: string; balanceMinor: bigint }[] = [];

  beforeAll(async () => {
    customer = await portal.signedIn("cxp@distnorte.example");
    chosen.push(...(await openInvoices(norte.id, 2)));
  });

  it("creates one payment per idempotency key, however often the form is sent", async () => {
    const key = await payKey(customer);
    const fields = new URLSearchParams({ idempotencyKey: key, currency: "MXN" });
    for (const inv of chosen) {
      fields.append("invoiceId", inv.id);
      fields.append(`amount-${inv.id}`, plain(inv.balanceMinor));
    }
    const [a, b] = await Promise.all([
      customer.request("/pay", { method: "POST", body: new URLSearchParams(fields) }),
      customer.request("/pay", { method: "POST", body: new URLSearchParams(fields) }),
    ]);
    const c = await customer.request("/pay", { method: "POST", body: new URLSearchParams(fields) });
    expect([a.status, b.status, c.status]).toEqual([302, 302, 302]);
    checkout = a.headers.get("location")!;
    expect(checkout).toMatch(/^\/sandbox\/stripe\/checkout\/cs_sandbox_/);
    expect(b.headers.get("location")).toBe(checkout);
    expect(c.headers.get("location")).toBe(checkout);
    const payments = await portal.db.payment.findMany({ where: { idempotencyKey: { endsWith: key } } });
    expect(payments).toHaveLength(1);
    paymentId = payments[0].id;
    expect(payments[0].amountMinor).toBe(chosen[0].balanceMinor + chosen[1].balanceMinor);
  });

  it("shows a clearly labelled sandbox page in Spanish", async () => {
    const page = await customer.page(checkout);
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain("SANDBOX — modo de prueba de Stripe. No se mueve dinero real.");
    expect(text).toContain("Rechazar la tarjeta (sandbox)");
  });

  it("pays: the signed event reaches the webhook, both invoices are paid, balance drops by the exact amount, a Spanish receipt is queued", async () => {
    const before = await openBalance(norte.id);
    const res = await customer.request(checkout, { method: "POST", body: new URLSearchParams({ outcome: "pay" }) });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/payments/${paymentId}`);

    for (const inv of chosen) {
      const after = await portal.db.invoice.findUniqueOrThrow({ where: { id: inv.id } });
      expect(after.status).toBe("PAID");
      expect(after.balanceMinor).toBe(0n);
    }
    const paid = chosen[0].balanceMinor + chosen[1].balanceMinor;
    expect(await openBalance(norte.id)).toBe(before - paid);
    const payment = await portal.db.payment.findUniqueOrThrow({ where: { id: paymentId }, include: { allocations: true } });
    expect(payment.status).toBe("SUCCEEDED");
    expect(payment.flaggedReason).toBeNull();
    expect(payment.allocations.map((a) => a.amountMinor).sort()).toEqual(chosen.map((c) => c.balanceMinor).sort());
    const audits = await portal.db.auditLog.findMany({ where: { entity: "Invoice", action: "payment_applied", entityId: { in: chosen.map((c) => c.id) } } });
    expect(audits).toHaveLength(2);

    const mail = await portal.db.outboxEmail.findFirstOrThrow({ where: { to: "cxp@distnorte.example", template: "payment_receipt" } });
    expect(mail.language).toBe("es");
    expect(mail.subject).toMatch(/^Pago recibido: \$[\d,]+\.\d{2}$/);
    for (const inv of chosen) expect(mail.text).toContain(inv.number);

    const receipt = textOf((await customer.page(`/payments/${paymentId}`)).html);
    expect(receipt).toContain("Gracias, recibimos su pago.");
    const detail = textOf((await customer.page(`/invoices/${chosen[0].id}`)).html);
    expect(detail).toContain("Pagada");
  });

  it("applies a re-sent event once, and rejects a bad signature with 400", async () => {
    const stored = await portal.db.webhookEvent.findFirstOrThrow({ where: { type: "checkout.session.completed" }, orderBy: { receivedAt: "desc" } });
    const payload = JSON.stringify(stored.payload);
    const balance = await openBalance(norte.id);
    const allocations = await portal.db.paymentAllocation.count();
    const again = await postEvent(payload, Stripe.webhooks.generateTestHeaderString({ payload, secret: sandboxSecret() }));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    // The same payment under a new event id (a replay) is not applied twice either.
    const replay = JSON.stringify({ ...(stored.payload as object), id: "evt_replay_1" });
    expect((await postEvent(replay, Stripe.webhooks.generateTestHeaderString({ payload: replay, secret: sandboxSecret() }))).status).toBe(200);
    expect(await openBalance(norte.id)).toBe(balance);
    expect(await portal.db.paymentAllocation.count()).toBe(allocations);

    const events = await portal.db.webhookEvent.count();
    const forged = JSON.stringify({ ...(stored.payload as object), id: "evt_forged" });
    const bad = await postEvent(forged, Stripe.webhooks.generateTestHeaderString({ payload: forged, secret: "whsec_wrong" }));
    expect(bad.status).toBe(400);
    expect((await postEvent(forged, "")).status).toBe(400);
    expect(await portal.db.webhookEvent.count()).toBe(events);
    expect(await openBalance(norte.id)).toBe(balance);
  });

  it("ignores a late failure for a payment that already succeeded, and events for unknown objects", async () => {
    const failed = JSON.stringify({
      id: "evt_late_fail",
      object: "event",
      type: "payment_intent.payment_failed",
      data: { object: { id: `pi_sandbox_${paymentId}`, object: "payment_intent", metadata: { paymentId }, last_payment_error: { code: "card_declined" } } },
    });
    expect((await postEvent(failed, Stripe.webhooks.generateTestHeaderString({ payload: failed, secret: sandboxSecret() }))).status).toBe(200);
    expect((await portal.db.payment.findUniqueOrThrow({ where: { id: paymentId } })).status).toBe("SUCCEEDED");

    const unknown = JSON.stringify({
      id: "evt_unknown",
      object: "event",
      type: "checkout.session.completed",
      data: { object: { id: "cs_nobody", object: "checkout.session", payment_status: "paid", amount_total: 100, currency: "mxn", metadata: {} } },
    });
    expect((await postEvent(unknown, Stripe.webhooks.generateTestHeaderString({ payload: unknown, secret: sandboxSecret() }))).status).toBe(200);
    expect((await portal.db.webhookEvent.findFirstOrThrow({ where: { eventId: "evt_unknown" } })).error).toBe("unknown_object");
  });
});

describe("partial, declined, mismatched and refunded payments", () => {
  let customer: Browser;
  beforeAll(async () => {
    customer = await portal.signedIn("cxp@distnorte.example");
  });

  async function startPayment(items: { id: string; amount: string }[]) {
    const key = await payKey(customer);
    const fields = new URLSearchParams({ idempotencyKey: key, currency: "MXN" });
    for (const item of items) {
      fields.append("invoiceId", item.id);
      fields.append(`amount-${item.id}`, item.amount);
    }
    const res = await customer.request("/pay", { method: "POST", body: fields });
    return res;
  }

  it("a partial payment leaves the invoice partly paid with the right remaining amount", async () => {
    const [inv] = await openInvoices(norte.id, 1, 5);
    const res = await startPayment([{ id: inv.id, amount: "1,000.50" }]);
    expect(res.status).toBe(302);
    const pay = await customer.request(res.headers.get("location")!, { method: "POST", body: new URLSearchParams({ outcome: "pay" }) });
    expect(pay.status).toBe(302);
    const after = await portal.db.invoice.findUniqueOrThrow({ where: { id: inv.id } });
    expect(after.status).toBe("PARTIALLY_PAID");
    expect(after.balanceMinor).toBe(inv.balanceMinor - 100050n);
  });

  it("a declined card changes no balance and says so in Spanish", async () => {
    const [inv] = await openInvoices(norte.id, 1, 6);
    const res = await startPayment([{ id: inv.id, amount: plain(inv.balanceMinor) }]);
    const decline = await customer.request(res.headers.get("location")!, { method: "POST", body: new URLSearchParams({ outcome: "decline" }) });
    const receipt = decline.headers.get("location")!;
    const declined = (await customer.page(receipt)).html;
    expect(textOf(declined)).toContain("El pago no se realizó");
    // Trying again opens the pay page with the same invoice chosen.
    expect(declined).toContain(`href="/pay?currency=MXN&amp;invoice=${inv.id}"`);
    const after = await portal.db.invoice.findUniqueOrThrow({ where: { id: inv.id } });
    expect(after.balanceMinor).toBe(inv.balanceMinor);
    expect((await portal.db.payment.findUniqueOrThrow({ where: { id: receipt.split("/").pop()! } })).status).toBe("FAILED");
  });

  it("rejects bad amounts with a translated error and creates nothing", async () => {
    const [inv] = await openInvoices(norte.id, 1, 7);
    const count = await portal.db.payment.count();
    const tooMuch = await startPayment([{ id: inv.id, amount: plain(inv.balanceMinor + 1n) }]);
    expect(tooMuch.status).toBe(400);
    expect(textOf(await tooMuch.text())).toContain("El importe es mayor que el saldo de la factura.");
    const junk = await startPayment([{ id: inv.id, amount: "doce" }]);
    expect(junk.status).toBe(400);
    const none = await startPayment([]);
    expect(textOf(await none.text())).toContain("Elija al menos una factura abierta para pagar.");
    expect(await portal.db.payment.count()).toBe(count);
  });

  it("an amount that does not match is flagged for a rep and not applied", async () => {
    const [inv] = await openInvoices(norte.id, 1, 8);
    const res = await startPayment([{ id: inv.id, amount: plain(inv.balanceMinor) }]);
    const payment = await portal.db.payment.findFirstOrThrow({ where: { checkoutSessionId: res.headers.get("location")!.split("/").pop()! } });
    const payload = JSON.stringify({
      id: "evt_short",
      object: "event",
      type: "checkout.session.completed",
      data: {
        object: {
          id: payment.checkoutSessionId,
          object: "checkout.session",
          payment_status: "paid",
          amount_total: 100,
          currency: "mxn",
          payment_intent: "pi_short",
          metadata: { paymentId: payment.id },
        },
      },
    });
    expect((await postEvent(payload, Stripe.webhooks.generateTestHeaderString({ payload, secret: sandboxSecret() }))).status).toBe(200);
    const after = await portal.db.payment.findUniqueOrThrow({ where: { id: payment.id }, include: { allocations: true } });
    expect(after.flaggedReason).toBe("amount_mismatch");
    expect(after.allocations).toHaveLength(0);
    expect((await portal.db.invoice.findUniqueOrThrow({ where: { id: inv.id } })).balanceMinor).toBe(inv.balanceMinor);
    expect(textOf((await customer.page(`/payments/${payment.id}`)).html)).toContain("está revisando este pago");
  });

  it("a refund reopens the invoice it paid", async () => {
    const [inv] = await openInvoices(norte.id, 1, 9);
    const res = await startPayment([{ id: inv.id, amount: plain(inv.balanceMinor) }]);
    const done = await customer.request(res.headers.get("location")!, { method: "POST", body: new URLSearchParams({ outcome: "pay" }) });
    const paymentId = done.headers.get("location")!.split("/").pop()!;
    expect((await portal.db.invoice.findUniqueOrThrow({ where: { id: inv.id } })).status).toBe("PAID");
    const payload = JSON.stringify({
      id: "evt_refund",
      object: "event",
      type: "charge.refunded",
      data: {
        object: {
          id: "ch_1",
          object: "charge",
          amount: Number(inv.balanceMinor),
          amount_refunded: Number(inv.balanceMinor),
          currency: "mxn",
          payment_intent: `pi_sandbox_${paymentId}`,
          metadata: { paymentId },
        },
      },
    });
    for (let i = 0; i < 2; i++)
      expect((await postEvent(payload, Stripe.webhooks.generateTestHeaderString({ payload, secret: sandboxSecret() }))).status).toBe(200);
    const after = await portal.db.invoice.findUniqueOrThrow({ where: { id: inv.id } });
    expect(after.status).toBe("OPEN");
    expect(after.balanceMinor).toBe(inv.balanceMinor);
    expect((await portal.db.payment.findUniqueOrThrow({ where: { id: paymentId } })).status).toBe("REFUNDED");
  });
});

describe("rep reconciliation", () => {
  it("a rep splits a flagged payment's unapplied money over two invoices, with a note, audited", async () => {
    const rep = await portal.signedIn("rep2@accounts.example");
    const flagged = await portal.db.payment.findFirstOrThrow({ where: { flaggedReason: "amount_mismatch" } });
    expect(flagged.amountMinor).toBe(100n);
    expect(flagged.unappliedMinor).toBe(100n);
    const queue = textOf((await rep.page("/rep/payments")).html);
    expect(queue).toContain(flagged.number);
    const [a, b] = await openInvoices(norte.id, 2, 20);
    const tooMuch = await rep.post(`/rep/payments/${flagged.id}`, { intent: "apply", note: "Depósito corto", [`amount-${a.id}`]: "5.00" });
    expect(tooMuch.status).toBe(400);
    const noNote = await rep.post(`/rep/payments/${flagged.id}`, { intent: "apply", note: "", [`amount-${a.id}`]: "0.40" });
    expect(noNote.status).toBe(400);
    const res = await rep.post(`/rep/payments/${flagged.id}`, {
      intent: "apply",
      note: "Split per remittance advice",
      [`amount-${a.id}`]: "0.40",
      [`amount-${b.id}`]: "0.60",
    });
    expect(res.status).toBe(200);
    const after = await portal.db.payment.findUniqueOrThrow({ where: { id: flagged.id } });
    expect(after.unappliedMinor).toBe(0n);
    expect(after.flaggedReason).toBeNull();
    expect((await portal.db.invoice.findUniqueOrThrow({ where: { id: a.id } })).balanceMinor).toBe(a.balanceMinor - 40n);
    expect((await portal.db.invoice.findUniqueOrThrow({ where: { id: b.id } })).balanceMinor).toBe(b.balanceMinor - 60n);
    const audit = await portal.db.auditLog.findFirstOrThrow({ where: { entityId: flagged.id, action: "payment_applied_by_rep" } });
    expect(audit.after).toMatchObject({ note: "Split per remittance advice" });
    expect(textOf((await rep.page("/rep/payments")).html)).not.toContain(flagged.number);
  });

  it("a rep refunds part of a payment with a note; the signed refund event reopens the invoice", async () => {
    const customer = await portal.signedIn("cxp@distnorte.example");
    const [inv] = await openInvoices(norte.id, 1, 25);
    const key = await payKey(customer);
    const started = await customer.post("/pay", { idempotencyKey: key, currency: "MXN", invoiceId: inv.id, [`amount-${inv.id}`]: plain(inv.balanceMinor) });
    const done = await customer.request(started.headers.get("location")!, { method: "POST", body: new URLSearchParams({ outcome: "pay" }) });
    const paymentId = done.headers.get("location")!.split("/").pop()!;
    const rep = await portal.signedIn("rep2@accounts.example");
    expect((await rep.post(`/rep/payments/${paymentId}`, { intent: "refund", refundAmount: "100.00", note: "" })).status).toBe(400);
    const res = await rep.post(`/rep/payments/${paymentId}`, { intent: "refund", refundAmount: "100.00", note: "Descuento por pronto pago" });
    expect(res.status).toBe(200);
    const payment = await portal.db.payment.findUniqueOrThrow({ where: { id: paymentId } });
    expect(payment.status).toBe("PARTIALLY_REFUNDED");
    expect(payment.refundedMinor).toBe(10000n);
    const after = await portal.db.invoice.findUniqueOrThrow({ where: { id: inv.id } });
    expect(after.balanceMinor).toBe(10000n);
    expect(after.status).toBe("PARTIALLY_PAID");
    expect(await portal.db.auditLog.count({ where: { entityId: paymentId, action: { in: ["refund_requested", "payment_refunded"] } } })).toBe(2);
  });

  it("is for staff only", async () => {
    const customer = await portal.signedIn("cxp@distnorte.example");
    const own = await portal.db.payment.findFirstOrThrow({ where: { accountId: norte.id } });
    expect((await customer.get("/rep/payments")).status).toBe(403);
    expect((await customer.get(`/rep/payments/${own.id}`)).status).toBe(403);
    expect((await customer.post(`/rep/payments/${own.id}`, { intent: "refund", refundAmount: "1.00", note: "give it back" })).status).toBe(403);
    const rep = await portal.signedIn("rep1@accounts.example");
    expect((await rep.get("/rep/payments/nope")).status).toBe(404);
  });
});

describe("a payment that brings exposure back within the limit", () => {
  it("releases the orders held as over the limit, audits it and tells the customer", async () => {
    const acmeCustomer = await portal.signedIn("ap@acme-industrial.example");
    const [inv] = await openInvoices(acme.id, 1);
    const held = await portal.db.order.create({
      data: {
        number: `SO-TEST-${Date.now()}`,
        accountId: acme.id,
        currency: "USD",
        amountMinor: 50_000n,
        status: "ON_HOLD",
        holdReason: "OVER_LIMIT",
        heldAt: new Date(),
      },
    });
    // Put the account just over its limit: exposure (open invoices + open and held orders) minus one cent.
    await portal.db.account.update({ where: { id: acme.id }, data: { creditLimitMinor: (await exposure(acme.id)) - 1n } });

    const key = await payKey(acmeCustomer);
    const started = await acmeCustomer.post("/pay", { idempotencyKey: key, currency: "USD", invoiceId: inv.id, [`amount-${inv.id}`]: plain(inv.balanceMinor) });
    await acmeCustomer.request(started.headers.get("location")!, { method: "POST", body: new URLSearchParams({ outcome: "pay" }) });

    const order = await portal.db.order.findUniqueOrThrow({ where: { id: held.id } });
    // Released to OPEN: it counts in exposure until it ships, as after a rep's release.
    expect(order.status).toBe("OPEN");
    expect(await portal.db.auditLog.count({ where: { entity: "Order", entityId: held.id, action: "hold_released" } })).toBe(1);
    const mail = await portal.db.outboxEmail.findFirstOrThrow({ where: { to: "ap@acme-industrial.example", template: "orders_released" } });
    expect(mail.language).toBe("en");
    expect(mail.text).toContain(held.number);
  });
});

describe("orders a payment freed, when the process applying it stopped before releasing them", () => {
  // The job as the runner runs it (the others would dun and hold accounts the later tests use).
  const heldOrdersJob = JOBS.filter((job) => job.name === "held_orders");

  it("are released by the next job run, once, whichever processes run it, and the customer is told once", async () => {
    // Spain's account, paid in euros: the payment below stands for one committed by a
    // process that stopped right after its commit, before its follow-ups ran.
    const iberica = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1003" } });
    const [inv] = await openInvoices(iberica.id, 1);
    const held = await portal.db.order.create({
      data: {
        number: `SO-JOB-${Date.now()}`,
        accountId: iberica.id,
        currency: inv.currency,
        amountMinor: 40_000n,
        status: "ON_HOLD",
        holdReason: "OVER_LIMIT",
        heldAt: new Date(),
      },
    });
    await portal.db.account.update({ where: { id: iberica.id }, data: { creditLimitMinor: (await exposure(iberica.id)) - 1n } });
    expect(heldOrdersJob).toHaveLength(1);
    // Still over the limit: the job leaves the order held.
    const before = await runJobsOnce(heldOrdersJob, () => new Date());
    expect(before.find((r) => r.name === "held_orders")).toMatchObject({ ok: true });
    expect((await portal.db.order.findUniqueOrThrow({ where: { id: held.id } })).status).toBe("ON_HOLD");

    await portal.db.$transaction([
      portal.db.payment.create({
        data: {
          accountId: iberica.id,
          currency: inv.currency,
          amountMinor: inv.balanceMinor,
          status: "SUCCEEDED",
          provider: "stripe",
          idempotencyKey: `job-test-${held.number}`,
          receivedAt: new Date(),
          allocations: { create: [{ invoiceId: inv.id, amountMinor: inv.balanceMinor }] },
        },
      }),
      portal.db.invoice.update({ where: { id: inv.id }, data: { balanceMinor: 0n, status: "PAID" } }),
    ]);
    // Two processes' job runners at once.
    const runs = await Promise.all([runJobsOnce(heldOrdersJob, () => new Date()), runJobsOnce(heldOrdersJob, () => new Date())]);
    for (const run of runs) expect(run.find((r) => r.name === "held_orders")).toMatchObject({ ok: true, result: { failed: 0 } });
    expect((await portal.db.order.findUniqueOrThrow({ where: { id: held.id } })).status).toBe("OPEN");
    expect(await portal.db.auditLog.count({ where: { entity: "Order", entityId: held.id, action: "hold_released" } })).toBe(1);
    const mails = await portal.db.outboxEmail.findMany({ where: { template: "orders_released", text: { contains: held.number } } });
    expect(mails).toHaveLength(1);
    expect(mails[0].language).toBe("es");
  });

  it("are released together with the email that tells of them, or not at all", async () => {
    const iberica = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1003" } });
    // Room under the limit: the order below is held for a reason that no longer holds.
    await portal.db.account.update({ where: { id: iberica.id }, data: { creditLimitMinor: (await exposure(iberica.id)) + 10_000_000n } });
    const held = await portal.db.order.create({
      data: {
        number: `SO-MAIL-${Date.now()}`,
        accountId: iberica.id,
        currency: "EUR",
        amountMinor: 5_000n,
        status: "ON_HOLD",
        holdReason: "OVER_LIMIT",
        heldAt: new Date(),
      },
    });
    // The outbox fails while the release is being written, as a database failing mid-transaction would.
    await portal.db.$executeRawUnsafe(
      `CREATE FUNCTION refuse_orders_released() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.template = 'orders_released' THEN RAISE EXCEPTION 'outbox unavailable'; END IF; RETURN NEW; END $$`,
    );
    await portal.db.$executeRawUnsafe(
      `CREATE TRIGGER refuse_orders_released BEFORE INSERT ON "OutboxEmail" FOR EACH ROW EXECUTE FUNCTION refuse_orders_released()`,
    );
    try {
      const failed = await runJobsOnce(heldOrdersJob, () => new Date());
      expect(failed.find((r) => r.name === "held_orders")).toMatchObject({ ok: true, result: { failed: 1, released: 0 } });
    } finally {
      await portal.db.$executeRawUnsafe(`DROP TRIGGER refuse_orders_released ON "OutboxEmail"`);
      await portal.db.$executeRawUnsafe(`DROP FUNCTION refuse_orders_released()`);
    }
    // Neither the release nor its record was kept without the email.
    expect((await portal.db.order.findUniqueOrThrow({ where: { id: held.id } })).status).toBe("ON_HOLD");
    expect(await portal.db.auditLog.count({ where: { entity: "Order", entityId: held.id, action: "hold_released" } })).toBe(0);

    const next = await runJobsOnce(heldOrdersJob, () => new Date());
    expect(next.find((r) => r.name === "held_orders")).toMatchObject({ ok: true, result: { failed: 0, released: 1 } });
    expect((await portal.db.order.findUniqueOrThrow({ where: { id: held.id } })).status).toBe("OPEN");
    expect(await portal.db.auditLog.count({ where: { entity: "Order", entityId: held.id, action: "hold_released" } })).toBe(1);
    const mails = await portal.db.outboxEmail.findMany({ where: { template: "orders_released", text: { contains: held.number } } });
    expect(mails).toHaveLength(1);
    expect(mails[0].language).toBe("es");
  });
});

describe("isolation", () => {
  it("a customer cannot pay, see or complete another account's payments and invoices", async () => {
    const acmeCustomer = await portal.signedIn("ap@acme-industrial.example");
    const [theirs] = await openInvoices(norte.id, 1, 12);
    const count = await portal.db.payment.count();
    const key = await payKey(acmeCustomer);
    const res = await acmeCustomer.post("/pay", {
      idempotencyKey: key,
      currency: "MXN",
      invoiceId: theirs.id,
      [`amount-${theirs.id}`]: "10.00",
      accountId: norte.id,
    });
    expect(res.status).toBe(400);
    expect(textOf(await res.text())).not.toContain(theirs.number);
    expect(await portal.db.payment.count()).toBe(count);
    // A pre-selected invoice of another account is simply not offered.
    const page = await acmeCustomer.page(`/pay?currency=MXN&invoice=${theirs.id}`);
    expect(textOf(page.html)).not.toContain(theirs.number);

    const norteCustomer = await portal.signedIn("cxp@distnorte.example");
    const nKey = await payKey(norteCustomer);
    const started = await norteCustomer.post("/pay", { idempotencyKey: nKey, currency: "MXN", invoiceId: theirs.id, [`amount-${theirs.id}`]: "10.00" });
    const checkout = started.headers.get("location")!;
    const payment = await portal.db.payment.findFirstOrThrow({ where: { checkoutSessionId: checkout.split("/").pop()! } });
    expect((await acmeCustomer.get(checkout)).status).toBe(404);
    expect((await acmeCustomer.post(checkout, { outcome: "pay" })).status).toBe(404);
    expect((await portal.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("PENDING");
    const receipt = await acmeCustomer.get(`/payments/${payment.id}`);
    expect(receipt.status).toBe(404);
    // Reusing another account's idempotency key reaches nothing of theirs.
    const reuse = await acmeCustomer.post("/pay", { idempotencyKey: nKey, currency: "USD", invoiceId: "x" });
    expect(reuse.status).toBe(400);

    expect((await portal.browser().get("/pay")).status).toBe(302);
    expect((await portal.browser().get(`/payments/${payment.id}`)).status).toBe(302);
    const rep = await portal.signedIn("rep1@accounts.example");
    expect((await rep.get("/pay")).status).toBe(403);
    expect((await portal.browser().get("/webhooks/stripe")).status).toBe(405);
    expect(acme.id).not.toBe(norte.id);
  });
});
