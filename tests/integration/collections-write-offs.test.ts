/**
 * Write-offs within authority, through the real routes: within a Rep I's limit (converted
 * at the dated rate) it posts at once; above it, it waits in the queue of a level that may
 * approve; a Senior approves (five clicks at once post it once); balance and aging move by
 * exactly the amount; a rejection changes nothing; bad input and customers change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountSummary } from "../../app/domain/accounts/account-summary.server";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
let acme: { id: string; number: string };
let norte: { id: string; number: string };
let rep1: Browser;
let senior: Browser;

beforeAll(async () => {
  portal = await startPortal();
  acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
  norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
  rep1 = await portal.signedIn("rep1@accounts.example");
  senior = await portal.signedIn("senior@accounts.example");
});
afterAll(async () => {
  await portal?.close();
});

async function openInvoice(accountId: string, minMinor: bigint, skip = 0) {
  return portal.db.invoice.findFirstOrThrow({
    where: { accountId, status: { in: ["OPEN", "PARTIALLY_PAID"] }, balanceMinor: { gte: minMinor }, disputes: { none: {} } },
    orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    skip,
  });
}

const balanceOf = async (id: string) => (await portal.db.invoice.findUniqueOrThrow({ where: { id } })).balanceMinor;
const openBalance = async (accountId: string) => (await accountSummary(accountId))!.openBalance.amountMinor;

function propose(b: Browser, account: { id: string }, invoiceNumber: string, amount: string, reason = "Customer out of business; uncollectable.") {
  return b.post("/rep/collections/write-offs", {
    intent: "propose",
    accountId: account.id,
    invoiceNumber,
    amount,
    reason,
    returnTo: `/rep/accounts/${account.id}`,
  });
}

describe("a Rep I's write-off", () => {
  it("within the limit posts at once and moves balance and aging by exactly that amount", async () => {
    const invoice = await openInvoice(acme.id, 1_000_00n);
    const [before, agingBefore] = [await balanceOf(invoice.id), await openBalance(acme.id)];
    const res = await propose(rep1, acme, invoice.number, "400.00");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/rep/accounts/${acme.id}?writeOff=posted`);
    expect(await balanceOf(invoice.id)).toBe(before - 400_00n);
    expect(await openBalance(acme.id)).toBe(agingBefore - 400_00);
    const adjustments = await portal.db.adjustment.findMany({ where: { invoiceId: invoice.id, kind: "WRITE_OFF" } });
    expect(adjustments.map((a) => [a.amountMinor, a.status])).toEqual([[400_00n, "POSTED"]]);
  });

  it("counts what is already written off on the invoice: split into pieces, or sent together, it waits past the limit", async () => {
    const invoice = await openInvoice(acme.id, 2_000_00n, 8);
    const before = await balanceOf(invoice.id);
    expect((await propose(rep1, acme, invoice.number, "400.00")).headers.get("location")).toContain("writeOff=posted");
    // 400 + 400 is past the Rep I's 500: the second piece waits for a Rep II.
    expect((await propose(rep1, acme, invoice.number, "400.00")).headers.get("location")).toContain("writeOff=queued");
    expect(await balanceOf(invoice.id)).toBe(before - 400_00n);

    // Three of 50 sent at once on top of the 400: the locked invoice lets two in (500 in all); the third waits.
    const together = await Promise.all([1, 2, 3].map(() => propose(rep1, acme, invoice.number, "50.00")));
    expect(together.map((r) => r.headers.get("location")!.replace(/.*writeOff=/, "")).sort()).toEqual(["posted", "posted", "queued"]);
    expect(await balanceOf(invoice.id)).toBe(before - 500_00n);
    const requests = await portal.db.writeOffRequest.findMany({ where: { invoiceId: invoice.id }, orderBy: { createdAt: "asc" } });
    expect(requests.filter((r) => r.status === "PENDING").map((r) => [r.amountMinor, r.requiredLevel])).toEqual(
      expect.arrayContaining([
        [400_00n, "REP_II"],
        [50_00n, "REP_II"],
      ]),
    );

    // A Senior writes off all but 100.00: the waiting 400.00 is now more than the invoice owes, so the Rep II (in Spanish) may only reject it.
    const left = Number((await balanceOf(invoice.id)) - 100_00n) / 100;
    expect((await propose(senior, acme, invoice.number, left.toFixed(2))).headers.get("location")).toContain("writeOff=posted");
    const waiting = requests.find((r) => r.status === "PENDING" && r.amountMinor === 400_00n)!;
    const queue = (await (await portal.signedIn("rep2@accounts.example")).page("/rep/collections/write-offs")).html;
    const row = queue.slice(
      queue.indexOf(`data-testid="write-off-${waiting.id}"`),
      queue.indexOf("</tr>", queue.indexOf(`data-testid="write-off-${waiting.id}"`)),
    );
    expect(textOf(row)).toContain("La factura ya debe menos que esto");
    expect(row).not.toMatch(/<button[^>]*value="approve"/);
    expect(row).toMatch(/<button[^>]*value="reject"/);
  });

  it("is converted from the invoice currency at the dated rate before the limit is applied", async () => {
    const invoice = await openInvoice(norte.id, 10_000_00n);
    // 8,000 MXN at 17.25 is about 463.77 USD: within the Rep I's 500 USD.
    expect((await propose(rep1, norte, invoice.number, "8,000.00")).headers.get("location")).toContain("writeOff=posted");
    // 9,000 MXN is about 521.74 USD: over it, so it waits.
    expect((await propose(rep1, norte, invoice.number, "9,000.00")).headers.get("location")).toContain("writeOff=queued");
    const requests = await portal.db.writeOffRequest.findMany({ where: { invoiceId: invoice.id }, orderBy: { createdAt: "asc" } });
    expect(requests.map((r) => [r.amountMinor, r.status, r.requiredLevel])).toEqual([
      [8_000_00n, "APPROVED", null],
      [9_000_00n, "PENDING", "REP_II"],
    ]);
  });

  it("above the limit waits; a Senior approves it once however many clicks arrive together", async () => {
    const invoice = await openInvoice(acme.id, 3_500_00n);
    const [before, agingBefore] = [await balanceOf(invoice.id), await openBalance(acme.id)];
    const writeOffsBefore = await portal.db.adjustment.count({ where: { invoiceId: invoice.id, kind: "WRITE_OFF" } });
    const res = await propose(rep1, acme, invoice.number, "3,000.00");
    expect(res.headers.get("location")).toContain("writeOff=queued");
    const request = await portal.db.writeOffRequest.findFirstOrThrow({ where: { invoiceId: invoice.id, status: "PENDING" } });
    expect(request.requiredLevel).toBe("REP_III");
    // Waiting changes nothing.
    expect(await balanceOf(invoice.id)).toBe(before);
    expect(await openBalance(acme.id)).toBe(agingBefore);

    // It is in the Senior's queue, not the Rep I's, and a Rep I may not decide it.
    expect(textOf((await senior.page("/rep/collections/write-offs")).html)).toContain(invoice.number);
    expect(textOf((await rep1.page("/rep/collections/write-offs")).html)).not.toContain(invoice.number);
    expect((await rep1.post("/rep/collections/write-offs", { intent: "approve", requestId: request.id })).status).toBe(403);

    const responses = await Promise.all(
      Array.from({ length: 5 }, () => senior.post("/rep/collections/write-offs", { intent: "approve", requestId: request.id, note: "Approved" })),
    );
    await Promise.all(responses.map((r) => r.arrayBuffer()));
    expect(responses.map((r) => r.status).sort()).toEqual([302, 409, 409, 409, 409]);
    expect(await portal.db.adjustment.count({ where: { invoiceId: invoice.id, kind: "WRITE_OFF" } })).toBe(writeOffsBefore + 1);
    const posted = await portal.db.writeOffRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect((await portal.db.adjustment.findUniqueOrThrow({ where: { id: posted.adjustmentId! } })).amountMinor).toBe(3_000_00n);
    expect(await balanceOf(invoice.id)).toBe(before - 3_000_00n);
    expect(await openBalance(acme.id)).toBe(agingBefore - 3_000_00);
    expect(await portal.db.auditLog.count({ where: { action: "write_off_approved", entityId: request.id } })).toBe(1);
  }, 90_000);

  it("rejected changes nothing", async () => {
    const invoice = await openInvoice(acme.id, 2_000_00n, 3);
    const [before, agingBefore] = [await balanceOf(invoice.id), await openBalance(acme.id)];
    await propose(rep1, acme, invoice.number, "1,500.00");
    const request = await portal.db.writeOffRequest.findFirstOrThrow({ where: { invoiceId: invoice.id, status: "PENDING" } });
    const res = await senior.post("/rep/collections/write-offs", { intent: "reject", requestId: request.id, note: "Still collectable" });
    expect(res.status).toBe(302);
    expect((await portal.db.writeOffRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("REJECTED");
    expect(await portal.db.adjustment.count({ where: { invoiceId: invoice.id, kind: "WRITE_OFF" } })).toBe(0);
    expect(await balanceOf(invoice.id)).toBe(before);
    expect(await openBalance(acme.id)).toBe(agingBefore);
    // Decided once: approving it afterwards is a conflict, not a posting.
    expect((await senior.post("/rep/collections/write-offs", { intent: "approve", requestId: request.id })).status).toBe(409);
  });

  it("refuses bad input with a translated message and changes nothing", async () => {
    const invoice = await openInvoice(acme.id, 100_00n);
    const count = await portal.db.writeOffRequest.count();
    const tooMuch = await propose(rep1, acme, invoice.number, String(Number(await balanceOf(invoice.id)) / 100 + 1));
    expect(tooMuch.status).toBe(400);
    const refusedPage = await tooMuch.text();
    expect(textOf(refusedPage)).toContain("more than the invoice's open balance");
    // The form is there again with what the rep sent, to correct rather than type again, and still goes back to the 360.
    expect(refusedPage).toContain(`value="${invoice.number}"`);
    expect(refusedPage).toContain("Customer out of business; uncollectable.</textarea>");
    expect(refusedPage).toContain(`name="returnTo" value="/rep/accounts/${acme.id}"`);
    expect((await propose(rep1, acme, invoice.number, "abc")).status).toBe(400);
    expect((await propose(rep1, acme, invoice.number, "10.00", "")).status).toBe(400);
    expect((await propose(rep1, acme, "INV-NOPE", "10.00")).status).toBe(404);
    // An invoice of another account, named on this account's form, is not found.
    const other = await openInvoice(norte.id, 100_00n);
    expect((await propose(rep1, acme, other.number, "10.00")).status).toBe(404);
    expect(await portal.db.writeOffRequest.count()).toBe(count);
  });

  it("is staff only, and the form is on the rep account page", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const invoice = await openInvoice(acme.id, 100_00n);
    expect((await customer.get("/rep/collections/write-offs")).status).toBe(403);
    expect((await propose(customer, acme, invoice.number, "10.00")).status).toBe(403);
    expect((await portal.browser().get("/rep/collections/write-offs")).status).toBe(302);
    const page = await rep1.page(`/rep/accounts/${acme.id}`);
    expect(page.html).toContain('action="/rep/collections/write-offs"');
  });
});
