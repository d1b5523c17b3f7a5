/**
 * What happens after a credit application is submitted, over HTTP: a new company's
 * status link (from its confirmation email) to answer a question and to accept or
 * decline a counter-offer (once, and not after it expires); emails that carry the
 * figures (approval, counter-offer) and notify the level an escalation waits for; and
 * the rep's view of a seeded application: its scorecard, why it was not approved
 * automatically, and the FX conversion behind the authority check.
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
  applicantName: "Marisol Treviño",
  applicantEmail: "marisol@ferreteria-trevino.example",
  companyName: "Ferretería Treviño S.A. de C.V.",
  country: "MX",
  currency: "MXN",
  taxId: "FTR150604AB1",
  addressLine1: "Av. Constitución 1200",
  city: "Monterrey",
  region: "NL",
  postalCode: "64000",
  yearsInBusiness: "12",
  annualRevenue: "60,000,000.00",
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
const pdf = new TextEncoder().encode("%PDF-1.7\n%âãÏÓ\n1 0 obj<<>>endobj\n");
const today = () => new Date().toISOString().slice(0, 10);
/** Mail text with Intl's non-breaking spaces (as in "EUR 200,000.00" in Spanish) as plain spaces. */
const plain = (text: string) => text.replace(/\u00a0/g, " ");

async function apply(visitor: Browser, company: Record<string, string>, limit: string, terms: string) {
  expect((await visitor.post("/credit/apply", company)).status).toBe(302);
  expect((await visitor.post("/credit/apply", REFERENCES)).status).toBe(302);
  expect((await visitor.post("/credit/apply", { step: "request", intent: "next", requestedLimit: limit, requestedTermsDays: terms })).status).toBe(302);
  const done = await visitor.post("/credit/apply", { step: "sign", intent: "next", signatureName: company.applicantName, authorize: "yes" });
  expect(done.status).toBe(200);
  const app = await portal.db.creditApplication.findFirstOrThrow({ where: { applicantEmail: company.applicantEmail } });
  return { app, html: await done.text() };
}

/** The status-page path in the newest email of this template to this address. */
async function linkIn(to: string, template: string) {
  const mail = await portal.db.outboxEmail.findFirstOrThrow({ where: { to, template }, orderBy: { createdAt: "desc" } });
  const path = mail.text.match(/\/credit\/applications\/status\/[\w-]+/)?.[0];
  expect(path, `a status link in ${template}`).toBeTruthy();
  return { mail, path: path! };
}

function upload(b: Browser, path: string, fields: Record<string, string>, bytes?: Uint8Array, name = "estados.pdf") {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append("document", bytes ? new Blob([bytes.slice()]) : new Blob([]), bytes ? name : "");
  return b.request(path, { method: "POST", body: form });
}

