/**
 * Final demand and referral through the real routes: the rule recommends an account, a
 * rep generates the letter (a PDF in the account's language, stored; the account is
 * flagged), only staff and that account's own customers can download it, and a referral
 * records the agency, who decided and why. Bad input changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectionsAccount, pastDueInvoice } from "../support/collections-fixtures";
import { pdfText } from "../support/pdf-text";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
let rep: Browser;

beforeAll(async () => {
  portal = await startPortal();
  rep = await portal.signedIn("rep1@accounts.example");
});
afterAll(async () => {
  await portal?.close();
});

describe("final demand", () => {
  it("recommends, generates a Spanish letter for a Mexican account, and lets only the right people download it", async () => {
    const account = await collectionsAccount(portal.db, { country: "MX", language: "es", locale: "es-MX", timeZone: "America/Mexico_City", currency: "MXN" });
    await pastDueInvoice(portal.db, account, 75, 50_000_00n);
    const quiet = await collectionsAccount(portal.db, { country: "US", language: "en", locale: "en-US", timeZone: "America/Chicago", currency: "USD" });
    await pastDueInvoice(portal.db, quiet, 20, 50_000_00n);

    const page = textOf((await rep.page("/rep/collections/final-demands")).html);
    expect(page).toContain(account.number);
    expect(page).not.toContain(quiet.number);

    // Not recommended: refused, nothing stored.
    expect((await rep.post("/rep/collections/final-demands", { intent: "generate", accountId: quiet.id })).status).toBe(409);
    // A referral needs a letter first.
    expect(
      (
        await rep.post("/rep/collections/final-demands", {
          intent: "refer",
          accountId: account.id,
          agencyName: "Cobranza Norte",
          reason: "No response to final demand",
        })
      ).status,
    ).toBe(409);

    // A double click, or two reps at the same moment: one letter, one audit line, and each is shown it.
    const together = await Promise.all(
      [rep, rep, await portal.signedIn("rep2@accounts.example")].map((b) =>
        b.post("/rep/collections/final-demands", { intent: "generate", accountId: account.id }),
      ),
    );
    expect(together.map((r) => r.status)).toEqual([302, 302, 302]);
    expect(await portal.db.finalDemandLetter.count({ where: { accountId: account.id } })).toBe(1);
    const letter = await portal.db.finalDemandLetter.findFirstOrThrow({ where: { accountId: account.id } });
    expect(letter.language).toBe("es");
    expect(await portal.db.auditLog.count({ where: { accountId: account.id, action: "final_demand_issued" } })).toBe(1);
    expect(textOf((await rep.page("/rep/collections/final-demands")).html)).toContain("Final demand sent");

    const own = await portal.signedIn(account.email);
    // The customer is told on their home, with the letter to read.
    const home = await own.page("/account");
    expect(home.html).toContain('data-testid="final-demand-notice"');
    expect(home.html).toContain(`href="/collections/letters/${letter.id}"`);
    const download = await own.get(`/collections/letters/${letter.id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(download.headers.get("content-language")).toBe("es");
    expect(
      Buffer.from(await download.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe("%PDF");
    expect((await rep.get(`/collections/letters/${letter.id}`)).status).toBe(200);
    const stranger = await portal.signedIn("ap@acme-industrial.example");
    expect((await stranger.get(`/collections/letters/${letter.id}`)).status).toBe(404);
    expect((await portal.browser().get(`/collections/letters/${letter.id}`)).status).toBe(302);
    expect((await stranger.get("/rep/collections/final-demands")).status).toBe(403);
    expect((await stranger.post("/rep/collections/final-demands", { intent: "generate", accountId: account.id })).status).toBe(403);

    // Referral: bad input refused and nothing stored; then recorded with who and why.
    const empty = await rep.post("/rep/collections/final-demands", { intent: "refer", accountId: account.id, agencyName: "", reason: "x" });
    expect(empty.status).toBe(400);
    expect(textOf(await empty.text())).toContain("Give the agency");
    expect(await portal.db.agencyReferral.count({ where: { accountId: account.id } })).toBe(0);
    expect(
      (
        await rep.post("/rep/collections/final-demands", {
          intent: "refer",
          accountId: account.id,
          agencyName: "Cobranza Norte S.C.",
          reason: "No response 10 days after the final demand",
        })
      ).status,
    ).toBe(302);
    const referral = await portal.db.agencyReferral.findFirstOrThrow({ where: { accountId: account.id } });
    const alice = await portal.db.user.findUniqueOrThrow({ where: { email: "rep1@accounts.example" } });
    expect([referral.agencyName, referral.reason, referral.decidedById]).toEqual([
      "Cobranza Norte S.C.",
      "No response 10 days after the final demand",
      alice.id,
    ]);
    expect(textOf((await rep.page("/rep/collections/final-demands")).html)).toContain("Referred to Cobranza Norte S.C.");
  }, 120_000);
  it("writes to an account in Spain in Spain's words, and the customer reads the same words on the portal", async () => {
    const account = await collectionsAccount(portal.db, { country: "ES", language: "es", locale: "es-ES", timeZone: "Europe/Madrid", currency: "EUR" });
    await pastDueInvoice(portal.db, account, 80, 20_000_00n);
    expect((await rep.post("/rep/collections/final-demands", { intent: "generate", accountId: account.id })).status).toBe(302);
    const letter = await portal.db.finalDemandLetter.findFirstOrThrow({ where: { accountId: account.id } });
    const own = await portal.signedIn(account.email, { acceptLanguage: "es-ES,es;q=0.9" });
    const text = pdfText(Buffer.from(await (await own.get(`/collections/letters/${letter.id}`)).arrayBuffer()));
    expect(text).toContain("importe completo");
    expect(text).toContain("agencia de recobro");
    expect(text).not.toMatch(/monto|cobranza/);
    // Figures as Spain writes them (the euro sign is WinAnsi 0x80 in the PDF, which this reader does not map).
    expect(text).toContain("20.000,00");
    const home = textOf((await own.page("/account")).html);
    expect(home).toContain("agencia de recobro");
  });
  it("ranks the recommended accounts across currencies by what they owe in the policy currency", async () => {
    const pesos = await collectionsAccount(portal.db, { country: "MX", language: "es", locale: "es-MX", timeZone: "America/Mexico_City", currency: "MXN" });
    await pastDueInvoice(portal.db, pesos, 90, 150_000_00n); // about 8,700 dollars
    const dollars = await collectionsAccount(portal.db, { country: "US", language: "en", locale: "en-US", timeZone: "America/Chicago", currency: "USD" });
    await pastDueInvoice(portal.db, dollars, 90, 20_000_00n);
    const page = textOf((await rep.page("/rep/collections/final-demands")).html);
    expect(page.indexOf(dollars.number)).toBeGreaterThan(-1);
    expect(page.indexOf(pesos.number)).toBeGreaterThan(page.indexOf(dollars.number));
    expect(page).toMatch(/Past due 60\+ days\s*:\s*MX\$150,000\.00/);
  });
});
