/**
 * A customer reaches only their own account. Every route in app/routes.ts is listed
 * here with what an anonymous visitor, a customer of another account, and staff get;
 * a route added without a line here fails the first test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type TestPortal, type Browser } from "../support/portal";
import { routeTable } from "../support/route-table";

let portal: TestPortal;
let acme: { id: string };
let norte: { id: string; legalName: string };
beforeAll(async () => {
  portal = await startPortal();
  acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
  norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
});
afterAll(async () => {
  await portal?.close();
});

const COVERED = [
  "",
  "login",
  "logout",
  "forgot-password",
  "reset-password",
  "set-language",
  "account",
  "rep",
  "rep/accounts/:accountId",
  "outbox",
  "*",
  "invoices",
  "invoices/:invoiceId",
  "pay",
  "payments/:paymentId",
  "sandbox/stripe/checkout/:sessionId",
  "disputes",
  "disputes/new",
  "disputes/:disputeId",
  "disputes/:disputeId/attachments/:attachmentId",
  "rep/disputes",
  "rep/disputes/:disputeId",
  "invoices/:invoiceId/pdf",
  "statement",
  "statement.pdf",
  "statement.csv",
  "rep/payments",
  "rep/payments/:paymentId",
  "help",
  "rep/chat",
  "rep/chat/accounts/:accountId",
  "rep/chat/hours",
  // Supervisors and managers only; chat-pages.test.ts checks a rep and a customer get 403 and change nothing.
  "rep/chat/policy",
  // A rep's own settings: staff only, and only ever the signed-in rep's own row (staff-time-zone.test.ts).
  "rep/settings",
  "webhooks/inbound-email",
  "credit",
  "credit/apply",
  "credit/documents/:documentId",
  "rep/credit",
  "rep/credit/applications/:applicationId",
  "rep/credit/held-orders",
  "rep/credit/accounts/:accountId",
  "rep/chat/conversations/:conversationId/actions",
  // Collections (issue 16): staff only; a customer reaches only their own promises (collections-promises.test.ts).
  "rep/collections",
  "rep/collections/next",
  "rep/notes",
  "rep/accounts/:accountId/log",
  "rep/accounts/:accountId/timeline.csv",
  "rep/accounts/:accountId/timeline.pdf",
  "promises",
  // Its own account only: payments-ledger.test.ts asks for another account's receipt PDF.
  "payments/:paymentId/pdf",
  // Staff only (requireStaff); collections-write-offs.test.ts and final-demand.test.ts check a customer is refused.
  "rep/collections/write-offs",
  "rep/collections/final-demands",
  // Staff, or a customer of the letter's own account: final-demand.test.ts asks for another account's letter.
  "collections/letters/:letterId",
  // No session at all: the token is the key (credit-followup.test.ts: wrong and expired tokens are 404).
  "credit/applications/status/:token",
  // Invoice delivery (issue 18): staff only (invoice-delivery.test.ts); the 997 webhook takes a bearer secret.
  "rep/accounts/:accountId/delivery",
  "webhooks/edi/997",
  // A posted credit memo's PDF: its own account's customer or staff; memo-delivery.test.ts asks for another account's memo (404).
  "credit-memos/:memoId/pdf",
  // My day, watch signals, periodic reviews (issue 17): staff only; my-day.test.ts refuses a rep another rep's day.
  "rep/day",
  "rep/accounts/:accountId/signals",
  "rep/reviews/:accountId",
  // Team dashboard: a rep sees only their own figures, objectives are the manager's (dashboard.test.ts).
  "rep/dashboard",
  "rep/dashboard.csv",
  "rep/dashboard/objectives",
];

it("every route is covered by this file", () => {
  const paths = routeTable.map((r) => r.path);
  expect(paths.sort()).toEqual([...COVERED].sort());
});

describe("a customer of Acme", () => {
  let customer: Browser;
  beforeAll(async () => {
    customer = await portal.signedIn("ap@acme-industrial.example");
  });

  it("sees only their own account on /account, whatever the URL says", async () => {
    for (const url of ["/account", `/account?accountId=${norte.id}`, `/account?account=ACC-1002`]) {
      const page = await customer.page(url);
      expect(page.status).toBe(200);
      const text = textOf(page.html);
      expect(text).toContain("Acme Industrial Supply Inc.");
      expect(text).not.toContain(norte.legalName);
    }
  });

  it("gets 403 on the rep side, including another account's 360", async () => {
    for (const url of ["/rep", `/rep/accounts/${norte.id}`, `/rep/accounts/${acme.id}`]) {
      const res = await customer.get(url);
      expect(res.status, url).toBe(403);
      expect(textOf(await res.text())).not.toContain(norte.legalName);
    }
  });

  it("cannot read mail in the outbox, not even their own", async () => {
    expect((await customer.get("/outbox")).status).toBe(403);
    expect((await customer.get("/outbox?to=cxp@distnorte.example")).status).toBe(403);
    expect((await customer.get("/outbox?to=ap@acme-industrial.example")).status).toBe(403);
  });

  it("cannot change another user's language by form field", async () => {
    const other = await portal.db.user.findUniqueOrThrow({ where: { email: "cxp@distnorte.example" } });
    const res = await customer.post("/set-language", { language: "en", userId: other.id, accountId: norte.id, redirectTo: "/account" });
    expect(res.status).toBe(302);
    const after = await portal.db.user.findUniqueOrThrow({ where: { id: other.id } });
    expect(after.preferredLanguage).toBe("es");
  });

  it("gets 404 for unknown pages and rejected posts", async () => {
    expect((await customer.get("/accounts/ACC-1002")).status).toBe(404);
    // /account takes one post, the customer's own change report: another account's id changes nothing.
    expect((await customer.post("/account", { accountId: norte.id })).status).toBe(400);
    expect(await portal.db.accountChangeReport.count({ where: { accountId: norte.id } })).toBe(0);
  });
});

describe("an anonymous visitor", () => {
  it.each(["/account", "/rep", "/rep/accounts/anything"])("is sent to sign in from %s", async (url) => {
    const res = await portal.browser().get(url);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(url)}`);
  });

  it("can open the public pages", async () => {
    for (const url of ["/", "/login", "/forgot-password"]) expect((await portal.browser().get(url)).status).toBe(200);
    expect((await portal.browser().get("/reset-password")).status).toBe(400);
    expect((await portal.browser().get("/logout")).status).toBe(302);
    expect((await portal.browser().get("/set-language")).status).toBe(302);
  });

  it("is sent to sign in from the outbox, whatever address is named", async () => {
    for (const url of ["/outbox", "/outbox?to=ap@acme-industrial.example"]) {
      const res = await portal.browser().get(url);
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toMatch(/^\/login\?redirectTo=%2Foutbox/);
    }
  });
});

describe("staff", () => {
  it("reach any account's 360 and get 404 for one that does not exist", async () => {
    const rep = await portal.signedIn("rep1@accounts.example");
    const page = await rep.page(`/rep/accounts/${norte.id}`);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain(norte.legalName);
    expect((await rep.get("/rep/accounts/does-not-exist")).status).toBe(404);
  });

  it("are sent to their own home from the customer page", async () => {
    const rep = await portal.signedIn("rep1@accounts.example");
    expect((await rep.get("/account")).status).toBe(403);
  });
});

describe("acting from a conversation (rep/chat/conversations/:conversationId/actions)", () => {
  it("is staff-only, and a customer cannot act on their own account's conversation through it", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const user = await portal.db.user.findUniqueOrThrow({ where: { email: "ap@acme-industrial.example" } });
    const conversation = await portal.db.conversation.create({
      data: { channel: "CHAT", topic: "PAYMENT", language: "en", status: "QUEUED", queuedAt: new Date(), accountId: acme.id, customerUserId: user.id },
    });
    const invoice = await portal.db.invoice.findFirstOrThrow({ where: { accountId: norte.id } });
    const url = `/rep/chat/conversations/${conversation.id}/actions`;
    expect((await customer.get(url)).status).toBe(403);
    const posted = await customer.post(url, { intent: "pay_link", invoiceId: invoice.id });
    expect(posted.status).toBe(403);
    expect(textOf(await posted.text())).not.toContain(norte.legalName);
    const anonymous = await portal.browser().post(url, { intent: "pay_link", invoiceId: invoice.id });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
    // Staff who do not have the conversation may not act on it; an unknown one is 404.
    const rep = await portal.signedIn("rep3@accounts.example");
    expect((await rep.get(url)).status).toBe(403);
    expect((await rep.get("/rep/chat/conversations/nope/actions")).status).toBe(404);
    expect(await portal.db.message.count({ where: { conversationId: conversation.id } })).toBe(0);
  });
});
