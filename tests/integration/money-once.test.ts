/**
 * Anything that moves money, a limit, a hold or a decision applies once: five identical
 * requests fired together through the real routes (a double click on a slow network, two
 * reps at once) make one effect — one row, one audit entry, one email, the balance moved
 * once — and the others get a clear "someone else already did it" answer, never a 500.
 * And authority holds where splitting or escalating used to slip past it.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
let acme: { id: string };
let pacific: { id: string };

beforeAll(async () => {
  portal = await startPortal();
  acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
  pacific = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1004" } });
});
afterAll(async () => {
  await portal?.close();
});

/** Fires `times` copies of one POST at once and returns their statuses (bodies read, so nothing is left hanging). */
async function together(b: Browser, path: string, fields: Record<string, string>, times = 5): Promise<number[]> {
  const responses = await Promise.all(Array.from({ length: times }, () => b.post(path, fields)));
  await Promise.all(responses.map((r) => r.arrayBuffer()));
  return responses.map((r) => r.status).sort();
}

/** An open invoice of the account with at least `minMinor` owing and no dispute, `skip` further down the list. */
async function openInvoice(accountId: string, minMinor: bigint, skip = 0) {
  return portal.db.invoice.findFirstOrThrow({
    where: { accountId, status: { in: ["OPEN", "PARTIALLY_PAID"] }, balanceMinor: { gte: minMinor }, disputes: { none: {} } },
    orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    skip,
  });
}

async function openDisputeOn(invoice: { id: string; accountId: string; currency: string }, amountMinor: bigint) {
  return portal.db.dispute.create({
    data: {
      number: `DSP-T-${crypto.randomBytes(4).toString("hex")}`,
      accountId: invoice.accountId,
      invoiceId: invoice.id,
      reason: "PRICING",
      amountMinor,
      currency: invoice.currency,
    },
  });
}

const emails = (template: string, to?: string) => portal.db.outboxEmail.count({ where: { template, ...(to ? { to } : {}) } });
const audits = (action: string, entityId: string) => portal.db.auditLog.count({ where: { action, entityId } });

