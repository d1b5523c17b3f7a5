/**
 * Cross-site request forgery: every state-changing request, resource routes included,
 * must come from the portal's own origin (or APP_URL's). A foreign Origin, or a browser
 * saying the request is cross-site, gets a styled, translated 403 and changes nothing;
 * `Origin: null` passes only when the browser says the request is same-origin.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";
import { promisableInvoices } from "../../app/domain/collections/promises.server";

const SIBLING = "http://evil.127.0.0.1.nip.example";

let portal: TestPortal;
let acme: { id: string };
let conversationId: string;
beforeAll(async () => {
  portal = await startPortal({ APP_URL: "https://portal.example.com" });
  acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
  const customer = await portal.db.user.findUniqueOrThrow({ where: { email: "ap@acme-industrial.example" } });
  const manager = await portal.db.user.findUniqueOrThrow({ where: { email: "manager@accounts.example" } });
  const conversation = await portal.db.conversation.create({
    data: {
      language: "en",
      status: "ASSIGNED",
      accountId: acme.id,
      customerUserId: customer.id,
      assignedRepId: manager.id,
      assignedAt: new Date(),
      topic: "PAYMENT",
    },
  });
  conversationId = conversation.id;
});
afterAll(async () => {
  await portal?.close();
});

function tomorrow() {
  return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}

function post(browser: Browser, path: string, fields: Record<string, string>, headers: Record<string, string>) {
  return browser.request(path, { method: "POST", body: new URLSearchParams(fields), headers: { Accept: "text/html", ...headers } });
}

async function expectRefusedPage(res: Response, language: "en" | "es" = "en") {
  expect(res.status).toBe(403);
  expect(res.headers.get("content-type")).toMatch(/text\/html/);
  const html = await res.text();
  expect(html).toContain(`<html lang="${language}"`);
  expect(html).toContain('class="site-header"');
  expect(textOf(html)).toContain(language === "en" ? "Not available to you" : "Sin acceso");
}

describe("a rep chat action (resource route)", () => {
  const promise = (invoiceId = "") => ({ intent: "promise", invoiceId, amount: "125.00", promisedFor: tomorrow(), note: "" });

  it("from a sibling origin records no promise", async () => {
    const manager = await portal.signedIn("manager@accounts.example");
    const before = await portal.db.promiseToPay.count({ where: { accountId: acme.id } });
    const attempts: Record<string, string>[] = [
      { Origin: SIBLING },
      { Origin: "null" },
      { Origin: "null", "Sec-Fetch-Site": "cross-site" },
      { Origin: "https://portal.example.com", "Sec-Fetch-Site": "cross-site" },
    ];
    for (const headers of attempts) {
      const res = await post(manager, `/rep/chat/conversations/${conversationId}/actions`, promise(), headers);
      await expectRefusedPage(res);
    }
    expect(await portal.db.promiseToPay.count({ where: { accountId: acme.id } })).toBe(before);
  });

  it("from the portal's own origin, or APP_URL's behind a TLS terminator, is carried out", async () => {
    const manager = await portal.signedIn("manager@accounts.example");
    const before = await portal.db.promiseToPay.count({ where: { accountId: acme.id } });
    // A promise covers a past-due invoice with no open promise: one each.
    const [first, second] = (await promisableInvoices(acme.id)).filter((i) => i.balanceMinor >= 125_00n);
    const own = await post(manager, `/rep/chat/conversations/${conversationId}/actions`, promise(first.id), {});
    expect(own.status).toBe(200);
    const viaProxy = await post(manager, `/rep/chat/conversations/${conversationId}/actions`, promise(second.id), {
      Origin: "https://portal.example.com",
      "Sec-Fetch-Site": "same-origin",
    });
    expect(viaProxy.status).toBe(200);
    expect(await portal.db.promiseToPay.count({ where: { accountId: acme.id } })).toBe(before + 2);
  });
});

describe("/logout", () => {
  it("from another origin keeps the session", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example");
    await expectRefusedPage(await post(customer, "/logout", {}, { Origin: SIBLING }));
    expect((await customer.page("/account")).url).toBe("/account");
  });

  it("from the portal signs out, with Origin: null too when the browser says same-origin", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const res = await post(customer, "/logout", {}, { Origin: "null", "Sec-Fetch-Site": "same-origin" });
    expect(res.status).toBe(302);
    expect((await customer.page("/account")).url).toMatch(/^\/login/);
  });
});

describe("/set-language", () => {
  it("from another origin changes nothing, and the refusal is in the reader's language", async () => {
    const customer = await portal.signedIn("cxp@distnorte.example");
    const user = await portal.db.user.findUniqueOrThrow({ where: { email: "cxp@distnorte.example" } });
    const res = await post(customer, "/set-language", { language: "en", redirectTo: "/account" }, { Origin: SIBLING });
    await expectRefusedPage(res, user.preferredLanguage === "es" ? "es" : "en");
    expect((await portal.db.user.findUniqueOrThrow({ where: { id: user.id } })).preferredLanguage).toBe(user.preferredLanguage);
  });

  it("from the portal switches", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const res = await post(customer, "/set-language", { language: "es", redirectTo: "/account" }, {});
    expect(res.status).toBe(302);
    expect((await portal.db.user.findUniqueOrThrow({ where: { email: "ap@acme-industrial.example" } })).preferredLanguage).toBe("es");
    await post(customer, "/set-language", { language: "en", redirectTo: "/account" }, {});
  });
});

describe("a page action (rep note on credit limit)", () => {
  it("from another origin changes no limit", async () => {
    const manager = await portal.signedIn("manager@accounts.example");
    const before = await portal.db.account.findUniqueOrThrow({ where: { id: acme.id } });
    const fields = {
      intent: "set",
      limit: String(Number(before.creditLimitMinor) / 100 + 1),
      termsDays: String(before.paymentTermsDays),
      reason: "Annual review",
    };
    await expectRefusedPage(await post(manager, `/rep/credit/accounts/${acme.id}`, fields, { Origin: SIBLING }));
    expect((await portal.db.account.findUniqueOrThrow({ where: { id: acme.id } })).creditLimitMinor).toBe(before.creditLimitMinor);
  });
});

describe("non-browser clients", () => {
  it("without Origin (curl, integrations) are not refused by the origin check", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const res = await customer.request("/logout", { method: "POST", body: new URLSearchParams({}), headers: { Origin: "" } });
    expect(res.status).toBe(302);
  });

  it("signed webhooks are not subject to it (they prove themselves)", async () => {
    const res = await portal
      .browser()
      .request("/webhooks/stripe", { method: "POST", body: "{}", headers: { Origin: SIBLING, "Content-Type": "application/json" } });
    expect(res.status).toBe(400);
  });

  it("a script's refused request gets a short text answer, not a page", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const res = await customer.request("/logout.data", { method: "POST", body: new URLSearchParams({}), headers: { Origin: SIBLING } });
    expect(res.status).toBe(403);
    expect(await res.text()).toBe("Forbidden");
  });
});
