/**
 * Issue 14, items 2 and 3: what a release does to exposure, and what releases a hold —
 * through the pay form, the Stripe sandbox's signed webhook and the credit pages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  await portal?.close();
});

const DAY = 86_400_000;
const plain = (minor: bigint | number) => (Number(minor) / 100).toFixed(2);

async function payKey(customer: Browser) {
  const page = await customer.page("/pay");
  return /name="idempotencyKey" value="([^"]+)"/.exec(page.html)![1];
}

/** Pays `minor` of one invoice through the pay form and the sandbox checkout (which posts the signed webhook). */
async function pay(customer: Browser, invoice: { id: string; currency: string }, minor: bigint) {
  const started = await customer.post("/pay", {
    idempotencyKey: await payKey(customer),
    currency: invoice.currency,
    invoiceId: invoice.id,
    [`amount-${invoice.id}`]: plain(minor),
  });
  expect(started.status).toBe(302);
  const done = await customer.request(started.headers.get("location")!, { method: "POST", body: new URLSearchParams({ outcome: "pay" }) });
  expect(done.status).toBe(302);
}

/**
 * One account set up so only `pastDue` is past due: every other open invoice falls due
 * next month and undisputed. Returns the past-due invoice.
 */
async function onlyPastDue(accountId: string) {
  await portal.db.dispute.updateMany({ where: { invoice: { accountId } }, data: { status: "WITHDRAWN" } });
  const open = await portal.db.invoice.findMany({
    where: { accountId, status: { in: ["OPEN", "PARTIALLY_PAID"] }, balanceMinor: { gt: 0n } },
    orderBy: { id: "asc" },
  });
  await portal.db.invoice.updateMany({ where: { id: { in: open.map((i) => i.id) } }, data: { dueOn: new Date(Date.now() + 30 * DAY) } });
  const late = open.find((i) => i.balanceMinor >= 20_000n)!;
  await portal.db.invoice.update({ where: { id: late.id }, data: { dueOn: new Date(Date.now() - 10 * DAY) } });
  return late;
}

async function exposureOf(accountId: string) {
  const open = await portal.db.invoice.aggregate({ where: { accountId, status: { in: ["OPEN", "PARTIALLY_PAID"] } }, _sum: { balanceMinor: true } });
  const orders = await portal.db.order.aggregate({ where: { accountId, status: { in: ["OPEN", "ON_HOLD"] } }, _sum: { amountMinor: true } });
  return (open._sum.balanceMinor ?? 0n) + (orders._sum.amountMinor ?? 0n);
}

async function hold(accountId: string, currency: string, amountMinor: bigint, reason: "OVER_LIMIT" | "PAST_DUE" | "ACCOUNT_ON_HOLD") {
  return portal.db.order.create({
    data: {
      number: `SO-HOLD-${reason}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`,
      accountId,
      currency,
      amountMinor,
      status: "ON_HOLD",
      holdReason: reason,
      heldAt: new Date(),
    },
  });
}

describe("a released order stays in exposure, whoever releases it", () => {
  it("a payment that auto-releases an over-limit order lowers exposure by the payment only", async () => {
    const acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const late = await onlyPastDue(acme.id);
    const order = await hold(acme.id, "USD", 6_544_500n, "OVER_LIMIT");
    const before = await exposureOf(acme.id);
    await portal.db.account.update({ where: { id: acme.id }, data: { creditLimitMinor: before - 5_000n } });

    await pay(customer, late, 10_000n);

    const after = await portal.db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(after.status).toBe("OPEN");
    expect(after.releasedAt).not.toBeNull();
    expect(await exposureOf(acme.id)).toBe(before - 10_000n);
    // Available credit moved by the payment ($100.00), not by the released order's $65,445.00.
    const page = textOf((await customer.page("/credit")).html);
    expect(page).not.toContain(after.number);
    expect(page).toContain("50.00");
    const audit = await portal.db.auditLog.findFirstOrThrow({ where: { entity: "Order", entityId: order.id, action: "hold_released" } });
    expect(audit.actorId).toBeNull();
    expect(audit.after).toMatchObject({ status: "OPEN" });
  }, 120_000);

  it("a rep's release and an automatic one leave the order in the same state", async () => {
    const acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
    await portal.db.account.update({ where: { id: acme.id }, data: { creditLimitMinor: 10_000_000_000n } });
    const order = await hold(acme.id, "USD", 12_300n, "OVER_LIMIT");
    const before = await exposureOf(acme.id);
    const rep = await portal.signedIn("rep2@accounts.example");
    const res = await rep.post("/rep/credit/held-orders", { intent: "release", orderId: order.id, note: "Customer called" });
    expect(res.status).toBeLessThan(400);
    const after = await portal.db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(after.status).toBe("OPEN");
    expect(await exposureOf(acme.id)).toBe(before);
    expect(await portal.db.order.count({ where: { status: "RELEASED" } })).toBe(0);
  });
});

