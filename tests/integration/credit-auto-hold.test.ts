/**
 * Automatic credit hold: the job puts an account past the policy's past-due threshold on
 * hold (once, however many runs at once), holds its open orders and new ones, shows the
 * reason translated to the customer and the rep, and lifts it when the account is current.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCreditHolds } from "../../app/domain/collections/credit-hold.server";
import { headroomCheck } from "../../app/domain/credit/holds.server";
import { collectionsAccount, pastDueInvoice } from "../support/collections-fixtures";
import { startPortal, textOf, type TestPortal } from "../support/portal";

let portal: TestPortal;

beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  await portal?.close();
});

describe("automatic credit hold", () => {
  it("holds once past the threshold, shows why, holds orders, and lifts when current", async () => {
    const account = await collectionsAccount(portal.db, { country: "US", language: "en", locale: "en-US", timeZone: "America/Chicago", currency: "USD" });
    const small = await pastDueInvoice(portal.db, account, 40, 3_000_00n);
    // Under the 5,000 USD threshold: nothing happens.
    await runCreditHolds({ now: new Date() });
    expect((await portal.db.account.findUniqueOrThrow({ where: { id: account.id } })).status).toBe("ACTIVE");

    const big = await pastDueInvoice(portal.db, account, 35, 2_500_00n);
    const order = await portal.db.order.create({ data: { number: `ORD-T-${account.number}`, accountId: account.id, currency: "USD", amountMinor: 1_000_00n } });
    const runs = await Promise.all(Array.from({ length: 3 }, () => runCreditHolds({ now: new Date() })));
    expect(runs.reduce((n, r) => n + r.held, 0)).toBe(1);
    const held = await portal.db.account.findUniqueOrThrow({ where: { id: account.id } });
    expect([held.status, held.statusReason]).toEqual(["CREDIT_HOLD", "past_due_over_threshold"]);
    expect(await portal.db.auditLog.count({ where: { entityId: account.id, action: "credit_hold_placed" } })).toBe(1);
    expect((await portal.db.order.findUniqueOrThrow({ where: { id: order.id } })).holdReason).toBe("ACCOUNT_ON_HOLD");
    // A new order would be held for credit whatever its size.
    expect((await headroomCheck(account.id, 1_00))?.reasons).toContain("ACCOUNT_ON_HOLD");

    const customer = await portal.signedIn(account.email);
    expect(textOf((await customer.page("/account")).html)).toContain("the past-due balance is over the amount our credit policy allows");
    const spanish = await portal.signedIn(account.email, { acceptLanguage: "es" });
    expect(textOf((await spanish.page("/account")).html)).toContain("el saldo vencido supera el monto que permite nuestra política de crédito");
    const rep = await portal.signedIn("rep1@accounts.example");
    expect(textOf((await rep.page(`/rep/accounts/${account.id}`)).html)).toContain("On credit hold: the past-due balance is over");

    // Brought current: the next run lifts the hold (once) and frees the orders it held.
    await portal.db.invoice.updateMany({ where: { id: { in: [small.id, big.id] } }, data: { balanceMinor: 0n, status: "PAID" } });
    const lifts = await Promise.all(Array.from({ length: 3 }, () => runCreditHolds({ now: new Date() })));
    expect(lifts.reduce((n, r) => n + r.lifted, 0)).toBe(1);
    const lifted = await portal.db.account.findUniqueOrThrow({ where: { id: account.id } });
    expect([lifted.status, lifted.statusReason]).toEqual(["ACTIVE", null]);
    expect((await portal.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("OPEN");
    expect(textOf((await customer.page("/account")).html)).not.toContain("credit policy allows");
  });

  it("never lifts a hold a rep put on", async () => {
    const account = await collectionsAccount(portal.db, { country: "US", language: "en", locale: "en-US", timeZone: "America/Chicago", currency: "USD" });
    await portal.db.account.update({ where: { id: account.id }, data: { status: "CREDIT_HOLD", statusReason: null } });
    await runCreditHolds({ now: new Date() });
    expect((await portal.db.account.findUniqueOrThrow({ where: { id: account.id } })).status).toBe("CREDIT_HOLD");
  });
});