describe("five identical requests at once apply once", () => {
  it("resolving a dispute with a credit memo posts one memo, moves the balance once and sends one email", async () => {
    const invoice = await openInvoice(acme.id, 3_000_00n);
    const dispute = await openDisputeOn(invoice, 900_00n);
    const rep = await portal.signedIn("rep1@accounts.example");
    const mailsBefore = await emails("dispute_resolved", "ap@acme-industrial.example");
    const statuses = await together(rep, `/rep/disputes/${dispute.id}`, {
      intent: "resolve",
      amount: "900.00",
      resolution: "Price corrected to the contract rate.",
    });
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
    const memos = await portal.db.adjustment.findMany({ where: { disputeId: dispute.id } });
    expect(memos).toHaveLength(1);
    expect(memos[0].status).toBe("POSTED");
    expect((await portal.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).balanceMinor).toBe(invoice.balanceMinor - 900_00n);
    expect(await audits("credit_memo_posted", memos[0].id)).toBe(1);
    expect(await audits("dispute_resolved", dispute.id)).toBe(1);
    expect(await emails("dispute_resolved", "ap@acme-industrial.example")).toBe(mailsBefore + 1);
    // The loser is told why, in words.
    const late = await rep.post(`/rep/disputes/${dispute.id}`, { intent: "resolve", amount: "900.00", resolution: "Price corrected to the contract rate." });
    expect(late.status).toBe(409);
    expect(textOf(await late.text())).toContain("This dispute is already closed.");
  });

  it("rejecting a dispute rejects it once, with one email", async () => {
    const invoice = await openInvoice(acme.id, 500_00n, 1);
    const dispute = await openDisputeOn(invoice, 100_00n);
    const rep = await portal.signedIn("rep1@accounts.example");
    const mailsBefore = await emails("dispute_rejected", "ap@acme-industrial.example");
    expect(await together(rep, `/rep/disputes/${dispute.id}`, { intent: "reject", resolution: "The price matches the signed quote." })).toEqual([
      200, 409, 409, 409, 409,
    ]);
    expect(await audits("dispute_rejected", dispute.id)).toBe(1);
    expect(await emails("dispute_rejected", "ap@acme-industrial.example")).toBe(mailsBefore + 1);
  });

  it("a refund sent five times (one form) refunds once", async () => {
    const payment = await portal.db.payment.create({
      data: {
        accountId: acme.id,
        currency: "USD",
        amountMinor: 500_00n,
        unappliedMinor: 500_00n,
        status: "SUCCEEDED",
        idempotencyKey: crypto.randomUUID(),
        receivedAt: new Date(),
      },
    });
    const rep = await portal.signedIn("rep1@accounts.example");
    const refundKey = crypto.randomUUID();
    const statuses = await together(rep, `/rep/payments/${payment.id}`, {
      intent: "refund",
      refundAmount: "200.00",
      note: "Overpaid by the customer",
      refundKey,
    });
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
    const after = await portal.db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(after.refundedMinor).toBe(200_00n);
    expect(after.unappliedMinor).toBe(300_00n);
    expect(await portal.db.paymentRefund.count({ where: { paymentId: payment.id } })).toBe(1);
    expect(await audits("refund_requested", payment.id)).toBe(1);
    expect(await audits("payment_refunded", payment.id)).toBe(1);
  });

  it("applying unapplied money applies it once", async () => {
    const invoice = await openInvoice(acme.id, 300_00n, 2);
    const payment = await portal.db.payment.create({
      data: {
        accountId: acme.id,
        currency: "USD",
        amountMinor: 300_00n,
        unappliedMinor: 300_00n,
        status: "SUCCEEDED",
        idempotencyKey: crypto.randomUUID(),
        receivedAt: new Date(),
      },
    });
    const rep = await portal.signedIn("rep1@accounts.example");
    const statuses = await together(rep, `/rep/payments/${payment.id}`, { intent: "apply", [`amount-${invoice.id}`]: "250.00", note: "Per remittance advice" });
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.every((s) => s === 200 || s === 400 || s === 409)).toBe(true);
    expect((await portal.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).balanceMinor).toBe(invoice.balanceMinor - 250_00n);
    expect((await portal.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).unappliedMinor).toBe(50_00n);
    expect(await audits("payment_applied_by_rep", payment.id)).toBe(1);
  });

  it("releasing a held order releases it once", async () => {
    const order = await portal.db.order.create({
      data: {
        number: `SO-T-${crypto.randomBytes(4).toString("hex")}`,
        accountId: acme.id,
        currency: "USD",
        amountMinor: 1_500_00n,
        status: "ON_HOLD",
        holdReason: "PAST_DUE",
        heldAt: new Date(),
        placedAt: new Date(),
      },
    });
    const manager = await portal.signedIn("manager@accounts.example");
    const statuses = await together(manager, "/rep/credit/held-orders", { orderId: order.id, intent: "release", note: "Customer called, payment on the way" });
    expect(statuses).toEqual([302, 409, 409, 409, 409]);
    expect(await audits("hold_released", order.id)).toBe(1);
    expect(await portal.db.accountNote.count({ where: { accountId: acme.id, kind: "order_hold", body: { contains: order.number } } })).toBe(1);
  });

  it("a limit change applies once", async () => {
    const senior = await portal.signedIn("senior@accounts.example");
    const statuses = await together(senior, `/rep/credit/accounts/${acme.id}`, { limit: "450000.00", termsDays: "45", reason: "Annual review" });
    expect(statuses.filter((s) => s === 302)).toHaveLength(1);
    expect(statuses.every((s) => s === 302 || s === 400 || s === 409)).toBe(true);
    const account = await portal.db.account.findUniqueOrThrow({ where: { id: acme.id } });
    expect(account.creditLimitMinor).toBe(450_000_00n);
    expect(account.paymentTermsDays).toBe(45);
    expect(await audits("credit_limit_changed", acme.id)).toBe(1);
    expect(await portal.db.accountNote.count({ where: { accountId: acme.id, kind: "credit_decision", body: { contains: "Annual review" } } })).toBe(1);
  });

  it("a credit decision is made once: one decline, one approval, one email each", async () => {
    const manager = await portal.signedIn("manager@accounts.example");
    const sol = await portal.db.creditApplication.findUniqueOrThrow({ where: { number: "CA-2026-0002" } });
    expect(await together(manager, `/rep/credit/applications/${sol.id}`, { intent: "decline", declineReason: "Not enough trade history" })).toEqual([
      302, 409, 409, 409, 409,
    ]);
    expect(await portal.db.creditApplicationEvent.count({ where: { applicationId: sol.id, kind: "declined" } })).toBe(1);
    expect(await emails("credit_decision", sol.applicantEmail)).toBe(1);

    const iberica = await portal.db.creditApplication.findUniqueOrThrow({ where: { number: "CA-2026-0001" } });
    const statuses = await together(manager, `/rep/credit/applications/${iberica.id}`, { intent: "approve", limit: "200000.00", termsDays: "60" });
    expect(statuses).toEqual([302, 409, 409, 409, 409]);
    expect((await portal.db.creditApplication.findUniqueOrThrow({ where: { id: iberica.id } })).status).toBe("APPROVED");
    expect(await portal.db.creditApplicationEvent.count({ where: { applicationId: iberica.id, kind: "approved" } })).toBe(1);
    expect(await audits("credit_limit_changed", iberica.accountId!)).toBe(1);
    expect(await emails("credit_approved", iberica.applicantEmail)).toBe(1);
  });
});