describe("a new company asked for more information (in Spanish)", () => {
  it("is told on submit, answers through its status link from another browser, and the rep decides", async () => {
    const visitor = portal.browser({ acceptLanguage: "es-MX,es;q=0.9" });
    const { app, html } = await apply(visitor, COMPANY, "2,500,000.00", "45");
    expect(app.status).toBe("SUBMITTED");
    // The confirmation, in Spanish, with the status link; the done page links it too.
    const confirmation = await linkIn(COMPANY.applicantEmail, "credit_submitted");
    expect(confirmation.mail.language).toBe("es");
    expect(confirmation.mail.subject).toBe(`Recibimos su solicitud de crédito ${app.number}`);
    expect(html).toContain("/credit/applications/status/");

    const rep3 = await portal.signedIn("rep3@accounts.example");
    expect((await rep3.post(`/rep/credit/applications/${app.id}`, { intent: "request_info", infoMessage: "Envíe sus estados financieros 2025." })).status).toBe(
      302,
    );
    const { mail, path } = await linkIn(COMPANY.applicantEmail, "credit_info_requested");
    expect(mail.language).toBe("es");
    expect(mail.text).toContain("Envíe sus estados financieros 2025.");
    expect(mail.text).not.toContain("Inicie sesión");

    // Another browser (no draft cookie): the link is the key.
    const phone = portal.browser({ acceptLanguage: "es-MX,es;q=0.9" });
    const page = await phone.page(path);
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain("Nuestra pregunta");
    expect(text).toContain("Envíe sus estados financieros 2025.");

    const empty = await upload(phone, path, { message: "" });
    expect(empty.status).toBe(400);
    expect(textOf(await empty.text())).toContain("Este campo es obligatorio.");
    const wrongType = await upload(phone, path, { message: "Adjunto." }, new TextEncoder().encode("<html>"), "x.pdf");
    expect(wrongType.status).toBe(400);
    expect((await portal.db.creditApplication.findUniqueOrThrow({ where: { id: app.id } })).status).toBe("INFO_REQUESTED");

    const answered = await upload(phone, path, { message: "Los adjuntamos.", kind: "FINANCIAL_STATEMENT" }, pdf, "Estados 2025.pdf");
    expect(answered.status).toBe(302);
    expect((await portal.db.creditApplication.findUniqueOrThrow({ where: { id: app.id } })).status).toBe("IN_REVIEW");
    expect(await portal.db.applicationDocument.count({ where: { applicationId: app.id, fileName: "Estados 2025.pdf" } })).toBe(1);
    // Answered once: a second answer finds nothing to answer.
    expect((await upload(phone, path, { message: "Otra vez." })).status).toBe(409);
    expect(textOf((await phone.page(path)).html)).toContain("Los adjuntamos.");

    // The rep sees the answer and can decide.
    const repPage = textOf((await rep3.page(`/rep/credit/applications/${app.id}`)).html);
    expect(repPage).toContain("Applicant's answer: Los adjuntamos.");
    expect(repPage).toContain("Estados 2025.pdf");
    expect((await rep3.post(`/rep/credit/applications/${app.id}`, { intent: "decline", declineReason: "Historial insuficiente" })).status).toBe(302);
    expect((await portal.db.creditApplication.findUniqueOrThrow({ where: { id: app.id } })).status).toBe("DECLINED");

    // An unknown or malformed token opens nothing.
    expect((await phone.get("/credit/applications/status/not-a-real-token-but-long-enough-000000")).status).toBe(404);
    expect((await upload(phone, "/credit/applications/status/not-a-real-token-but-long-enough-000000", { message: "x" })).status).toBe(404);
  });
});