describe("what releases a hold follows the hold's reason", () => {
  it("a past-due hold waits for the past due to be paid, then is released and the email says why (Spanish)", async () => {
    const norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
    const customer = await portal.signedIn("cxp@distnorte.example");
    const late = await onlyPastDue(norte.id);
    await portal.db.account.update({ where: { id: norte.id }, data: { creditLimitMinor: 100_000_000_000n, status: "ACTIVE" } });
    const order = await hold(norte.id, "MXN", 6_450_000n, "PAST_DUE");
    const half = late.balanceMinor / 2n;

    let page = textOf((await customer.page("/credit")).html);
    expect(page).toContain("Pagar el saldo vencido de");
    expect(page).not.toMatch(/0[.,]00 o más/);

    await pay(customer, late, half);
    // Plenty of available credit, but past due remains: still held, and the page says what is left.
    expect((await portal.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("ON_HOLD");
    page = textOf((await customer.page("/credit")).html);
    const left = (Number(late.balanceMinor - half) / 100).toLocaleString("en-US", { minimumFractionDigits: 2 });
    expect(page).toContain(left);
    expect(await portal.db.outboxEmail.count({ where: { to: "cxp@distnorte.example", template: "orders_released" } })).toBe(0);

    await pay(customer, late, late.balanceMinor - half);
    expect((await portal.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("OPEN");
    const mail = await portal.db.outboxEmail.findFirstOrThrow({ where: { to: "cxp@distnorte.example", template: "orders_released" } });
    expect(mail.text).toContain(order.number);
    expect(mail.text).toContain("Su saldo vencido quedó pagado");
    expect(mail.text).not.toContain("límite");
  });

  it("an over-limit hold is not released while past due remains unless the order fits, and the email never claims the limit was left (English)", async () => {
    const acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const late = await onlyPastDue(acme.id);
    await portal.db.order.updateMany({ where: { accountId: acme.id, status: "ON_HOLD" }, data: { status: "CANCELLED" } });
    const pastDueHold = await hold(acme.id, "USD", 20_000n, "PAST_DUE");
    const overHold = await hold(acme.id, "USD", 30_000n, "OVER_LIMIT");
    await portal.db.account.update({ where: { id: acme.id }, data: { creditLimitMinor: (await exposureOf(acme.id)) - 4_000n } });

    let page = textOf((await customer.page("/credit")).html);
    expect(page).toContain("A payment of $40.00 or more");
    expect(page).not.toContain("$0.00 or more");

    await pay(customer, late, 5_000n);
    // It fits now; the past-due hold stays (past due is not paid).
    expect((await portal.db.order.findUniqueOrThrow({ where: { id: overHold.id } })).status).toBe("OPEN");
    expect((await portal.db.order.findUniqueOrThrow({ where: { id: pastDueHold.id } })).status).toBe("ON_HOLD");
    const mail = await portal.db.outboxEmail.findFirstOrThrow({
      where: { to: "ap@acme-industrial.example", template: "orders_released" },
      orderBy: { createdAt: "desc" },
    });
    expect(mail.text).toContain(overHold.number);
    expect(mail.text).not.toContain(pastDueHold.number);
    expect(mail.text).toContain("fit within your available credit");
    expect(mail.text).not.toContain("past-due balance is paid");
    page = textOf((await customer.page("/credit")).html);
    expect(page).toContain("Paying the past-due balance of");
    expect(page).not.toMatch(/balance of \$0\.00|\$0\.00 or more/);
  });

  it("an account on credit hold: nothing is released by a payment; the page says the representative lifts it", async () => {
    const acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const late = await onlyPastDue(acme.id);
    await portal.db.account.update({ where: { id: acme.id }, data: { creditLimitMinor: 100_000_000_000n, status: "CREDIT_HOLD" } });
    const order = await hold(acme.id, "USD", 10_000n, "ACCOUNT_ON_HOLD");
    await pay(customer, late, late.balanceMinor);
    expect((await portal.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("ON_HOLD");
    const page = textOf((await customer.page("/credit")).html);
    expect(page).toContain("Your representative lifts the account's hold.");
    const rep = textOf((await (await portal.signedIn("rep2@accounts.example")).page("/rep/credit/held-orders")).html);
    // This rep reads Spanish, written for the team rather than for the customer.
    expect(rep).toContain("Que un ejecutivo levante la retención de la cuenta.");
    expect(rep).not.toContain("Su ejecutivo");
    await portal.db.account.update({ where: { id: acme.id }, data: { status: "ACTIVE" } });
  });
});
