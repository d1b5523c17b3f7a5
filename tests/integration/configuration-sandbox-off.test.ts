/**
 * With neither Stripe keys nor PAYMENTS_SANDBOX=on (allowed in development only) the
 * sandbox's pages do not exist, paying says clearly that it cannot be done and records
 * nothing, and no page claims a sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type TestPortal } from "../support/portal";

let off: TestPortal;
beforeAll(async () => {
  off = await startPortal({ NODE_ENV: "development", PAYMENTS_SANDBOX: "off" });
});
afterAll(async () => {
  await off?.close();
});

describe("the payment sandbox, switched off (no Stripe keys either)", () => {
  it("has no checkout page, even for a sandbox payment left pending", async () => {
    const norte = await off.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
    const user = await off.db.user.findUniqueOrThrow({ where: { email: "cxp@distnorte.example" } });
    const pending = await off.db.payment.create({
      data: {
        accountId: norte.id,
        currency: "MXN",
        amountMinor: 10_000n,
        status: "PENDING",
        provider: "stripe_sandbox",
        idempotencyKey: "cfg-test-pending",
        checkoutSessionId: "cs_sandbox_cfg_test",
        createdById: user.id,
      },
    });
    const customer = await off.signedIn("cxp@distnorte.example");
    expect((await customer.get("/sandbox/stripe/checkout/cs_sandbox_cfg_test")).status).toBe(404);
    expect((await customer.post("/sandbox/stripe/checkout/cs_sandbox_cfg_test", { outcome: "pay" })).status).toBe(404);
    expect((await off.db.payment.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe("PENDING");
  });

  it("takes no payment, says why, and shows no sandbox banner", async () => {
    const norte = await off.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
    const customer = await off.signedIn("cxp@distnorte.example");
    const invoice = await off.db.invoice.findFirstOrThrow({ where: { accountId: norte.id, status: "OPEN", disputes: { none: {} } } });
    const before = await off.db.payment.count();
    const payPage = await customer.page("/pay");
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(payPage.html)![1];
    const refused = await customer.post("/pay", { idempotencyKey: key, currency: "MXN", invoiceId: invoice.id, [`amount-${invoice.id}`]: "100.00" });
    expect(refused.status).toBe(503);
    expect(textOf(await refused.text())).toContain("Los pagos en línea todavía no están habilitados en este portal.");
    expect(await off.db.payment.count()).toBe(before);
    expect((await customer.page("/account")).html).not.toContain('data-testid="sandbox-strip"');
  });
});