describe("a counter-offer to a new company", () => {
  const company = {
    ...COMPANY,
    applicantName: "Lee Morgan",
    applicantEmail: "lee@harbor-supply.example",
    companyName: "Harbor Supply LLC",
    country: "US",
    currency: "USD",
    taxId: "45-1234567",
    annualRevenue: "20,000,000.00",
  };

  it("is emailed with its amount, terms and link, and accepting it twice at once applies it once", async () => {
    const { app } = await apply(portal.browser(), company, "40,000.00", "30");
    expect(app.status).toBe("SUBMITTED");
    const rep3 = await portal.signedIn("rep3@accounts.example");
    expect(
      (await rep3.post(`/rep/credit/applications/${app.id}`, { intent: "approve", limit: "25,000.00", termsDays: "30", conditions: "Personal guarantee" }))
        .status,
    ).toBe(302);
    const offered = await portal.db.creditApplication.findUniqueOrThrow({ where: { id: app.id } });
    expect(offered.status).toBe("COUNTER_OFFERED");
    expect(offered.offerExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 13 * 86_400_000);

    const { mail, path } = await linkIn(company.applicantEmail, "credit_counter_offer");
    expect(mail.subject).toBe(`Credit application ${app.number}: our offer`);
    expect(mail.text).toContain("Credit limit: $25,000.00");
    expect(mail.text).toContain("Payment terms: Net 30");
    expect(mail.text).toContain("Conditions: Personal guarantee");
    expect(mail.text).toMatch(/open until \w+ \d+, \d{4}/);

    // The rep sees what was offered.
    expect(textOf((await rep3.page(`/rep/credit/applications/${app.id}`)).html)).toContain("Counter-offer Offered $25,000.00, Net 30.");

    const visitor = portal.browser();
    const page = textOf((await visitor.page(path)).html);
    expect(page).toContain("$25,000.00");
    expect(page).toContain("Accept this offer");
    expect(page).toContain("Decline the offer");

    const [a, b] = await Promise.all([visitor.post(path, { intent: "accept_offer" }), visitor.post(path, { intent: "accept_offer" })]);
    expect([a.status, b.status].sort()).toEqual([302, 409]);
    const approved = await portal.db.creditApplication.findUniqueOrThrow({ where: { id: app.id } });
    expect(approved.status).toBe("APPROVED");
    expect(await portal.db.account.count({ where: { legalName: "Harbor Supply LLC" } })).toBe(1);
    expect((await portal.db.account.findUniqueOrThrow({ where: { id: approved.accountId! } })).creditLimitMinor).toBe(25_000_00n);
    expect(await portal.db.outboxEmail.count({ where: { to: company.applicantEmail, template: "account_welcome" } })).toBe(1);
    expect(await portal.db.auditLog.count({ where: { entityId: app.id, action: "offer_accepted" } })).toBe(1);
    // A decline after the acceptance changes nothing.
    expect((await visitor.post(path, { intent: "decline_offer" })).status).toBe(409);

    // The approval email states what was approved and how a new company gets in.
    const approval = await portal.db.outboxEmail.findFirstOrThrow({ where: { to: company.applicantEmail, template: "credit_approved" } });
    expect(approval.text).toContain("Credit limit: $25,000.00 (USD)");
    expect(approval.text).toContain("Payment terms: Net 30");
    expect(approval.text).toContain("We sent you a separate email with a link to choose your password");
    expect(approval.text).not.toContain("If you have an account with us");
  });

  it("can be declined once (in Spanish), and an expired offer cannot be accepted", async () => {
    const rep3 = await portal.signedIn("rep3@accounts.example");
    const esCompany = {
      ...COMPANY,
      applicantName: "Rocío Paredes",
      applicantEmail: "rocio@aceros-paredes.example",
      companyName: "Aceros Paredes",
      taxId: "APA150604AB1",
    };
    const { app } = await apply(portal.browser({ acceptLanguage: "es-MX" }), esCompany, "2,500,000.00", "45");
    expect((await rep3.post(`/rep/credit/applications/${app.id}`, { intent: "approve", limit: "1,000,000.00", termsDays: "30" })).status).toBe(302);
    const { mail, path } = await linkIn(esCompany.applicantEmail, "credit_counter_offer");
    expect(mail.subject).toBe(`Solicitud de crédito ${app.number}: nuestra oferta`);
    expect(mail.text).toContain("Límite de crédito: $1,000,000.00");
    expect(mail.text).toContain("Plazo de pago: Crédito a 30 días");
    expect(mail.text).toContain("La oferta está vigente hasta el");

    const visitor = portal.browser({ acceptLanguage: "es-MX" });
    expect(textOf((await visitor.page(path)).html)).toContain("Rechazar la oferta");
    expect((await visitor.post(path, { intent: "decline_offer", reason: "Necesitamos más plazo" })).status).toBe(302);
    expect((await visitor.post(path, { intent: "decline_offer" })).status).toBe(409);
    expect((await visitor.post(path, { intent: "accept_offer" })).status).toBe(409);
    expect((await portal.db.creditApplication.findUniqueOrThrow({ where: { id: app.id } })).status).toBe("WITHDRAWN");
    expect(await portal.db.account.count({ where: { legalName: "Aceros Paredes" } })).toBe(0);

    // Another offer, left to expire.
    const late = { ...esCompany, applicantEmail: "compras@tarde.example", companyName: "Llega Tarde S.A.", taxId: "LTA150604AB1" };
    const second = await apply(portal.browser({ acceptLanguage: "es-MX" }), late, "2,500,000.00", "45");
    expect((await rep3.post(`/rep/credit/applications/${second.app.id}`, { intent: "approve", limit: "1,000,000.00", termsDays: "30" })).status).toBe(302);
    const offer = await linkIn(late.applicantEmail, "credit_counter_offer");
    await portal.db.creditApplication.update({ where: { id: second.app.id }, data: { offerExpiresAt: new Date(Date.now() - 60_000) } });
    const expired = await visitor.post(offer.path, { intent: "accept_offer" });
    expect(expired.status).toBe(409);
    expect(textOf(await expired.text())).toContain("Esta oferta ya venció");
    expect((await portal.db.creditApplication.findUniqueOrThrow({ where: { id: second.app.id } })).status).toBe("COUNTER_OFFERED");
    expect(await portal.db.account.count({ where: { legalName: "Llega Tarde S.A." } })).toBe(0);
    // The rep can decide it again.
    const repPage = textOf((await rep3.page(`/rep/credit/applications/${second.app.id}`)).html);
    expect(repPage).toContain("you can decide this application again");
    expect((await rep3.post(`/rep/credit/applications/${second.app.id}`, { intent: "decline", declineReason: "Oferta vencida" })).status).toBe(302);
  });
});

