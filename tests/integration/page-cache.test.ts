/**
 * The rendered-page cache (server/page-cache.ts) through real HTTP: a second view is
 * served without rendering, its inline scripts allowed by hash; any change to the account's
 * ledger — by any writer, straight in the database — shows at once; nothing crosses
 * users; signing out or losing access ends it.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
let acme: { id: string; legalName: string };
let norte: { id: string; legalName: string };
beforeAll(async () => {
  portal = await startPortal();
  acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
  norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
});
afterAll(async () => {
  await portal?.close();
});

async function view(browser: Browser, pathname: string) {
  const res = await browser.get(pathname);
  const html = await res.text();
  const policy = res.headers.get("content-security-policy");
  const nonce = /'nonce-([^']+)'/.exec(policy ?? "")?.[1];
  return { status: res.status, cache: res.headers.get("x-page-cache"), html, nonce, policy, headers: res.headers, location: res.headers.get("location") };
}

describe("the rendered-page cache", () => {
  it("serves a second view of the same page from the cache, allowing exactly its inline scripts by their hashes", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const first = await view(customer, "/invoices?sort=number");
    const second = await view(customer, "/invoices?sort=number");
    expect([first.status, first.cache]).toEqual([200, "miss"]);
    expect([second.status, second.cache]).toEqual([200, "hit"]);
    expect(first.nonce).toBeTruthy();
    expect(second.html).toBe(first.html);
    // The replay accepts no nonce (the rendered one was spent on the first view), only
    // the page's own inline scripts, each by its SHA-256.
    const policy = second.policy!;
    expect(policy).not.toContain("'nonce-");
    const scripts = [...second.html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).filter(Boolean);
    expect(scripts.length).toBeGreaterThan(2);
    const allowed = new Set([...policy.matchAll(/'sha256-([^']+)'/g)].map((m) => m[1]));
    expect(allowed).toEqual(new Set(scripts.map((source) => crypto.createHash("sha256").update(source).digest("base64"))));
    // Everything else the rendered response said about itself is said again.
    expect(second.policy!.replace(/ 'sha256-[^']+'/g, "")).toBe(first.policy!.replace(/ 'nonce-[^']+'/, ""));
    for (const name of ["content-type", "vary", "x-frame-options", "referrer-policy", "x-content-type-options"])
      expect(second.headers.get(name)).toBe(first.headers.get(name));

    // Client-side navigations fetch the same data as .data: cached the same way.
    expect((await view(customer, "/invoices.data?sort=number")).cache).toBe("miss");
    expect((await view(customer, "/invoices.data?sort=number")).cache).toBe("hit");
  });

  it("replays a kept page in the encoding each client accepts", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const rendered = await view(customer, "/account");
    const replay = (acceptEncoding: string) =>
      fetch(new URL("/account", portal.url), { headers: { cookie: customer.cookieHeader(), "accept-encoding": acceptEncoding }, redirect: "manual" });
    for (const [accepts, encoding] of [
      ["gzip, deflate, br", "br"],
      ["gzip", "gzip"],
      ["br;q=0, gzip;q=0.5", "gzip"],
      ["identity", null],
      ["", null],
    ] as const) {
      const res = await replay(accepts);
      expect({ accepts, cache: res.headers.get("x-page-cache"), encoding: res.headers.get("content-encoding") }).toEqual({ accepts, cache: "hit", encoding });
      expect(await res.text()).toBe(rendered.html);
    }
  });

  it("shows a ledger change made straight in the database (any writer, any instance) on the next view", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const invoice = await portal.db.invoice.findFirstOrThrow({ where: { accountId: acme.id, status: "OPEN" }, orderBy: { number: "asc" } });
    const url = `/invoices?q=${invoice.number}`;
    await view(customer, url);
    expect((await view(customer, url)).cache).toBe("hit");

    await portal.db.invoice.update({ where: { id: invoice.id }, data: { balanceMinor: 12_345n, status: "PARTIALLY_PAID" } });
    const after = await view(customer, url);
    expect(after.cache).toBe("miss");
    expect(textOf(after.html)).toContain("$123.45");

    // The account home moves with the same version: a new order changes exposure.
    const available = (html: string) =>
      Number(/data-testid="figure-availableCredit"[\s\S]*?class="figure-value"[^>]*>([^<]+)</.exec(html)![1].replace(/[$,]/g, ""));
    await view(customer, "/account");
    const cached = await view(customer, "/account");
    expect(cached.cache).toBe("hit");
    await portal.db.order.create({ data: { number: `SO-CACHE-${Date.now()}`, accountId: acme.id, currency: "USD", amountMinor: 1_00n, status: "OPEN" } });
    // A page never asked for before, within the summary's few cached seconds: its figures are the new ones too.
    const fresh = await view(customer, "/account?after-order=1");
    expect(fresh.cache).toBe("miss");
    expect(available(fresh.html)).toBeCloseTo(available(cached.html) - 1, 2);
    expect((await view(customer, "/account")).cache).toBe("miss");
  });

  it("moves the ledger version for every kind of change the ledger pages show", async () => {
    const version = async (id = acme.id) => (await portal.db.account.findUniqueOrThrow({ where: { id }, select: { ledgerVersion: true } })).ledgerVersion;
    const invoice = await portal.db.invoice.findFirstOrThrow({ where: { accountId: acme.id } });
    const steps: [string, () => Promise<unknown>][] = [
      ["account", () => portal.db.account.update({ where: { id: acme.id }, data: { creditLimitMinor: { increment: 1 } } })],
      ["invoice", () => portal.db.invoice.update({ where: { id: invoice.id }, data: { poNumber: `PO-V-${Date.now()}` } })],
      [
        "dispute",
        () =>
          portal.db.dispute.create({
            data: {
              number: `DSP-V-${Date.now()}`,
              accountId: acme.id,
              invoiceId: invoice.id,
              reason: "PRICING",
              amountMinor: 100n,
              currency: invoice.currency,
            },
          }),
      ],
      ["payment", () => portal.db.payment.create({ data: { accountId: acme.id, currency: "USD", amountMinor: 100n, idempotencyKey: `v-${Date.now()}` } })],
      ["order", () => portal.db.order.create({ data: { number: `SO-V-${Date.now()}`, accountId: acme.id, currency: "USD", amountMinor: 100n } })],
    ];
    for (const [what, change] of steps) {
      const before = await version();
      await change();
      expect({ what, moved: (await version()) > before }).toEqual({ what, moved: true });
    }
    // A new FX rate changes every converted figure: every account moves.
    const [acmeBefore, norteBefore] = [await version(), await version(norte.id)];
    await portal.db.fxRate.create({ data: { base: "EUR", quote: "USD", rate: "1.10000000", effectiveOn: new Date("2099-01-01") } });
    expect(await version()).toBeGreaterThan(acmeBefore);
    expect(await version(norte.id)).toBeGreaterThan(norteBefore);
    // Another account's changes leave this one alone.
    const acmeNow = await version();
    await portal.db.order.create({ data: { number: `SO-N-${Date.now()}`, accountId: norte.id, currency: "MXN", amountMinor: 100n } });
    expect(await version()).toBe(acmeNow);
  });

  it("never gives one user's page to another, and follows each user's language", async () => {
    const acmeCustomer = await portal.signedIn("ap@acme-industrial.example");
    await view(acmeCustomer, "/invoices");
    expect((await view(acmeCustomer, "/invoices")).cache).toBe("hit");

    const norteCustomer = await portal.signedIn("cxp@distnorte.example");
    const theirs = await view(norteCustomer, "/invoices");
    expect(theirs.cache).toBe("miss");
    expect(textOf(theirs.html)).toContain(norte.legalName);
    expect(textOf(theirs.html)).not.toContain(acme.legalName);
    expect(theirs.html).toContain('lang="es"');

    // Same user, other language: another page.
    const english = await view(acmeCustomer, "/invoices");
    const res = await acmeCustomer.post("/set-language", { language: "es", redirectTo: "/invoices" });
    expect(res.status).toBe(302);
    const spanish = await view(acmeCustomer, "/invoices");
    expect(spanish.cache).toBe("miss");
    expect(spanish.html).toContain('lang="es"');
    expect(english.html).toContain('lang="en"');
  });

  it("stops at sign-out, expiry and deactivation: the route decides again", async () => {
    const customer = await portal.signedIn("billing@pacificcoast.example");
    await view(customer, "/invoices");
    expect((await view(customer, "/invoices")).cache).toBe("hit");
    const cookie = customer.cookieHeader();

    await customer.post("/logout", {});
    const stale = await fetch(new URL("/invoices", portal.url), { headers: { cookie }, redirect: "manual" });
    expect(stale.status).toBe(302);
    expect(stale.headers.get("location")).toMatch(/^\/login/);
    expect(stale.headers.get("x-page-cache")).toBeNull();

    const again = await portal.signedIn("billing@pacificcoast.example");
    await view(again, "/account");
    expect((await view(again, "/account")).cache).toBe("hit");
    const user = await portal.db.user.findUniqueOrThrow({ where: { email: "billing@pacificcoast.example" } });
    await portal.db.session.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await view(again, "/account")).status).toBe(302);

    const third = await portal.signedIn("billing@pacificcoast.example");
    await view(third, "/account");
    await portal.db.user.update({ where: { id: user.id }, data: { active: false } });
    expect((await view(third, "/account")).status).toBe(302);
    await portal.db.user.update({ where: { id: user.id }, data: { active: true } });
  });

  it("does not cache for staff, other pages or error answers", async () => {
    const rep = await portal.signedIn("rep1@accounts.example");
    expect((await view(rep, "/invoices")).cache).toBeNull();
    const customer = await portal.signedIn("ap@acme-industrial.example");
    expect((await view(customer, "/statement")).cache).toBeNull();
    const anonymous = portal.browser();
    const res = await view(anonymous, "/invoices");
    expect([res.status, res.cache]).toEqual([302, null]);
  });
});
