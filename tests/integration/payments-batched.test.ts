/**
 * Paid checkouts that reach /webhooks/stripe together are applied together, a batch per
 * transaction (payments/paid-checkouts.server.ts). Customers in Mexico, Spain and the US
 * pay at once; Stripe sends every event twice; one payment's amount does not match what
 * was asked for, and one event names a payment the portal never made. Each payment is
 * applied exactly once, with exactly one receipt in its customer's language and figures,
 * the mismatch is flagged for a rep with nothing applied, and the customers' own pages
 * (cached before the storm) show the new balances.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";
import { completedEvent, sandboxWebhookSecret, signedBy } from "../support/stripe-events";

let portal: TestPortal;
beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  await portal?.close();
});

type Payer = { email: string; account: string; currency: string; decimalComma: boolean; language: "es" | "en" };
const PAYERS: Payer[] = [
  { email: "cxp@distnorte.example", account: "ACC-1002", currency: "MXN", decimalComma: false, language: "es" },
  { email: "admin@herramientas-ibericas.example", account: "ACC-1003", currency: "EUR", decimalComma: true, language: "es" },
  { email: "ap@acme-industrial.example", account: "ACC-1001", currency: "USD", decimalComma: false, language: "en" },
];

const OPEN_LIST = "/invoices?status=open&sort=dueOn&dir=asc";

type Planned = {
  payer: Payer;
  browser: Browser;
  payment: { id: string; checkoutSessionId: string | null; amountMinor: bigint };
  invoices: { id: string; number: string; balanceMinor: bigint }[];
  mismatched: boolean;
};

/** What the pay form takes in the customer's own notation: 1234,56 in Spain, 1234.56 elsewhere. */
function typed(payer: Payer, minor: bigint) {
  const plain = (Number(minor) / 100).toFixed(2);
  return payer.decimalComma ? plain.replace(".", ",") : plain;
}

async function startCheckout(payer: Payer, browser: Browser, invoices: Planned["invoices"]) {
  const page = await browser.page("/pay");
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.html)?.[1];
  expect(key).toBeTruthy();
  const fields = new URLSearchParams({ idempotencyKey: key!, currency: payer.currency });
  for (const inv of invoices) {
    fields.append("invoiceId", inv.id);
    fields.append(`amount-${inv.id}`, typed(payer, inv.balanceMinor));
  }
  const res = await browser.request("/pay", { method: "POST", body: fields });
  expect(res.status).toBe(302);
  const session = res.headers.get("location")!.split("/").pop()!;
  return portal.db.payment.findUniqueOrThrow({ where: { checkoutSessionId: session } });
}

