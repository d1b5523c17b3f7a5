/**
 * Issue 15, the reps' side: a rep reads times in their own time zone, set on their
 * settings page (a plain form); without one, the team's (the business hours' zone). A zone
 * that does not exist is refused with a translated error and nothing changes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type TestPortal } from "../support/portal";

const REP = "rep3@accounts.example";

let portal: TestPortal;
beforeAll(async () => {
  portal = await startPortal();
  await portal.db.user.update({ where: { email: REP }, data: { timeZone: null, preferredLanguage: "en" } });
});
afterAll(async () => {
  await portal?.close();
});

const plain = (html: string) => textOf(html).replace(/\u202f/g, " ");
const clock = (timeZone: string, at: Date) =>
  new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone }).format(at).replace(/[\u202f\u00a0]/g, " ");
const zoned = (timeZone: string, at: Date) =>
  new Intl.DateTimeFormat("en-US", { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZone, timeZoneName: "short" })
    .format(at)
    .replace(/[\u202f\u00a0]/g, " ");
/** What the page may say for "now": the minute it was asked, or the next one. */
const nowIn = (timeZone: string, from: Date) => [zoned(timeZone, from), zoned(timeZone, new Date(from.getTime() + 60_000))];

describe("a rep's own time zone", () => {
  it("defaults to the team's zone, and after the rep sets one the pages show times in it", async () => {
    const rep = await portal.signedIn(REP, { acceptLanguage: "en-US" });
    const before = new Date();
    const settings = plain((await rep.page("/rep/settings")).html);
    // The English team keeps its hours in America/Chicago (policy hours.en).
    expect(settings).toContain("You see times in America/Chicago, the team's time zone.");
    expect(nowIn("America/Chicago", before).some((time) => settings.includes(`Your time now: ${time}.`))).toBe(true);

    const saved = await rep.post("/rep/settings", { timeZone: "Asia/Tokyo" });
    expect(saved.status).toBe(200);
    expect(plain(await saved.text())).toContain("Your time zone is saved.");
    expect((await portal.db.user.findUniqueOrThrow({ where: { email: REP } })).timeZone).toBe("Asia/Tokyo");
    const audit = await portal.db.auditLog.findFirstOrThrow({ where: { action: "user.time_zone" }, orderBy: { createdAt: "desc" } });
    expect(audit.after).toEqual({ timeZone: "Asia/Tokyo" });

    const after = new Date();
    const page = plain((await rep.page("/rep/settings")).html);
    expect(page).toContain("You see times in Asia/Tokyo.");
    expect(nowIn("Asia/Tokyo", after).some((time) => page.includes(`Your time now: ${time}.`))).toBe(true);

    // A dispute's thread on the rep's page: each message at its time in Tokyo.
    const customer = await portal.signedIn("admin@herramientas-ibericas.example");
    const account = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1003" } });
    const invoice = await portal.db.invoice.findFirstOrThrow({
      where: { accountId: account.id, status: { in: ["OPEN", "PARTIALLY_PAID"] }, disputes: { none: {} } },
      orderBy: { dueOn: "asc" },
    });
    const form = new FormData();
    for (const [k, v] of Object.entries({ invoiceId: invoice.id, reason: "PRICING", scope: "invoice", amount: "", message: "El precio no es el pactado." }))
      form.append(k, v);
    expect((await customer.request(`/disputes/new?invoice=${invoice.id}`, { method: "POST", body: form })).status).toBe(302);
    const message = await portal.db.disputeMessage.findFirstOrThrow({ where: { body: "El precio no es el pactado." }, orderBy: { createdAt: "desc" } });
    const thread = plain((await rep.page(`/rep/disputes/${message.disputeId}`)).html);
    expect(thread).toContain(clock("Asia/Tokyo", message.createdAt));
    expect(clock("Asia/Tokyo", message.createdAt)).not.toBe(clock("America/Chicago", message.createdAt));
  });

  it("refuses a zone that does not exist, in the rep's language, and keeps the one set", async () => {
    await portal.db.user.update({ where: { email: REP }, data: { timeZone: "Europe/Madrid" } });
    const audits = await portal.db.auditLog.count({ where: { action: "user.time_zone" } });
    const english = await portal.signedIn(REP, { acceptLanguage: "en-US" });
    for (const typed of ["Mars/Olympus_Mons", "Not a zone", "x".repeat(300)]) {
      const res = await english.post("/rep/settings", { timeZone: typed });
      expect(res.status, typed).toBe(400);
      expect(plain(await res.text()), typed).toContain("That is not a time zone we know. Use a name like America/Chicago or Europe/Madrid.");
    }
    // A post without the field is not "back to the team's zone".
    expect((await english.post("/rep/settings", {})).status).toBe(400);
    await portal.db.user.update({ where: { email: REP }, data: { preferredLanguage: "es" } });
    const spanish = await portal.signedIn(REP);
    const res = await spanish.post("/rep/settings", { timeZone: "Luna/Tranquilidad" });
    expect(res.status).toBe(400);
    expect(plain(await res.text())).toContain("No reconocemos esa zona horaria. Use un nombre como America/Chicago o Europe/Madrid.");
    expect((await portal.db.user.findUniqueOrThrow({ where: { email: REP } })).timeZone).toBe("Europe/Madrid");
    expect(await portal.db.auditLog.count({ where: { action: "user.time_zone" } })).toBe(audits);
  });

  it("an empty zone goes back to the team's", async () => {
    await portal.db.user.update({ where: { email: REP }, data: { timeZone: "Europe/Madrid", preferredLanguage: "en" } });
    const rep = await portal.signedIn(REP, { acceptLanguage: "en-US" });
    expect((await rep.post("/rep/settings", { timeZone: "" })).status).toBe(200);
    expect((await portal.db.user.findUniqueOrThrow({ where: { email: REP } })).timeZone).toBeNull();
    expect(plain((await rep.page("/rep/settings")).html)).toContain("You see times in America/Chicago, the team's time zone.");
  });
});
