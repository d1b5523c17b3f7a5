/**
 * My day, watch signals and periodic credit reviews (issue 17), through the portal's routes:
 * the seeded rep's day lists each kind of work and each item opens a page that answers;
 * finishing the work takes the item off; a manager sees any rep's day and reassigns, a rep
 * sees only their own; a customer's reported change becomes a signal; a review decision
 * within authority applies and one above it becomes an escalated request, once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
let acme: { id: string; creditLimitMinor: bigint };
let pacific: { id: string; creditLimitMinor: bigint };
let rep1: { id: string };
let rep2: { id: string };

beforeAll(async () => {
  portal = await startPortal();
  acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
  pacific = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1004" } });
  rep1 = await portal.db.user.findUniqueOrThrow({ where: { email: "rep1@accounts.example" } });
  rep2 = await portal.db.user.findUniqueOrThrow({ where: { email: "rep2@accounts.example" } });
});
afterAll(async () => {
  await portal?.close();
});

type Item = { kind: string; href: string };

/** The day's rows as the page renders them: kind and the "Open" link. */
function itemsOf(html: string): Item[] {
  const rows = html.split('data-testid="day-item"').slice(1);
  return rows.map((row) => ({
    kind: /data-kind="([^"]+)"/.exec(row)![1],
    href: /href="([^"]+)"/.exec(/<a[^>]*data-testid="open-item"[^>]*>/.exec(row)![0])![1].replace(/&amp;/g, "&"),
  }));
}

async function dayOf(browser: Browser, query = "") {
  const page = await browser.page(`/rep/day${query}`);
  expect(page.status).toBe(200);
  return { items: itemsOf(page.html), html: page.html };
}