describe("paid checkouts arriving together", () => {
  const planned: Planned[] = [];

  beforeAll(async () => {
    for (const payer of PAYERS) {
      const account = await portal.db.account.findUniqueOrThrow({ where: { number: payer.account } });
      const browser = await portal.signedIn(payer.email);
      const open = await portal.db.invoice.findMany({
        where: { accountId: account.id, currency: payer.currency, status: "OPEN", disputes: { none: {} }, checkoutClaim: null },
        orderBy: [{ dueOn: "asc" }, { id: "asc" }],
        take: 4,
      });
      expect(open.length).toBe(4);
      const pairs = [open.slice(0, 2), open.slice(2, 3), open.slice(3, 4)];
      for (const [i, invoices] of pairs.entries()) {
        const payment = await startCheckout(payer, browser, invoices);
        planned.push({ payer, browser, payment, invoices, mismatched: payer.currency === "USD" && i === 2 });
      }
      // The customer's open invoices, oldest due first, as last seen: kept by the page cache, which must not outlive the payment.
      const list = await browser.page(OPEN_LIST);
      expect(list.status).toBe(200);
      for (const inv of open) expect(textOf(list.html)).toContain(inv.number);
    }
  });

  it("applies each payment once, flags the one that does not match, and answers every delivery 200", async () => {
    const sign = signedBy(sandboxWebhookSecret());
    const deliveries: string[] = [];
    for (const p of planned) {
      const paid = p.mismatched ? 1_00 : Number(p.payment.amountMinor);
      const event = completedEvent(`evt_together_${p.payment.id}`, p.payment, paid, p.payer.currency);
      deliveries.push(event, event);
    }
    deliveries.push(completedEvent("evt_together_ghost", { id: "pay_never_made", checkoutSessionId: "cs_never_made" }, 5_00));
    const answers = await Promise.all(
      deliveries.map((payload) =>
        fetch(`${portal.url}/webhooks/stripe`, {
          method: "POST",
          headers: { "Content-Type": "application/json", "Stripe-Signature": sign(payload) },
          body: payload,
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(deliveries.map(() => 200));

    for (const p of planned) {
      const payment = await portal.db.payment.findUniqueOrThrow({ where: { id: p.payment.id }, include: { allocations: true } });
      const invoices = await portal.db.invoice.findMany({ where: { id: { in: p.invoices.map((i) => i.id) } } });
      if (p.mismatched) {
        expect({ status: payment.status, flagged: payment.flaggedReason, allocations: payment.allocations.length }).toEqual({
          status: "SUCCEEDED",
          flagged: "amount_mismatch",
          allocations: 0,
        });
        expect(invoices.map((i) => i.balanceMinor)).toEqual(p.invoices.map((i) => i.balanceMinor));
        continue;
      }
      expect(payment.status).toBe("SUCCEEDED");
      expect(payment.flaggedReason).toBeNull();
      expect(payment.unappliedMinor).toBe(0n);
      expect(payment.providerPaymentId).toBe(`pi_sandbox_${p.payment.id}`);
      expect(payment.receivedAt).not.toBeNull();
      expect(payment.allocations.map((a) => [a.invoiceId, a.amountMinor]).sort()).toEqual(p.invoices.map((i) => [i.id, i.balanceMinor]).sort());
      expect(invoices.map((i) => [i.status, i.balanceMinor])).toEqual(invoices.map(() => ["PAID", 0n]));
      const audits = await portal.db.auditLog.findMany({ where: { OR: [{ entityId: p.payment.id }, { entityId: { in: p.invoices.map((i) => i.id) } }] } });
      expect(audits.filter((a) => a.action === "payment_succeeded")).toHaveLength(1);
      expect(audits.filter((a) => a.action === "payment_applied")).toHaveLength(p.invoices.length);
      // The checkout is finished: its invoices are free again.
      expect(await portal.db.checkoutClaim.count({ where: { paymentId: p.payment.id } })).toBe(0);
    }

    const events = await portal.db.webhookEvent.findMany({ where: { eventId: { startsWith: "evt_together_" } } });
    expect(events).toHaveLength(planned.length + 1);
    expect(events.every((e) => e.processedAt !== null)).toBe(true);
    expect(events.find((e) => e.eventId === "evt_together_ghost")?.error).toBe("unknown_object");
  });

  it("sends each customer one receipt per payment, in their language and their figures", async () => {
    for (const payer of PAYERS) {
      const mine = planned.filter((p) => p.payer === payer && !p.mismatched);
      const receipts = await portal.db.outboxEmail.findMany({ where: { to: payer.email, template: "payment_receipt" }, orderBy: { createdAt: "asc" } });
      expect(receipts).toHaveLength(mine.length);
      for (const p of mine) {
        const number = (await portal.db.payment.findUniqueOrThrow({ where: { id: p.payment.id } })).number;
        const receipt = receipts.find((r) => r.text.includes(number));
        expect(receipt, `${payer.email} ${number}`).toBeTruthy();
        expect(receipt!.language).toBe(payer.language);
        for (const inv of p.invoices) expect(receipt!.text).toContain(inv.number);
      }
    }
    const spain = (await portal.db.outboxEmail.findFirstOrThrow({ where: { to: "admin@herramientas-ibericas.example", template: "payment_receipt" } })).subject;
    expect(spain).toMatch(/^Pago recibido: [\d.]+,\d{2}\s€$/);
    const mexico = (await portal.db.outboxEmail.findFirstOrThrow({ where: { to: "cxp@distnorte.example", template: "payment_receipt" } })).subject;
    expect(mexico).toMatch(/^Pago recibido: \$[\d,]+\.\d{2}$/);
    const us = (await portal.db.outboxEmail.findFirstOrThrow({ where: { to: "ap@acme-industrial.example", template: "payment_receipt" } })).subject;
    expect(us).toMatch(/^Payment received: \$[\d,]+\.\d{2}$/);
  });

  it("shows every customer the paid invoices at once, not the page kept before the payments", async () => {
    for (const payer of PAYERS) {
      const p = planned.find((x) => x.payer === payer && !x.mismatched)!;
      const browser = p.browser;
      const after = textOf((await browser.page(OPEN_LIST)).html);
      for (const paid of planned.filter((x) => x.payer === payer && !x.mismatched)) for (const inv of paid.invoices) expect(after).not.toContain(inv.number);
      // The mismatched payment applied nothing: its invoice is still open.
      for (const held of planned.filter((x) => x.payer === payer && x.mismatched)) for (const inv of held.invoices) expect(after).toContain(inv.number);
      const detail = textOf((await browser.page(`/invoices/${p.invoices[0].id}`)).html);
      expect(detail).toContain(payer.language === "es" ? "Pagada" : "Paid");
    }
  });
});