describe("escalations", () => {
  it("notify every rep at the required level or above, in their language, and wait in their queue", async () => {
    const app = await portal.db.creditApplication.findFirstOrThrow({ where: { number: "CA-2026-0002" } });
    const rep1 = await portal.signedIn("rep1@accounts.example");
    // MXN 500,000 ≈ USD 28,985.51: above a Rep I (10,000), within a Rep II.
    expect((await rep1.post(`/rep/credit/applications/${app.id}`, { intent: "approve", limit: "500,000.00", termsDays: "30" })).status).toBe(302);
    expect(await portal.db.creditApplication.findUniqueOrThrow({ where: { id: app.id } })).toMatchObject({ status: "ESCALATED", escalatedToLevel: "REP_II" });

    const mails = await portal.db.outboxEmail.findMany({ where: { template: "credit_escalated" } });
    expect(mails.map((m) => m.to).sort()).toEqual(["manager@accounts.example", "rep2@accounts.example", "rep3@accounts.example", "senior@accounts.example"]);
    const beatriz = mails.find((m) => m.to === "rep2@accounts.example")!;
    expect(beatriz.language).toBe("es");
    expect(beatriz.subject).toBe("La solicitud de crédito CA-2026-0002 requiere la decisión de un Ejecutivo II");
    expect(plain(beatriz.text)).toContain(
      `Alice Turner propuso un límite de crédito de $500,000.00 (≈ USD 28,985.51 a 0.05797101, tipo de cambio del ${today()}) con Crédito a 30 días`,
    );
    expect(beatriz.text).toContain(`/rep/credit/applications/${app.id}`);
    const diana = mails.find((m) => m.to === "senior@accounts.example")!;
    expect(diana.language).toBe("en");
    expect(diana.text).toContain(`rate of ${today()}`);

    const rep2 = await portal.signedIn("rep2@accounts.example");
    expect(textOf((await rep2.page("/rep/credit")).html)).toContain("espera a su nivel");
    expect((await rep2.page("/rep/credit")).html).toContain(`data-testid="waiting-CA-2026-0002"`);
    expect((await rep1.page("/rep/credit")).html).not.toContain(`data-testid="waiting-CA-2026-0002"`);
  });
});

describe("a seeded application on the rep's page", () => {
  it("has a scorecard, says why it was not approved automatically, and shows the FX behind the authority check", async () => {
    const app = await portal.db.creditApplication.findFirstOrThrow({ where: { number: "CA-2026-0001" } });
    expect(app.score).not.toBeNull();
    const manager = await portal.signedIn("manager@accounts.example");
    const html = (await manager.page(`/rep/credit/applications/${app.id}`)).html;
    expect(html).toContain(`data-testid="score-breakdown"`);
    const text = textOf(html);
    expect(text).toContain(`Score: ${app.score} / 100`);
    expect(text).not.toContain("Not scored yet.");
    expect(text).toContain("Why it was not approved automatically");
    // EUR 200,000 at the seeded 1.084 is USD 216,800: above the USD 10,000 ceiling.
    expect(text).toContain(`is $216,800.00, converted at 1.084 (EUR → USD), rate of ${today()}, above the automatic-approval ceiling of $10,000.00`);
    expect(text).toContain(`For authority limits: €200,000.00 ≈ $216,800.00 (rate 1.084 EUR → USD, of ${today()})`);

    const rep2 = await portal.signedIn("rep2@accounts.example");
    const es = textOf((await rep2.page(`/rep/credit/applications/${app.id}`)).html);
    expect(es).toContain("Por qué no se aprobó automáticamente");
    expect(es).toContain(`tipo de cambio 1.084 EUR → USD, del ${today()}`);
  });

  it("when approved, mails the limit, terms and currency to the existing customer", async () => {
    const app = await portal.db.creditApplication.findFirstOrThrow({ where: { number: "CA-2026-0001" } });
    const manager = await portal.signedIn("manager@accounts.example");
    expect((await manager.post(`/rep/credit/applications/${app.id}`, { intent: "approve", limit: "200,000.00", termsDays: "60" })).status).toBe(302);
    const mail = await portal.db.outboxEmail.findFirstOrThrow({ where: { to: "admin@herramientas-ibericas.example", template: "credit_approved" } });
    expect(mail.language).toBe("es");
    expect(mail.subject).toBe(`Solicitud de crédito ${app.number}: aprobada`);
    expect(plain(mail.text)).toContain("Límite de crédito: 200.000,00 € (EUR)");
    expect(mail.text).toContain("Plazo de pago: Crédito a 60 días");
    expect(mail.text).toContain("El nuevo límite y el plazo ya están vigentes");
    expect(mail.text).not.toContain("Si ya tiene cuenta");
  });
});
