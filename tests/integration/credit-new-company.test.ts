/**
 * A new company (signed out, no account yet) on /credit/apply: its amounts are read and
 * shown the way its own country writes them — Spain 50.000,00 €, Mexico $50,000.00, on
 * its own clock — and a final step sent several times at once is submitted once, every
 * sender getting the answer and none an error page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  await portal?.close();
});

const REFERENCES = {
  step: "references",
  intent: "next",
  ref1Company: "Materiales del Norte",
  ref1Contact: "Jorge Ruiz",
  ref1Email: "jorge@matnorte.example",
  ref2Company: "Aceros Regios",
  ref2Contact: "Claudia Ibarra",
  ref2Email: "claudia@acerosregios.example",
  bankName: "Banco Uno",
  bankAccountLast4: "0932",
  bankContact: "",
};

function company(overrides: Record<string, string>) {
  return {
    step: "company",
    intent: "next",
    applicantName: "Lucía Ortega",
    applicantEmail: "lucia@example.example",
    companyName: "Empresa S.L.",
    country: "ES",
    currency: "EUR",
    taxId: "B12345674",
    addressLine1: "Calle Mayor 10",
    city: "Madrid",
    region: "M",
    postalCode: "28013",
    yearsInBusiness: "12",
    annualRevenue: "1.250.000,50",
    ...overrides,
  };
}

/** Steps 1–3; the amounts as the applicant typed them. */
async function upToSigning(visitor: Browser, fields: Record<string, string>, limit: string) {
  const first = await visitor.post("/credit/apply", fields);
  expect(first.status, textOf(await first.clone().text()).slice(0, 2000)).toBe(302);
  expect((await visitor.post("/credit/apply", REFERENCES)).status).toBe(302);
  const request = await visitor.post("/credit/apply", { step: "request", intent: "next", requestedLimit: limit, requestedTermsDays: "60" });
  expect(request.status, textOf(await request.clone().text()).slice(0, 2000)).toBe(302);
}

function sign(visitor: Browser, name: string) {
  return visitor.post("/credit/apply", { step: "sign", intent: "next", signatureName: name, authorize: "yes" });
}

function statusPathIn(html: string): string {
  const path = html.match(/href="(\/credit\/applications\/status\/[\w-]+)"/)?.[1];
  expect(path).toBeTruthy();
  return path!;
}

/** A moment as a page writes it (textOf turns Intl's no-break spaces into plain ones). */
function moment(at: Date, locale: string, timeZone: string) {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(at).replace(/[\u00a0\u202f]/g, " ");
}

async function submittedAt(applicationId: string) {
  return (await portal.db.creditApplicationEvent.findFirstOrThrow({ where: { applicationId, kind: "submitted" } })).createdAt;
}