describe("the seeded rep's day", () => {
  it("lists held orders, an application under its review SLA, a broken promise and a watch signal, each opening a page that answers", async () => {
    const browser = await portal.signedIn("rep1@accounts.example");
    const { items, html } = await dayOf(browser);
    const kinds = new Set(items.map((i) => i.kind));
    for (const kind of ["held_order", "credit_application", "promise", "watch_signal", "credit_review"]) expect(kinds, kind).toContain(kind);
    const text = textOf(html);
    expect(text).toContain("is on credit hold");
    expect(text).toMatch(/h left of the 48 h review target/);
    expect(text).toContain("was broken: call the customer");
    expect(text).toContain("The customer reported a change of address");
    // Ordered by what falls due first.
    const dues = [...html.matchAll(/data-testid="day-item"/g)].length;
    expect(dues).toBe(items.length);
    const expected: Record<string, RegExp> = {
      held_order: /^\/rep\/credit\/held-orders$/,
      credit_application: /^\/rep\/credit\/applications\/[^/]+$/,
      promise: new RegExp(`^/rep/accounts/${acme.id}\\?tab=promises$`),
      watch_signal: new RegExp(`^/rep/accounts/${acme.id}#signals$`),
      credit_review: new RegExp(`^/rep/reviews/${acme.id}$`),
    };
    for (const item of items) {
      if (expected[item.kind]) expect(item.href, item.kind).toMatch(expected[item.kind]);
      const opened = await browser.page(item.href.replace(/#.*$/, ""));
      expect(opened.status, item.href).toBe(200);
    }
  });

  it("says it in Spanish for a Spanish reader", async () => {
    const browser = await portal.signedIn("rep3@accounts.example", { acceptLanguage: "es" });
    const text = textOf((await browser.page("/rep/day")).html);
    expect(text).toContain("Mi día");
    expect(text).toContain("Revisar la solicitud de crédito CA-2026-0001");
  });

  it("drops the broken promise once a contact is logged, and a signal once it is reviewed", async () => {
    const browser = await portal.signedIn("rep1@accounts.example");
    const before = await dayOf(browser);
    expect(before.items.some((i) => i.kind === "promise")).toBe(true);
    const logged = await browser.post(`/rep/accounts/${acme.id}/log`, {
      intent: "contact",
      channel: "PHONE",
      outcome: "LEFT_MESSAGE",
      note: "Called about the broken promise.",
    });
    expect(logged.status).toBe(303);
    const afterContact = await dayOf(browser);
    expect(afterContact.items.some((i) => i.kind === "promise")).toBe(false);

    const page = await browser.page(`/rep/accounts/${acme.id}`);
    const key = /name="signal" value="(reported_change:[^"]+)"/.exec(page.html)![1];
    const signalsBefore = afterContact.items.filter((i) => i.kind === "watch_signal").length;
    const [a, b] = await Promise.all([
      browser.post(`/rep/accounts/${acme.id}/signals`, { signal: key }),
      browser.post(`/rep/accounts/${acme.id}/signals`, { signal: key }),
    ]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(await portal.db.watchSignalReview.count({ where: { accountId: acme.id, signalKey: key } })).toBe(1);
    const afterReview = await dayOf(browser);
    expect(afterReview.items.filter((i) => i.kind === "watch_signal").length).toBe(signalsBefore - 1);
    expect(textOf((await browser.page(`/rep/accounts/${acme.id}`)).html)).not.toContain("We moved: 2200 Commerce Street");
  });
});

describe("whose day", () => {
  it("a rep cannot open another rep's day; a manager can", async () => {
    const rep = await portal.signedIn("rep1@accounts.example");
    expect((await rep.get(`/rep/day?rep=${rep2.id}`)).status).toBe(403);
    const customer = await portal.signedIn("ap@acme-industrial.example");
    expect((await customer.get("/rep/day")).status).toBe(403);
    const manager = await portal.signedIn("manager@accounts.example");
    const page = await manager.page(`/rep/day?rep=${rep1.id}`);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain("Reassign");
  });

  it("a rep cannot reassign; a manager hands an account's work to another rep", async () => {
    const rep = await portal.signedIn("rep1@accounts.example");
    const refused = await rep.post("/rep/day", { target: "account", id: acme.id, toRepId: rep2.id });
    expect(refused.status).toBe(403);
    expect((await portal.db.account.findUniqueOrThrow({ where: { id: acme.id } })).ownerRepId).toBe(rep1.id);

    const manager = await portal.signedIn("manager@accounts.example");
    const bad = await manager.post("/rep/day", { target: "account", id: acme.id, toRepId: "nobody" });
    expect(bad.headers.get("location")).toContain("error=no_such_rep");
    const moved = await manager.post("/rep/day", { target: "account", id: acme.id, toRepId: rep2.id, repId: rep1.id });
    expect(moved.status).toBe(303);
    expect(moved.headers.get("location")).toContain("reassigned=1");
    const rep2Day = await dayOf(await portal.signedIn("rep2@accounts.example"));
    expect(rep2Day.items.some((i) => i.kind === "held_order" && i.href === "/rep/credit/held-orders")).toBe(true);
    const rep1Day = await dayOf(rep);
    expect(rep1Day.items.some((i) => i.kind === "credit_review")).toBe(false);
    expect(await portal.db.auditLog.count({ where: { entity: "Account", entityId: acme.id, action: "owner_reassigned" } })).toBe(1);
    // …and back, so the reviews below are rep1's again.
    await manager.post("/rep/day", { target: "account", id: acme.id, toRepId: rep1.id });
  });

  it("a manager hands a dispute and an application to another rep, each audited with who held it before", async () => {
    const manager = await portal.signedIn("manager@accounts.example");
    const dispute = await portal.db.dispute.findFirstOrThrow({ where: { status: { in: ["OPEN", "IN_REVIEW"] } }, orderBy: { id: "asc" } });
    const application = await portal.db.creditApplication.findFirstOrThrow({ orderBy: { id: "asc" } });
    for (const [target, id, read, field] of [
      ["dispute", dispute.id, async () => (await portal.db.dispute.findUniqueOrThrow({ where: { id: dispute.id } })).assignedToId, "assignedToId"],
      [
        "application",
        application.id,
        async () => (await portal.db.creditApplication.findUniqueOrThrow({ where: { id: application.id } })).reviewerId,
        "reviewerId",
      ],
    ] as const) {
      const before = await read();
      const moved = await manager.post("/rep/day", { target, id, toRepId: rep2.id });
      expect(moved.headers.get("location"), target).toContain("reassigned=1");
      expect(await read()).toBe(rep2.id);
      const audit = await portal.db.auditLog.findFirstOrThrow({ where: { entityId: id, action: "reassigned" }, orderBy: { createdAt: "desc" } });
      expect(audit.before).toEqual({ [field]: before });
      expect(audit.after).toEqual({ [field]: rep2.id });
      const missing = await manager.post("/rep/day", { target, id: "no-such-id", toRepId: rep2.id });
      expect(missing.headers.get("location"), target).toContain("error=not_found");
    }
  });
});

describe("a customer reports a change", () => {
  it("bad input is refused, translated, and writes nothing", async () => {
    const customer = await portal.signedIn("cxp@distnorte.example");
    const before = await portal.db.accountChangeReport.count();
    const res = await customer.post("/account", { kind: "spaceship", details: "x", effectiveOn: "2026-02-30" });
    expect(res.status).toBe(400);
    const text = textOf(await res.text());
    expect(text).toContain("Elija qué cambió.");
    expect(text).toContain("Describa el cambio");
    expect(text).toContain("AAAA-MM-DD");
    expect(await portal.db.accountChangeReport.count()).toBe(before);
  });

  it("a reported change of legal name is a signal on the 360 and in the owner rep's day, saying why", async () => {
    const customer = await portal.signedIn("cxp@distnorte.example");
    const res = await customer.post("/account", { kind: "legal_name", details: "Distribuidora del Norte Holding S.A. de C.V.", effectiveOn: "" });
    expect(res.status).toBe(303);
    const homePage = (await customer.page("/account?reported=1")).html;
    // The kinds start with a capital in the list, and the form's button looks like one.
    expect(homePage).toMatch(/<option value="legal_name"[^>]*>Razón social<\/option>/);
    expect(homePage).toMatch(/<button[^>]*class="button"[^>]*>Enviar el cambio<\/button>/);
    const home = textOf(homePage);
    expect(home).toContain("Se avisó a su ejecutivo");
    // The customer's own list of reports: the new one, dated (the date ends with the year).
    expect(home).toMatch(/\d{4}: razón social/);
    const norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
    const rep = await portal.signedIn("rep2@accounts.example");
    const page = textOf((await rep.page(`/rep/accounts/${norte.id}`)).html);
    expect(page).toContain("Distribuidora del Norte Holding S.A. de C.V.");
    const day = await dayOf(rep);
    expect(day.items.some((i) => i.kind === "watch_signal" && i.href === `/rep/accounts/${norte.id}#signals`)).toBe(true);
  });
});

describe("periodic credit reviews", () => {
  it("shows the scorecard re-run on current data and a recommended action", async () => {
    const rep = await portal.signedIn("rep1@accounts.example");
    const page = await rep.page(`/rep/reviews/${acme.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-testid="score-breakdown"');
    expect(page.html).toMatch(/data-testid="recommendation" data-action="(keep|raise|lower|hold)"/);
  });

  it("a raise above a Rep I's authority becomes an escalated request, decided once, and the next date moves on", async () => {
    const rep = await portal.signedIn("rep1@accounts.example");
    const form = { decision: "raise", limit: "450000", note: "Growing account." };
    const [a, b] = await Promise.all([rep.post(`/rep/reviews/${acme.id}`, form), rep.post(`/rep/reviews/${acme.id}`, form)]);
    expect([a.status, b.status].sort()).toEqual([302, 409]);
    expect(await portal.db.creditReview.count({ where: { accountId: acme.id } })).toBe(1);
    const review = await portal.db.creditReview.findFirstOrThrow({ where: { accountId: acme.id } });
    expect(review.outcome).toBe("escalated");
    const request = await portal.db.creditApplication.findUniqueOrThrow({ where: { id: review.applicationId! } });
    expect(request.status).toBe("ESCALATED");
    expect(request.escalatedToLevel).toBe("SENIOR");
    // The limit itself waits for the senior.
    expect((await portal.db.account.findUniqueOrThrow({ where: { id: acme.id } })).creditLimitMinor).toBe(acme.creditLimitMinor);
    const schedule = await portal.db.creditReviewSchedule.findUniqueOrThrow({ where: { accountId: acme.id } });
    expect(schedule.nextReviewOn.getTime()).toBeGreaterThan(Date.now());
    const day = await dayOf(rep);
    expect(day.items.some((i) => i.kind === "credit_review")).toBe(false);
    // The escalation now waits in the senior's day.
    const senior = await dayOf(await portal.signedIn("senior@accounts.example"));
    expect(senior.items.some((i) => i.kind === "escalation" && i.href === `/rep/credit/applications/${request.id}`)).toBe(true);
  });

  it("a change within the senior's authority applies at once; bad input changes nothing", async () => {
    const senior = await portal.signedIn("senior@accounts.example");
    const bad = await senior.post(`/rep/reviews/${pacific.id}`, { decision: "raise", limit: "1" });
    expect(bad.status).toBe(409);
    expect(textOf(await bad.text())).toContain("A raise must be above the current limit");
    const unknown = await senior.post(`/rep/reviews/${pacific.id}`, { decision: "explode" });
    expect(unknown.status).toBe(400);
    expect(await portal.db.creditReview.count({ where: { accountId: pacific.id } })).toBe(0);

    const res = await senior.post(`/rep/reviews/${pacific.id}`, { decision: "lower", limit: "35000", note: "Collections account." });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toContain("done=changed");
    expect((await portal.db.account.findUniqueOrThrow({ where: { id: pacific.id } })).creditLimitMinor).toBe(35_000_00n);
    const review = await portal.db.creditReview.findFirstOrThrow({ where: { accountId: pacific.id } });
    expect(review.outcome).toBe("changed");
  });
});