describe("authority", () => {
  it("a Rep I refund above their limit is refused and changes nothing; a Rep II may make it", async () => {
    const payment = await portal.db.payment.create({
      data: {
        accountId: acme.id,
        currency: "USD",
        amountMinor: 2_000_00n,
        unappliedMinor: 2_000_00n,
        status: "SUCCEEDED",
        idempotencyKey: crypto.randomUUID(),
        receivedAt: new Date(),
      },
    });
    const rep1 = await portal.signedIn("rep1@accounts.example");
    const refused = await rep1.post(`/rep/payments/${payment.id}`, { intent: "refund", refundAmount: "1500.00", note: "Customer asked for it back" });
    expect(refused.status).toBe(403);
    expect(textOf(await refused.text())).toContain("This refund is above your authority.");
    expect((await portal.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).refundedMinor).toBe(0n);
    expect(await portal.db.paymentRefund.count({ where: { paymentId: payment.id } })).toBe(0);
    const rep2 = await portal.signedIn("rep2@accounts.example");
    expect((await rep2.post(`/rep/payments/${payment.id}`, { intent: "refund", refundAmount: "1500.00", note: "Customer asked for it back" })).status).toBe(
      200,
    );
    expect((await portal.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).refundedMinor).toBe(1_500_00n);
  });

  it("a Rep I's refunds on one payment count together: the second 1,000 waits for a higher level", async () => {
    const payment = await portal.db.payment.create({
      data: {
        accountId: acme.id,
        currency: "USD",
        amountMinor: 3_000_00n,
        unappliedMinor: 3_000_00n,
        status: "SUCCEEDED",
        idempotencyKey: crypto.randomUUID(),
        receivedAt: new Date(),
      },
    });
    const rep1 = await portal.signedIn("rep1@accounts.example");
    const refund = (amount: string) =>
      rep1.post(`/rep/payments/${payment.id}`, { intent: "refund", refundAmount: amount, note: "Goodwill, agreed on the phone" });
    expect((await refund("1000.00")).status).toBe(200);
    const second = await refund("1000.00");
    expect(second.status).toBe(403);
    expect(textOf(await second.text())).toContain("With what was already refunded on this payment, this refund is above your authority.");
    expect((await portal.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).refundedMinor).toBe(1_000_00n);
    expect(await portal.db.paymentRefund.count({ where: { paymentId: payment.id } })).toBe(1);
  });

  it("two disputes on one invoice cannot together exceed the per-invoice cap; the escalation needs its level", async () => {
    const invoice = await openInvoice(pacific.id, 2_000_00n);
    const first = await openDisputeOn(invoice, 600_00n);
    const second = await openDisputeOn(invoice, 600_00n);
    const rep1 = await portal.signedIn("rep1@accounts.example");
    const resolve = { intent: "resolve", amount: "600.00", resolution: "Freight was billed twice." };
    expect((await rep1.post(`/rep/disputes/${first.id}`, resolve)).status).toBe(200);
    // $600 alone is within a Rep I's $1,000 memo cap, but $1,200 of credit on one invoice is not.
    expect((await rep1.post(`/rep/disputes/${second.id}`, resolve)).status).toBe(200);
    const pending = await portal.db.adjustment.findFirstOrThrow({ where: { disputeId: second.id } });
    expect(pending).toMatchObject({ status: "PENDING_APPROVAL", requiredLevel: "REP_II" });
    expect((await portal.db.dispute.findUniqueOrThrow({ where: { id: second.id } })).status).toBe("ESCALATED");
    expect((await portal.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).balanceMinor).toBe(invoice.balanceMinor - 600_00n);

    // A Rep I can neither reject nor approve what was escalated to Rep II.
    const rejected = await rep1.post(`/rep/disputes/${second.id}`, { intent: "reject", resolution: "Not a duplicate after all." });
    expect(rejected.status).toBe(403);
    expect(textOf(await rejected.text())).toContain("only that level or above can act on it");
    expect((await rep1.post(`/rep/disputes/${second.id}`, { intent: "approve" })).status).toBe(403);
    expect((await portal.db.dispute.findUniqueOrThrow({ where: { id: second.id } })).status).toBe("ESCALATED");

    // Rep II approves — five times at once — and it posts once.
    const rep2 = await portal.signedIn("rep2@accounts.example");
    const mailsBefore = await emails("dispute_resolved");
    expect(await together(rep2, `/rep/disputes/${second.id}`, { intent: "approve" })).toEqual([200, 409, 409, 409, 409]);
    expect((await portal.db.adjustment.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe("POSTED");
    expect((await portal.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).balanceMinor).toBe(invoice.balanceMinor - 1_200_00n);
    expect(await emails("dispute_resolved")).toBe(mailsBefore + 1);
  });

  it("memos on one account within the period cannot together exceed the per-account cap", async () => {
    const rep1 = await portal.signedIn("rep1@accounts.example");
    const posted = [];
    for (let i = 0; i < 3; i++) {
      const invoice = await openInvoice(pacific.id, 1_000_00n);
      const dispute = await openDisputeOn(invoice, 900_00n);
      expect((await rep1.post(`/rep/disputes/${dispute.id}`, { intent: "resolve", amount: "900.00", resolution: "Damaged in transit." })).status).toBe(200);
      posted.push((await portal.db.adjustment.findFirstOrThrow({ where: { disputeId: dispute.id } })).status);
    }
    // $1,200 already credited on this account above, then $900 + $900 = $3,000 > a Rep I's $2,500: the second of these escalates.
    expect(posted).toEqual(["POSTED", "PENDING_APPROVAL", "PENDING_APPROVAL"]);
  });

  it("a Rep I cutting a limit to zero needs a higher level; five copies make one request", async () => {
    const before = await portal.db.account.findUniqueOrThrow({ where: { id: pacific.id } });
    const limitChangesBefore = await audits("credit_limit_changed", pacific.id);
    const rep1 = await portal.signedIn("rep1@accounts.example");
    const statuses = await together(rep1, `/rep/credit/accounts/${pacific.id}`, {
      limit: "0.00",
      termsDays: String(before.paymentTermsDays),
      reason: "Stop all credit",
      confirmBelowExposure: "yes",
    });
    expect(statuses).toEqual([302, 409, 409, 409, 409]);
    const after = await portal.db.account.findUniqueOrThrow({ where: { id: pacific.id } });
    expect(after.creditLimitMinor).toBe(before.creditLimitMinor);
    // The account owes money, so a cut below its exposure needs a level that may make one.
    const requests = await portal.db.creditApplication.findMany({ where: { accountId: pacific.id, status: "ESCALATED", requestedLimitMinor: 0n } });
    expect(requests).toHaveLength(1);
    expect(requests[0].escalatedToLevel).toBe("SENIOR");
    expect(await audits("credit_limit_changed", pacific.id)).toBe(limitChangesBefore);
  });
});