describe("a new company's amounts follow its country", () => {
  it("in Spain (es): typed 1.250.000,50 and 50.000,00, refused with Spain's example, shown as 50.000,00 € on Madrid time", async () => {
    const visitor = portal.browser({ acceptLanguage: "es-ES,es;q=0.9" });
    const fields = company({ applicantEmail: "lucia@ortega-suministros.example", companyName: "Ortega Suministros S.L." });
    // The Mexican way is the one Spain does not write: refused, with Spain's own example.
    const mexican = await visitor.post("/credit/apply", { ...fields, annualRevenue: "1,250,000.50" });
    expect(mexican.status).toBe(400);
    expect(textOf(await mexican.text())).toContain("Use coma antes de los céntimos y puntos solo entre grupos de tres cifras, por ejemplo 1.250,50.");
    await upToSigning(visitor, fields, "50.000,00");
    const res = await sign(visitor, "Lucía Ortega");
    expect(res.status).toBe(200);
    const app = await portal.db.creditApplication.findFirstOrThrow({ where: { applicantEmail: "lucia@ortega-suministros.example" } });
    expect(Number(app.annualRevenueMinor)).toBe(125_000_050);
    expect(Number(app.requestedLimitMinor)).toBe(5_000_000);

    const status = textOf((await visitor.page(statusPathIn(await res.text()))).html);
    expect(status).toContain("50.000,00 €");
    expect(status).not.toContain("€50,000.00");
    expect(status).toContain(moment(await submittedAt(app.id), "es-ES", "Europe/Madrid"));
  });

  it("in Spain, read in English: the figures are English ones, the clock is still Madrid's", async () => {
    const visitor = portal.browser({ acceptLanguage: "en-US" });
    const fields = company({ applicantEmail: "ap@iberia-tools.example", companyName: "Iberia Tools S.L.", taxId: "12345678Z", annualRevenue: "1,250,000.50" });
    await upToSigning(visitor, fields, "50,000.00");
    const res = await sign(visitor, "Lucía Ortega");
    expect(res.status).toBe(200);
    const app = await portal.db.creditApplication.findFirstOrThrow({ where: { applicantEmail: "ap@iberia-tools.example" } });
    expect(Number(app.requestedLimitMinor)).toBe(5_000_000);
    const status = textOf((await visitor.page(statusPathIn(await res.text()))).html);
    expect(status).toContain("€50,000.00");
    expect(status).toContain(moment(await submittedAt(app.id), "en-US", "Europe/Madrid"));
  });

  it("in Mexico (es): typed 1,250,000.50 and 50,000.00, refused with Mexico's example, shown as $50,000.00 on Mexico City time", async () => {
    const visitor = portal.browser({ acceptLanguage: "es-MX,es;q=0.9" });
    const fields = company({
      applicantEmail: "compras@bajio-herrajes.example",
      companyName: "Herrajes del Bajío S.A. de C.V.",
      country: "MX",
      currency: "MXN",
      taxId: "HBA150604AB1",
      annualRevenue: "1,250,000.50",
    });
    const spanish = await visitor.post("/credit/apply", { ...fields, annualRevenue: "1.250.000,50" });
    expect(spanish.status).toBe(400);
    expect(textOf(await spanish.text())).toContain("Use punto antes de los centavos y comas solo entre grupos de tres cifras, por ejemplo 1,250.50.");
    await upToSigning(visitor, fields, "50,000.00");
    const res = await sign(visitor, "Lucía Ortega");
    expect(res.status).toBe(200);
    const app = await portal.db.creditApplication.findFirstOrThrow({ where: { applicantEmail: "compras@bajio-herrajes.example" } });
    expect(Number(app.annualRevenueMinor)).toBe(125_000_050);
    expect(Number(app.requestedLimitMinor)).toBe(5_000_000);
    const status = textOf((await visitor.page(statusPathIn(await res.text()))).html);
    expect(status).toContain("$50,000.00");
    expect(status).toContain(moment(await submittedAt(app.id), "es-MX", "America/Mexico_City"));
  });
});

describe("a document on the application form", () => {
  const pdf = new TextEncoder().encode("%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
  function stepWithFile(visitor: Browser, fields: Record<string, string>) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append("kind", "FINANCIAL_STATEMENT");
    form.append("document", new Blob([pdf], { type: "application/pdf" }), "real.pdf");
    return visitor.request("/credit/apply", { method: "POST", body: form });
  }

  it("is attached by its Upload button only, never by a step's Save and continue that carries it along", async () => {
    const visitor = portal.browser({ acceptLanguage: "en-US" });
    const email = "ap@one-document.example";
    const first = company({
      applicantEmail: email,
      companyName: "One Document LLC",
      country: "US",
      currency: "USD",
      taxId: "12-3456782",
      annualRevenue: "2,000,000.00",
    });
    expect((await visitor.post("/credit/apply", first)).status).toBe(302);
    const app = await portal.db.creditApplication.findFirstOrThrow({ where: { draft: { path: ["applicantEmail"], equals: email } } });
    const stored = () => portal.db.applicationDocument.count({ where: { applicationId: app.id } });

    // The picker joins the step form: a file still chosen goes with "Save and continue" too.
    expect((await stepWithFile(visitor, { ...REFERENCES, intent: "upload" })).status).toBe(302);
    expect(await stored()).toBe(1);
    expect((await stepWithFile(visitor, REFERENCES)).status).toBe(302);
    expect((await stepWithFile(visitor, { step: "request", intent: "next", requestedLimit: "50,000.00", requestedTermsDays: "30" })).status).toBe(302);
    expect((await stepWithFile(visitor, { step: "request", intent: "back", requestedLimit: "50,000.00", requestedTermsDays: "30" })).status).toBe(302);
    expect(await stored()).toBe(1);
  });
});

