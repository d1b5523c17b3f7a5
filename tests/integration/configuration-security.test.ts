/**
 * What configuration decides, over HTTP on the real server: the outbox is staff-only
 * and never shows a link that opens an account; emailed links come from APP_URL, not
 * from the request's Host or X-Forwarded-Host; the payment sandbox, switched on, says so
 * and marks what it touches; a signed-in user's pages are never kept by a shared cache
 * or on disk. (Sandbox off: configuration-sandbox-off.test.ts; https:
 * configuration-https.test.ts — one portal per file, as the server's settings are
 * process-wide.)
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetPathIn, startMailCatcher, type MailCatcher } from "../support/mail-catcher";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
let mailbox: MailCatcher;
beforeAll(async () => {
  mailbox = await startMailCatcher();
  portal = await startPortal({ SMTP_URL: mailbox.url });
});
afterAll(async () => {
  await portal?.close();
  await mailbox?.close();
});

/** A POST with headers fetch will not send (Host), as a hostile client would. */
function rawPost(base: string, pathname: string, fields: Record<string, string>, headers: Record<string, string>): Promise<number> {
  const body = new URLSearchParams(fields).toString();
  const url = new URL(pathname, base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body), ...headers },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("the mail outbox", () => {
  let token: string;

  beforeAll(async () => {
    expect((await portal.browser().post("/forgot-password", { email: "ap@acme-industrial.example" })).status).toBe(200);
    token = resetPathIn((await mailbox.waitFor("ap@acme-industrial.example", /Reset your Customer Accounts password/)).text).split("=")[1];
  });

  it("shows a guest nothing after a reset request: sign in first", async () => {
    const res = await portal.browser().get("/outbox?to=ap%40acme-industrial.example");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/login\?/);
    expect(await res.text()).not.toContain(token);
  });

  it("refuses a customer, their own address included", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example");
    for (const url of ["/outbox", "/outbox?to=ap%40acme-industrial.example"]) {
      const res = await customer.get(url);
      expect(res.status, url).toBe(403);
      expect(await res.text()).not.toContain(token);
    }
  });

  it("shows staff that a reset link was sent, never the link", async () => {
    for (const email of ["rep1@accounts.example", "manager@accounts.example"]) {
      const staff = await portal.signedIn(email);
      const page = await staff.page("/outbox?to=ap%40acme-industrial.example");
      expect(page.status).toBe(200);
      const text = textOf(page.html);
      expect(text).toContain("Reset your Customer Accounts password");
      expect(text).toContain("a password-reset link was sent to the recipient — hidden here for security");
      expect(page.html).not.toContain(token);
      expect(page.html).not.toMatch(/reset-password\?token=/);
    }
    const row = await portal.db.outboxEmail.findFirstOrThrow({
      where: { to: "ap@acme-industrial.example", template: "password_reset" },
      orderBy: { createdAt: "desc" },
    });
    expect(row.text).not.toContain(token);
  });

  it("has no link in the navigation for guests or customers", async () => {
    expect((await portal.browser().page("/login")).html).not.toContain('href="/outbox"');
    expect((await (await portal.signedIn("ap@acme-industrial.example")).page("/account")).html).not.toContain('href="/outbox"');
    expect((await (await portal.signedIn("rep1@accounts.example")).page("/rep")).html).toContain('href="/outbox"');
  });
});

describe("emailed links", () => {
  it("start with APP_URL whatever Host or X-Forwarded-Host the request names", async () => {
    const email = "billing@pacificcoast.example";
    const status = await rawPost(
      portal.url,
      "/forgot-password",
      { email },
      { Host: "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https" },
    );
    expect(status).toBe(200);
    const mail = await mailbox.waitFor(email, /reset-password/);
    const link = mail.text.match(/\S+\/reset-password\?token=[\w-]+/)![0];
    expect(link.startsWith(`${portal.url}/reset-password?token=`)).toBe(true);
    expect(mail.text).not.toContain("evil.example");
  });
});

describe("the payment sandbox, switched on", () => {
  let customer: Browser;

  beforeAll(async () => {
    customer = await portal.signedIn("cxp@distnorte.example");
  });

  it("says so on every page", async () => {
    expect(textOf((await portal.browser().page("/login")).html)).toContain("SANDBOX — payments on this portal are simulated. No real money moves.");
    expect(textOf((await customer.page("/account")).html)).toContain("SANDBOX: los pagos en este portal son simulados. No se mueve dinero real.");
  });

  it("marks the payment it takes, on the receipt and on the rep's pages", async () => {
    const norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
    const invoice = await portal.db.invoice.findFirstOrThrow({
      where: { accountId: norte.id, status: "OPEN", disputes: { none: {} } },
      orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    });
    const payPage = await customer.page("/pay");
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(payPage.html)![1];
    const paid = await customer.post("/pay", { idempotencyKey: key, currency: "MXN", invoiceId: invoice.id, [`amount-${invoice.id}`]: "100.00" });
    expect(paid.status).toBe(302);
    const checkout = paid.headers.get("location")!;
    expect(checkout).toMatch(/^\/sandbox\/stripe\/checkout\//);
    const done = await customer.post(checkout, { outcome: "pay" });
    expect(done.status).toBe(302);
    const paymentId = done.headers.get("location")!.split("/").pop()!;

    const payment = await portal.db.payment.findUniqueOrThrow({ where: { id: paymentId } });
    expect(payment).toMatchObject({ status: "SUCCEEDED", provider: "stripe_sandbox" });

    const receipt = textOf((await customer.page(`/payments/${paymentId}`)).html);
    expect(receipt).toContain("SANDBOX · sin dinero real");
    const rep = await portal.signedIn("manager@accounts.example");
    expect(textOf((await rep.page(`/rep/payments/${paymentId}`)).html)).toContain("SANDBOX · no money moved");
  });
});

describe("cookies under an http APP_URL", () => {
  it("are not Secure, whatever X-Forwarded-Proto says", async () => {
    const res = await portal
      .browser()
      .request("/set-language", { method: "POST", body: new URLSearchParams({ language: "es", redirectTo: "/" }), headers: { "X-Forwarded-Proto": "https" } });
    const lng = res.headers.getSetCookie().find((c) => c.startsWith("lng="));
    expect(lng).toBeDefined();
    expect(lng).not.toMatch(/;\s*Secure/i);
  });
});

describe("a signed-in user's pages", () => {
  it("are private, no-store — rendered, replayed from the page cache, and as data", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const first = await customer.get("/account");
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("private, no-store");
    await first.text();
    // The page cache keeps the rendered page a moment after sending it.
    let replay: Response | undefined;
    for (let i = 0; i < 40 && replay?.headers.get("x-page-cache") !== "hit"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      replay = await customer.get("/account");
      await replay.text();
    }
    expect(replay!.headers.get("x-page-cache")).toBe("hit");
    expect(replay!.headers.get("cache-control")).toBe("private, no-store");
    const data = await customer.get("/invoices.data");
    expect(data.headers.get("cache-control")).toBe("private, no-store");

    const rep = await portal.signedIn("rep1@accounts.example");
    expect((await rep.get("/rep")).headers.get("cache-control")).toBe("private, no-store");
  });
});
