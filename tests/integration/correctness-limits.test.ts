/**
 * Issue 14, item 8: a credit request has a ceiling (policy data), a Spanish CIF must
 * carry its right control character, and a limit cut below exposure must be confirmed.
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

const COMPANY = {
  step: "company",
  intent: "next",
  applicantName: "Rocío Paredes",
  applicantEmail: "rocio@aceros-techo.example",
  companyName: "Aceros del Techo S.A. de C.V.",
  country: "MX",
  currency: "MXN",
  taxId: "ATE150604AB1",
  addressLine1: "Av. Juárez 100",
  city: "Monterrey",
  region: "NL",
  postalCode: "64000",
  yearsInBusiness: "8",
  annualRevenue: "42,000,000.00",
};
const REFERENCES = {
  step: "references",
  intent: "next",
  ref1Company: "Materiales del Norte",
  ref1Contact: "Jorge Ruiz",
  ref1Email: "jorge@matnorte.example",
  ref2Company: "Aceros Regios",
  ref2Contact: "Claudia Ibarra",
  ref2Email: "claudia@acerosregios.example",
  bankName: "BBVA México",
  bankAccountLast4: "0932",
  bankContact: "",
};

async function toRequestStep(visitor: Browser, company: Record<string, string>) {
  expect((await visitor.post("/credit/apply", company)).status).toBe(302);
  expect((await visitor.post("/credit/apply", REFERENCES)).status).toBe(302);
}

describe("a credit request has a ceiling", () => {
  it("refuses five trillion pesos for a company with 42 million in revenue, in Spanish, and saves nothing", async () => {
    const visitor = portal.browser({ acceptLanguage: "es-MX,es;q=0.9" });
    await toRequestStep(visitor, COMPANY);
    const huge = await visitor.post("/credit/apply", { step: "request", intent: "next", requestedLimit: "5,000,000,000,000.00", requestedTermsDays: "30" });
    expect(huge.status).toBe(400);
    // Under the amount reader's own bound, and still far beyond any sane line: the policy's maximum refuses it.
    const large = await visitor.post("/credit/apply", { step: "request", intent: "next", requestedLimit: "500,000,000,000.00", requestedTermsDays: "30" });
    expect(large.status).toBe(400);
    expect(textOf(await large.text())).toContain("El límite solicitado no puede ser mayor que MXN 1,000,000,000.00.");
    const overRevenue = await visitor.post("/credit/apply", { step: "request", intent: "next", requestedLimit: "50,000,000.00", requestedTermsDays: "30" });
    expect(overRevenue.status).toBe(400);
    expect(textOf(await overRevenue.text())).toContain("no puede ser mayor que las ventas anuales declaradas");
    const sane = await visitor.post("/credit/apply", { step: "request", intent: "next", requestedLimit: "2,000,000.00", requestedTermsDays: "30" });
    expect(sane.status).toBe(302);
    expect(await portal.db.creditApplication.count({ where: { applicantEmail: COMPANY.applicantEmail, status: { not: "DRAFT" } } })).toBe(0);
  });

  it("says it in English too, and the ceiling is policy data", async () => {
    await portal.db.policySetting.upsert({
      where: { key: "credit.requestCeiling" },
      create: { key: "credit.requestCeiling", value: { revenueMultiple: 0.1 } },
      update: { value: { revenueMultiple: 0.1 } },
    });
    const visitor = portal.browser({ acceptLanguage: "en-US" });
    await toRequestStep(visitor, {
      ...COMPANY,
      applicantEmail: "owner@tenth.example",
      country: "US",
      currency: "USD",
      taxId: "12-3456789",
      annualRevenue: "1,000,000.00",
    });
    const over = await visitor.post("/credit/apply", { step: "request", intent: "next", requestedLimit: "100,000.01", requestedTermsDays: "30" });
    expect(over.status).toBe(400);
    expect(textOf(await over.text())).toContain("cannot be more than your company's stated annual revenue");
    expect((await visitor.post("/credit/apply", { step: "request", intent: "next", requestedLimit: "100,000.00", requestedTermsDays: "30" })).status).toBe(302);
    await portal.db.policySetting.delete({ where: { key: "credit.requestCeiling" } });
  });
});

describe("a Spanish CIF is checked to its control character", () => {
  it("refuses B12345678 (the form's old example) and accepts B12345674, in both languages", async () => {
    const es = portal.browser({ acceptLanguage: "es-ES,es;q=0.9" });
    const company = {
      ...COMPANY,
      applicantEmail: "admin@iberica.example",
      companyName: "Suministros Ibéricos S.L.",
      country: "ES",
      currency: "EUR",
      annualRevenue: "8400000",
    };
    const bad = await es.post("/credit/apply", { ...company, taxId: "B12345678" });
    expect(bad.status).toBe(400);
    const text = textOf(await bad.text());
    expect(text).toContain("Escriba un NIF o CIF válido (p. ej. B12345674 o 12345678Z).");
    const en = portal.browser({ acceptLanguage: "en-US" });
    const badEn = await en.post("/credit/apply", { ...company, annualRevenue: "8,400,000.00", taxId: "B12345678" });
    expect(textOf(await badEn.text())).toContain("Enter a valid NIF or CIF (e.g. B12345674 or 12345678Z).");
    expect((await es.post("/credit/apply", { ...company, taxId: "B12345674" })).status).toBe(302);
    // The seeded Spanish account's CIF is a valid one.
    const iberica = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1003" } });
    expect(iberica.taxId).toBe("B86543212");
  });
});

describe("a limit cut below exposure must be confirmed", () => {
  it("warns, changes nothing until the rep ticks 'I understand', then applies", async () => {
    const acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
    const senior = await portal.signedIn("senior@accounts.example");
    const fields = { limit: "1,000.00", termsDays: String(acme.paymentTermsDays), reason: "Collections review" };
    const warned = await senior.post(`/rep/credit/accounts/${acme.id}`, fields);
    expect(warned.status).toBe(400);
    const html = await warned.text();
    expect(html).toContain('name="confirmBelowExposure"');
    expect(textOf(html)).toMatch(/below the account's current exposure|menor que la exposición actual/);
    // What was typed is kept for the second submit.
    expect(html).toContain('value="Collections review"');
    expect((await portal.db.account.findUniqueOrThrow({ where: { id: acme.id } })).creditLimitMinor).toBe(acme.creditLimitMinor);

    const confirmed = await senior.post(`/rep/credit/accounts/${acme.id}`, { ...fields, confirmBelowExposure: "yes" });
    expect(confirmed.status).toBe(302);
    expect((await portal.db.account.findUniqueOrThrow({ where: { id: acme.id } })).creditLimitMinor).toBe(1_000_00n);
  });
});