describe("the final step sent several times at once", () => {
  it("submits once; every sender gets the application's answer, none an error", async () => {
    const visitor = portal.browser({ acceptLanguage: "en-US" });
    const email = "ap@double-click.example";
    await upToSigning(
      visitor,
      company({
        applicantEmail: email,
        companyName: "Double Click Supply LLC",
        country: "US",
        currency: "USD",
        taxId: "12-3456781",
        annualRevenue: "2,000,000.00",
      }),
      "50,000.00",
    );
    const cookie = visitor.cookieHeader();
    const body = new URLSearchParams({ step: "sign", intent: "next", signatureName: "Lucía Ortega", authorize: "yes" });
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        fetch(`${portal.url}/credit/apply`, {
          method: "POST",
          body,
          redirect: "manual",
          headers: { Cookie: cookie, Origin: portal.url, "Accept-Language": "en-US" },
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(
      statuses.every((s) => s === 200 || s === 302),
      `statuses ${statuses.join(", ")}`,
    ).toBe(true);
    const app = await portal.db.creditApplication.findFirstOrThrow({ where: { applicantEmail: email } });
    expect(app.status).not.toBe("DRAFT");
    expect(await portal.db.creditApplicationEvent.count({ where: { applicationId: app.id, kind: "submitted" } })).toBe(1);
    expect(await portal.db.tradeReference.count({ where: { applicationId: app.id } })).toBe(2);
    expect(await portal.db.outboxEmail.count({ where: { to: email, template: "credit_submitted" } })).toBe(1);
    // Every sender gets the same page as the first: its number and a way to follow it.
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      const html = await answer.text();
      expect(textOf(html)).toContain(`Your application number is ${app.number}.`);
      expect((await portal.browser().page(statusPathIn(html))).status).toBe(200);
    }
  });

  it("answers a second post that arrives after the first submitted it with the same page, not a new application", async () => {
    const visitor = portal.browser({ acceptLanguage: "en-US" });
    const email = "ap@slow-double-click.example";
    await upToSigning(
      visitor,
      company({
        applicantEmail: email,
        companyName: "Slow Click Supply LLC",
        country: "US",
        currency: "USD",
        taxId: "12-3456783",
        annualRevenue: "2,000,000.00",
      }),
      "50,000.00",
    );
    // The second click's request left with the cookie the first one's answer then clears.
    const cookie = visitor.cookieHeader();
    const body = () => new URLSearchParams({ step: "sign", intent: "next", signatureName: "Lucía Ortega", authorize: "yes" });
    const post = () =>
      fetch(`${portal.url}/credit/apply`, { method: "POST", body: body(), redirect: "manual", headers: { Cookie: cookie, Origin: portal.url } });
    const drafts = await portal.db.creditApplication.count();
    const first = await post();
    expect(first.status).toBe(200);
    const second = await post();
    expect(second.status).toBe(200);
    const app = await portal.db.creditApplication.findFirstOrThrow({ where: { applicantEmail: email } });
    expect(textOf(await second.text())).toContain(`Your application number is ${app.number}.`);
    expect(await portal.db.creditApplication.count()).toBe(drafts);
    expect(await portal.db.creditApplicationEvent.count({ where: { applicationId: app.id, kind: "submitted" } })).toBe(1);
  });
});
