/**
 * Credit end to end over HTTP: a new company's application in Spanish (errors kept
 * as a draft, then submitted), escalation above a rep's authority (no route, field or
 * replay lets a lower level approve), a Senior's approval setting up the account and
 * its first user, auto-approval under the ceiling, counter-offers, information
 * requests, held-order releases within authority, the headroom check, and isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetPathIn, startMailCatcher, type MailCatcher } from "../support/mail-catcher";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
let mailbox: MailCatcher;
beforeAll(async () => {
  // The welcome link exists only in the mail delivered over SMTP (here, to a catcher).
  mailbox = await startMailCatcher();
  portal = await startPortal({ SMTP_URL: mailbox.url });
});
afterAll(async () => {
  await portal?.close();
  await mailbox?.close();
});

const COMPANY_OK = {
  step: "company",
  intent: "next",
  applicantName: "Marisol Treviño",
  applicantEmail: "marisol@ferreteria-treviño.example".replace("ñ", "n"),
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
const REFERENCES_OK = {
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

async function applyAsNewCompany(visitor: Browser, company: Record<string, string>, limit: string, terms: string) {
  expect((await visitor.post("/credit/apply", company)).status).toBe(302);
  expect((await visitor.post("/credit/apply", REFERENCES_OK)).status).toBe(302);
  expect((await visitor.post("/credit/apply", { step: "request", intent: "next", requestedLimit: limit, requestedTermsDays: terms })).status).toBe(302);
  return visitor.post("/credit/apply", { step: "sign", intent: "next", signatureName: company.applicantName, authorize: "yes" });
}

describe("a new company applying in Spanish", () => {
  let visitor: Browser;
  let applicationId: string;

  it("sees Spanish field errors for a bad RFC and an empty field, and keeps its draft", async () => {
    visitor = portal.browser({ acceptLanguage: "es-MX,es;q=0.9" });
    const page = await visitor.page("/credit/apply");
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain("Solicite crédito para su empresa");

    const res = await visitor.post("/credit/apply", { ...COMPANY_OK, taxId: "XYZ-123", city: "" });
    expect(res.status).toBe(400);
    const text = textOf(await res.text());
    expect(text).toContain("Escriba un RFC válido");
    expect(text).toContain("Este campo es obligatorio.");

    const draft = await portal.db.creditApplication.findFirstOrThrow({ where: { status: "DRAFT", accountId: null }, orderBy: { createdAt: "desc" } });
    applicationId = draft.id;
    expect(draft.draft).toMatchObject({ taxId: "XYZ-123", companyName: COMPANY_OK.companyName, applicantEmail: COMPANY_OK.applicantEmail });

    // A reload shows what was typed.
    const reload = await visitor.page("/credit/apply");
    expect(reload.html).toContain("XYZ-123");
    expect(reload.html).toContain("Av. Constitución 1200");
    // Later steps cannot be reached before this one is done.
    expect(textOf((await visitor.page("/credit/apply?step=sign")).html)).toContain("Paso 1 de 4");
  });

  it("gets field errors for an empty trade reference, then submits once it is fixed", async () => {
    expect((await visitor.post("/credit/apply", COMPANY_OK)).status).toBe(302);
    const bad = await visitor.post("/credit/apply", { ...REFERENCES_OK, ref2Company: "", ref2Contact: "", ref2Email: "" });
    expect(bad.status).toBe(400);
    expect(textOf(await bad.text())).toContain("Este campo es obligatorio.");
    expect((await portal.db.creditApplication.findUniqueOrThrow({ where: { id: applicationId } })).draft).toMatchObject({
      ref1Company: "Materiales del Norte",
    });

    expect((await visitor.post("/credit/apply", REFERENCES_OK)).status).toBe(302);
    expect((await visitor.post("/credit/apply", { step: "request", intent: "next", requestedLimit: "2,500,000.00", requestedTermsDays: "45" })).status).toBe(
      302,
    );
    const unsigned = await visitor.post("/credit/apply", { step: "sign", intent: "next", signatureName: "Marisol Treviño" });
    expect(unsigned.status).toBe(400);
    expect(textOf(await unsigned.text())).toContain("Marque la casilla");
    const done = await visitor.post("/credit/apply", { step: "sign", intent: "next", signatureName: "Marisol Treviño", authorize: "yes" });
    expect(done.status).toBe(200);
    expect(textOf(await done.text())).toContain("Recibimos su solicitud");

    const app = await portal.db.creditApplication.findUniqueOrThrow({ where: { id: applicationId }, include: { references: true } });
    expect(app.status).toBe("SUBMITTED");
    expect(app.language).toBe("es");
    expect(app.taxId).toBe("FTR150604AB1");
    expect(app.requestedLimitMinor).toBe(250_000_000n);
    expect(app.references).toHaveLength(2);
    expect(app.signatureName).toBe("Marisol Treviño");
    expect(app.signedAt).toBeInstanceOf(Date);
    expect(app.score).toBeGreaterThan(0);
  });

  it("is escalated by a Rep II above their authority, never approved by them", async () => {
    const rep2 = await portal.signedIn("rep2@accounts.example");
    const queue = textOf((await rep2.page("/rep/credit?language=es")).html);
    expect(queue).toContain("Ferretería Treviño");

    // 2,500,000 MXN ≈ 145,000 USD: above a Rep II (50,000), within a Rep III.
    const res = await rep2.post(`/rep/credit/applications/${applicationId}`, { intent: "approve", limit: "2,500,000.00", termsDays: "45" });
    expect(res.status).toBe(302);
    let app = await portal.db.creditApplication.findUniqueOrThrow({ where: { id: applicationId } });
    expect(app.status).toBe("ESCALATED");
    expect(app.escalatedToLevel).toBe("REP_III");
    expect(app.accountId).toBeNull();
    const page = textOf((await rep2.page(`/rep/credit/applications/${applicationId}?done=escalated&level=REP_III`)).html);
    // Beatriz works in Spanish.
    expect(page).toContain("Excede su nivel de autorización: se turnó a Ejecutivo III.");
    expect(page).toContain("En espera de que decida un Ejecutivo III o superior.");

    // Replaying the same request, or asking for less, cannot approve it now.
    const replays: Record<string, string>[] = [
      { intent: "approve", limit: "2,500,000.00", termsDays: "45" },
      { intent: "approve", limit: "100,000.00", termsDays: "30" },
      { intent: "decline", declineReason: "x" },
    ];
    for (const fields of replays) {
      const replay = await rep2.post(`/rep/credit/applications/${applicationId}`, fields);
      expect(replay.status).toBe(409);
    }
    app = await portal.db.creditApplication.findUniqueOrThrow({ where: { id: applicationId } });
    expect(app.status).toBe("ESCALATED");
    const audit = await portal.db.auditLog.findMany({ where: { entity: "CreditApplication", entityId: applicationId }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["submitted", "escalated"]);

    // Visible to a Senior as theirs to decide.
    const senior = await portal.signedIn("senior@accounts.example");
    const detail = textOf((await senior.page(`/rep/credit/applications/${applicationId}`)).html);
    expect(detail).toContain("Approve");
  });

  it("is approved by a Senior: the account and its first user are set up and mailed in Spanish", async () => {
    const senior = await portal.signedIn("senior@accounts.example");
    const res = await senior.post(`/rep/credit/applications/${applicationId}`, { intent: "approve", limit: "2,500,000.00", termsDays: "45" });
    expect(res.status).toBe(302);
    const app = await portal.db.creditApplication.findUniqueOrThrow({ where: { id: applicationId } });
    expect(app.status).toBe("APPROVED");
    const account = await portal.db.account.findUniqueOrThrow({ where: { id: app.accountId! } });
    expect(account).toMatchObject({
      legalName: COMPANY_OK.companyName,
      currency: "MXN",
      creditLimitMinor: 250_000_000n,
      paymentTermsDays: 45,
      preferredLanguage: "es",
      country: "MX",
    });
    const user = await portal.db.user.findUniqueOrThrow({ where: { email: COMPANY_OK.applicantEmail } });
    expect(user).toMatchObject({ role: "CUSTOMER", accountId: account.id, preferredLanguage: "es" });
    const notes = await portal.db.accountNote.findMany({ where: { accountId: account.id, kind: "credit_decision" } });
    expect(notes).toHaveLength(1);
    const audit = await portal.db.auditLog.findMany({ where: { accountId: account.id } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["account_created", "approved"]));

    const mail = await portal.db.outboxEmail.findFirstOrThrow({ where: { to: COMPANY_OK.applicantEmail, template: "account_welcome" } });
    expect(mail.language).toBe("es");
    expect(mail.subject).toBe("Su acceso al portal de Cuentas de Clientes");
    const token = resetPathIn((await mailbox.waitFor(COMPANY_OK.applicantEmail, /Su acceso al portal/)).text).split("=")[1];
    expect(mail.text).not.toContain(token);
    const visitor = portal.browser();
    expect((await visitor.post("/reset-password", { token, password: "Treviño-Clave-2026", confirm: "Treviño-Clave-2026" })).status).toBe(302);
    expect((await visitor.post("/login", { email: COMPANY_OK.applicantEmail, password: "Treviño-Clave-2026" })).status).toBe(302);
    const credit = textOf((await visitor.page("/credit")).html);
    expect(credit).toContain("$2,500,000.00");
    expect(credit).toContain("Crédito a 45 días");
    expect(credit).toContain("Aprobada");
  });
});

describe("auto-approval and Rep I authority", () => {
  it("approves a low-risk application under the ceiling at once, with an audit entry", async () => {
    const visitor = portal.browser();
    const company = {
      ...COMPANY_OK,
      applicantEmail: "owner@smallco.example",
      companyName: "Small Co LLC",
      country: "US",
      currency: "USD",
      taxId: "12-3456789",
      annualRevenue: "2,000,000.00",
    };
    const res = await applyAsNewCompany(visitor, company, "9,000.00", "30");
    expect(res.status).toBe(200);
    expect(textOf(await res.text())).toContain("It has been approved");
    const app = await portal.db.creditApplication.findFirstOrThrow({ where: { applicantEmail: "owner@smallco.example" } });
    expect(app.status).toBe("APPROVED");
    expect(app.decidedById).toBeNull();
    const audit = await portal.db.auditLog.findFirstOrThrow({ where: { entityId: app.id, action: "auto_approved" } });
    expect(audit.after).toMatchObject({ status: "APPROVED", limitMinor: 9_000_00 });
  });

  it("sends one above the ceiling to review, where a Rep I can only escalate it", async () => {
    const visitor = portal.browser();
    const company = {
      ...COMPANY_OK,
      applicantEmail: "cfo@bigger.example",
      companyName: "Bigger Inc",
      country: "US",
      currency: "USD",
      taxId: "98-7654321",
      annualRevenue: "20,000,000.00",
    };
    await applyAsNewCompany(visitor, company, "40,000.00", "30");
    const app = await portal.db.creditApplication.findFirstOrThrow({ where: { applicantEmail: "cfo@bigger.example" } });
    expect(app.status).toBe("SUBMITTED");

    const rep1 = await portal.signedIn("rep1@accounts.example");
    // Forged fields (a level, an account, a status) are ignored; the session's level decides.
    const res = await rep1.post(`/rep/credit/applications/${app.id}`, {
      intent: "approve",
      limit: "40,000.00",
      termsDays: "30",
      staffLevel: "MANAGER",
      status: "APPROVED",
      accountId: "x",
    });
    expect(res.status).toBe(302);
    expect((await portal.db.creditApplication.findUniqueOrThrow({ where: { id: app.id } })).status).toBe("ESCALATED");
    const replay = await rep1.post(`/rep/credit/applications/${app.id}`, { intent: "approve", limit: "10,000.00", termsDays: "30" });
    expect(replay.status).toBe(409);
    // Terms beyond a Rep I's 30 days escalate too.
    const other = await portal.db.creditApplication.findFirstOrThrow({ where: { number: "CA-2026-0002" } });
    await rep1.post(`/rep/credit/applications/${other.id}`, { intent: "approve", limit: "100,000.00", termsDays: "45" });
    expect(await portal.db.creditApplication.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({ status: "ESCALATED", escalatedToLevel: "REP_II" });
    expect(await portal.db.account.count({ where: { legalName: "Bigger Inc" } })).toBe(0);
  });
});

describe("counter-offers and information requests on an existing account", () => {
  it("lets the customer accept a counter-offer in one step and answer a question", async () => {
    const iberica = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1003" } });
    const app = await portal.db.creditApplication.findFirstOrThrow({ where: { number: "CA-2026-0001" } });
    const rep3 = await portal.signedIn("rep3@accounts.example");
    expect((await rep3.post(`/rep/credit/applications/${app.id}`, { intent: "request_info", infoMessage: "Envíe sus estados financieros 2025." })).status).toBe(
      302,
    );
    const info = await portal.db.outboxEmail.findFirstOrThrow({ where: { to: "admin@herramientas-ibericas.example", template: "credit_info_requested" } });
    expect(info.language).toBe("es");

    const customer = await portal.signedIn("admin@herramientas-ibericas.example");
    expect(textOf((await customer.page("/credit")).html)).toContain("Envíe sus estados financieros 2025.");
    const empty = await customer.post("/credit", { intent: "answer_info", applicationId: app.id, message: "" });
    expect(empty.status).toBe(400);
    expect((await customer.post("/credit", { intent: "answer_info", applicationId: app.id, message: "Los subimos hoy." })).status).toBe(302);
    expect((await portal.db.creditApplication.findUniqueOrThrow({ where: { id: app.id } })).status).toBe("IN_REVIEW");

    // 100,000 EUR ≈ 108,400 USD, Net 45: within a Rep III; lower than asked → a counter-offer.
    expect(
      (
        await rep3.post(`/rep/credit/applications/${app.id}`, {
          intent: "approve",
          limit: "100,000.00",
          termsDays: "45",
          conditions: "Aval personal del director",
        })
      ).status,
    ).toBe(302);
    expect((await portal.db.creditApplication.findUniqueOrThrow({ where: { id: app.id } })).status).toBe("COUNTER_OFFERED");
    expect((await portal.db.account.findUniqueOrThrow({ where: { id: iberica.id } })).creditLimitMinor).toBe(120_000_00n);
    const offer = textOf((await customer.page("/credit")).html);
    // Herramientas Ibéricas is in Spain (es-ES): Spanish figures, the euro sign after them.
    expect(offer.replace(/\u00a0/g, " ")).toContain("Podemos aprobarle 100.000,00 € con Crédito a 45 días.");

    expect((await customer.post("/credit", { intent: "accept_offer", applicationId: app.id })).status).toBe(302);
    expect((await portal.db.account.findUniqueOrThrow({ where: { id: iberica.id } })).creditLimitMinor).toBe(100_000_00n);
    const audit = await portal.db.auditLog.findFirstOrThrow({ where: { entity: "Account", entityId: iberica.id, action: "credit_limit_changed" } });
    expect(audit.before).toMatchObject({ creditLimitMinor: 120_000_00, paymentTermsDays: 45 });
    expect(audit.after).toMatchObject({ creditLimitMinor: 100_000_00, paymentTermsDays: 45 });
  });

  it("treats a lower figure as a limit cut: a Rep I cannot cut an account below what it owes through an application", async () => {
    const acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
    const template = await portal.db.creditApplication.findFirstOrThrow({ where: { number: "CA-2026-0001" } });
    const { id: _id, number: _number, accountId: _accountId, createdAt: _c, updatedAt: _u, ...fields } = template;
    const app = await portal.db.creditApplication.create({
      data: {
        ...fields,
        draft: fields.draft ?? {},
        scoreBreakdown: fields.scoreBreakdown ?? undefined,
        number: "CA-2026-9101",
        accountId: acme.id,
        applicantEmail: "ap@acme-industrial.example",
        language: "en",
        currency: "USD",
        requestedLimitMinor: acme.creditLimitMinor + 50_000_00n,
        status: "SUBMITTED",
        escalatedToLevel: null,
        approvedLimitMinor: null,
        approvedTermsDays: null,
        offerExpiresAt: null,
        decidedAt: null,
        decidedById: null,
        reviewerId: null,
      },
    });
    const rep1 = await portal.signedIn("rep1@accounts.example");
    // 5,000 is within a Rep I's 10,000 to grant, but far below the account's limit and what it owes.
    const res = await rep1.post(`/rep/credit/applications/${app.id}`, { intent: "approve", limit: "5,000.00", termsDays: "30" });
    expect(res.status).toBe(302);
    const after = await portal.db.creditApplication.findUniqueOrThrow({ where: { id: app.id } });
    expect([after.status, after.escalatedToLevel]).toEqual(["ESCALATED", "SENIOR"]);
    expect((await portal.db.account.findUniqueOrThrow({ where: { id: acme.id } })).creditLimitMinor).toBe(acme.creditLimitMinor);
    expect(await portal.db.auditLog.count({ where: { entity: "Account", entityId: acme.id, action: "credit_limit_changed" } })).toBe(0);
  });
});

describe("held orders", () => {
  it("explains a hold to the customer and answers the headroom check with the exact payment", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const text = textOf((await customer.page("/credit")).html);
    expect(text).toContain("SO-1001-5001");
    expect(text).toContain("Over the credit limit");
    const acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
    const bad = await customer.page("/credit?amount=abc");
    expect(textOf(bad.html)).toContain("Enter an amount in numbers");
    const check = textOf((await customer.page("/credit?amount=1,000,000.00")).html);
    expect(check).toContain("An order of $1,000,000.00 would go on credit hold");
    expect(check).toMatch(/Pay \$[\d,]+\.\d{2} now|payment alone will not avoid/);
    expect(acme.number).toBe("ACC-1001");
  });

  it("refuses a release beyond the rep's over-limit authority and lets a higher level release it, with audit", async () => {
    const acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
    const order = await portal.db.order.findFirstOrThrow({ where: { accountId: acme.id, status: "ON_HOLD" } });
    // Put Acme 1,000.00 over its limit: a Rep I (0 over-limit) may not release; a Rep II (5,000) may.
    const exposure = await exposureOf(acme.id);
    await portal.db.account.update({ where: { id: acme.id }, data: { creditLimitMinor: BigInt(exposure - 1_000_00) } });

    const rep1 = await portal.signedIn("rep1@accounts.example");
    const refused = await rep1.post("/rep/credit/held-orders", { orderId: order.id, intent: "release", note: "customer promised" });
    expect(refused.status).toBe(403);
    expect(textOf(await refused.text())).toContain("A Rep II must release it");
    expect((await portal.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("ON_HOLD");

    const rep2 = await portal.signedIn("rep2@accounts.example");
    expect((await rep2.post("/rep/credit/held-orders", { orderId: order.id, intent: "release", note: "Pago comprometido" })).status).toBe(302);
    const released = await portal.db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(released).toMatchObject({ status: "OPEN", releaseNote: "Pago comprometido" });
    const rep2User = await portal.db.user.findUniqueOrThrow({ where: { email: "rep2@accounts.example" } });
    const audit = await portal.db.auditLog.findFirstOrThrow({ where: { entity: "Order", entityId: order.id, action: "hold_released" } });
    expect(audit.actorId).toBe(rep2User.id);
    expect(audit.before).toMatchObject({ status: "ON_HOLD", holdReason: "OVER_LIMIT", exposureMinor: exposure });
    expect(audit.after).toMatchObject({ status: "OPEN", overLimitMinor: 1_000_00 });
    // Still in exposure as an open order.
    expect(await exposureOf(acme.id)).toBe(exposure);
    const customer = await portal.signedIn("ap@acme-industrial.example");
    expect(textOf((await customer.page("/credit")).html)).not.toContain(order.number);
  });

  async function exposureOf(accountId: string) {
    const rep = await portal.signedIn("senior@accounts.example");
    void rep;
    const [orders] = await Promise.all([portal.db.order.aggregate({ where: { accountId, status: { in: ["OPEN", "ON_HOLD"] } }, _sum: { amountMinor: true } })]);
    const invoices = await portal.db.invoice.aggregate({ where: { accountId, status: { in: ["OPEN", "PARTIALLY_PAID"] } }, _sum: { balanceMinor: true } });
    return Number(orders._sum.amountMinor ?? 0n) + Number(invoices._sum.balanceMinor ?? 0n);
  }
});

describe("isolation", () => {
  it("keeps customers out of the rep side and staff out of the customer side", async () => {
    const customer = await portal.signedIn("cxp@distnorte.example");
    const app = await portal.db.creditApplication.findFirstOrThrow({ where: { number: "CA-2026-0002" } });
    for (const url of ["/rep/credit", `/rep/credit/applications/${app.id}`, "/rep/credit/held-orders"]) {
      const res = await customer.get(url);
      expect(res.status, url).toBe(403);
      expect(textOf(await res.text())).not.toContain("Sol del Pacífico");
    }
    const order = await portal.db.order.findFirstOrThrow({ where: { status: "ON_HOLD", account: { number: "ACC-1004" } } });
    expect((await customer.post("/rep/credit/held-orders", { orderId: order.id, intent: "release" })).status).toBe(403);
    expect((await customer.post(`/rep/credit/applications/${app.id}`, { intent: "approve", limit: "1.00", termsDays: "30" })).status).toBe(403);
    expect((await portal.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("ON_HOLD");

    const rep = await portal.signedIn("rep1@accounts.example");
    for (const url of ["/credit", "/credit/apply"]) expect((await rep.get(url)).status, url).toBe(403);
  });

  it("shows a customer only their own applications and orders, whatever the URL or form says", async () => {
    const customer = await portal.signedIn("billing@pacificcoast.example");
    const other = await portal.db.creditApplication.findFirstOrThrow({ where: { number: "CA-2026-0001" } });
    const norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
    const page = textOf((await customer.page(`/credit?accountId=${norte.id}&applicationId=${other.id}`)).html);
    expect(page).toContain("Pacific Coast Builders LLC");
    expect(page).not.toContain("Distribuidora del Norte");
    expect(page).not.toContain("CA-2026-0001");
    expect(page).not.toContain("SO-1002");

    const before = await portal.db.creditApplication.findUniqueOrThrow({ where: { id: other.id } });
    for (const intent of ["accept_offer", "answer_info"]) {
      const res = await customer.post("/credit", { intent, applicationId: other.id, message: "hola", accountId: other.accountId ?? "" });
      expect(res.status).toBe(404);
    }
    expect((await portal.db.creditApplication.findUniqueOrThrow({ where: { id: other.id } })).status).toBe(before.status);

    // The customer's own application form is their own account's, never another's.
    const form = textOf((await customer.page(`/credit/apply?accountId=${norte.id}`)).html);
    expect(form).not.toContain("Distribuidora del Norte");
  });

  it("sends anonymous visitors to sign in, and keeps one visitor's draft from another", async () => {
    for (const url of ["/credit", "/rep/credit", "/rep/credit/held-orders", "/rep/credit/applications/x"]) {
      const res = await portal.browser().get(url);
      expect(res.status, url).toBe(302);
      expect(res.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(url)}`);
    }
    const first = portal.browser();
    await first.post("/credit/apply", { ...COMPANY_OK, applicantEmail: "secret@first.example", taxId: "bad" });
    const second = portal.browser();
    const page = await second.page("/credit/apply");
    expect(page.html).not.toContain("secret@first.example");
    const draft = await portal.db.creditApplication.findFirstOrThrow({ where: { status: "DRAFT", accountId: null }, orderBy: { createdAt: "desc" } });
    const forged = portal.browser();
    const res = await forged.request("/credit/apply", {
      headers: { Cookie: `credit_draft=${encodeURIComponent(JSON.stringify(`${draft.id}.forged-token`))}` },
    });
    expect(await res.text()).not.toContain("secret@first.example");
  });
});

describe("documents", () => {
  const pdf = new TextEncoder().encode("%PDF-1.7\n%âãÏÓ\n1 0 obj<<>>endobj\n");
  const upload = (b: Browser, path: string, fields: Record<string, string>, bytes: Uint8Array, name: string) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append("document", new Blob([bytes.slice()]), name);
    return b.request(path, { method: "POST", body: form });
  };

  it("stores a customer's document for their own application and serves it only to them and to reps", async () => {
    const customer = await portal.signedIn("billing@pacificcoast.example");
    expect((await customer.page("/credit/apply")).status).toBe(200);
    const draft = await portal.db.creditApplication.findFirstOrThrow({ where: { status: "DRAFT", account: { number: "ACC-1004" } } });

    const bad = await upload(customer, "/credit/apply", { step: "company", kind: "TAX_CERTIFICATE" }, new TextEncoder().encode("<html>"), "x.pdf");
    expect(bad.status).toBe(400);
    expect(textOf(await bad.text())).toContain("Upload a PDF, PNG or JPEG file.");
    expect(await portal.db.applicationDocument.count({ where: { applicationId: draft.id } })).toBe(0);

    const ok = await upload(customer, "/credit/apply", { step: "company", kind: "FINANCIAL_STATEMENT", applicationId: "ignored" }, pdf, "Estados 2025.pdf");
    expect(ok.status).toBe(302);
    const doc = await portal.db.applicationDocument.findFirstOrThrow({ where: { applicationId: draft.id } });
    expect(doc).toMatchObject({ kind: "FINANCIAL_STATEMENT", fileName: "Estados 2025.pdf", contentType: "application/pdf" });

    const mine = await customer.get(`/credit/documents/${doc.id}`);
    expect(mine.status).toBe(200);
    expect(mine.headers.get("content-disposition")).toContain("attachment");
    expect(new Uint8Array(await mine.arrayBuffer())).toEqual(pdf);
    const rep = await portal.signedIn("rep1@accounts.example");
    expect((await rep.get(`/credit/documents/${doc.id}`)).status).toBe(200);

    const other = await portal.signedIn("ap@acme-industrial.example");
    const refused = await other.get(`/credit/documents/${doc.id}`);
    expect(refused.status).toBe(404);
    expect(await refused.text()).not.toContain("%PDF");
    expect((await portal.browser().get(`/credit/documents/${doc.id}`)).status).toBe(404);
  });

  it("lets a customer add documents only to their own open application", async () => {
    const customer = await portal.signedIn("cxp@distnorte.example");
    const app = await portal.db.creditApplication.findFirstOrThrow({ where: { number: "CA-2026-0002" } });
    const res = await upload(customer, "/credit", { applicationId: app.id, kind: "OTHER" }, pdf, "x.pdf");
    expect(res.status).toBe(404);
    expect(await portal.db.applicationDocument.count({ where: { applicationId: app.id } })).toBe(0);
  });

  it("lets a new company's applicant read its draft's documents, and nobody else without an account", async () => {
    const visitor = portal.browser();
    await visitor.post("/credit/apply", { ...COMPANY_OK, applicantEmail: "docs@newco.example", taxId: "bad" });
    const ok = await upload(visitor, "/credit/apply", { step: "company", kind: "TAX_CERTIFICATE" }, pdf, "rfc.pdf");
    expect(ok.status).toBe(302);
    const doc = await portal.db.applicationDocument.findFirstOrThrow({ where: { fileName: "rfc.pdf" } });
    expect((await visitor.get(`/credit/documents/${doc.id}`)).status).toBe(200);
    expect((await portal.browser().get(`/credit/documents/${doc.id}`)).status).toBe(404);
    expect((await upload(portal.browser(), "/credit/apply", { step: "company" }, pdf, "y.pdf")).status).toBe(404);
  });
});

describe("changing an existing account's limit or terms", () => {
  it("applies within authority and escalates above it, through the same review queue", async () => {
    const pacific = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1004" } });
    const rep1 = await portal.signedIn("rep1@accounts.example");
    const empty = await rep1.post(`/rep/credit/accounts/${pacific.id}`, { limit: "8,000.00", termsDays: "30", reason: "" });
    expect(empty.status).toBe(400);
    expect(textOf(await empty.text())).toContain("This field is required.");

    // A cut of 80%, below what the account owes: beyond a Rep I's cut authority, within a Senior's.
    const cut = await rep1.post(`/rep/credit/accounts/${pacific.id}`, {
      limit: "8,000.00",
      termsDays: "30",
      reason: "In collections",
      confirmBelowExposure: "yes",
    });
    expect(new URL(cut.headers.get("location")!, portal.url).searchParams.get("level")).toBe("SENIOR");
    expect((await portal.db.account.findUniqueOrThrow({ where: { id: pacific.id } })).creditLimitMinor).toBe(40_000_00n);
    const senior = await portal.signedIn("senior@accounts.example");
    expect(
      (await senior.post(`/rep/credit/accounts/${pacific.id}`, { limit: "8,000.00", termsDays: "30", reason: "In collections", confirmBelowExposure: "yes" }))
        .status,
    ).toBe(302);
    expect(await portal.db.account.findUniqueOrThrow({ where: { id: pacific.id } })).toMatchObject({ creditLimitMinor: 8_000_00n, paymentTermsDays: 30 });
    const audit = await portal.db.auditLog.findFirstOrThrow({
      where: { entity: "Account", entityId: pacific.id, action: "credit_limit_changed" },
      orderBy: { createdAt: "desc" },
    });
    expect(audit.before).toMatchObject({ creditLimitMinor: 40_000_00 });
    expect(audit.after).toMatchObject({ creditLimitMinor: 8_000_00 });

    const res = await rep1.post(`/rep/credit/accounts/${pacific.id}`, { limit: "60,000.00", termsDays: "30", reason: "Paid up" });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!, portal.url);
    expect(location.searchParams.get("level")).toBe("REP_III");
    const requestId = location.searchParams.get("application")!;
    expect((await portal.db.account.findUniqueOrThrow({ where: { id: pacific.id } })).creditLimitMinor).toBe(8_000_00n);
    expect((await rep1.post(`/rep/credit/applications/${requestId}`, { intent: "approve", limit: "60,000.00", termsDays: "30" })).status).toBe(409);

    const rep3 = await portal.signedIn("rep3@accounts.example");
    expect(textOf((await rep3.page("/rep/credit?status=ESCALATED")).html)).toContain("Pacific Coast Builders LLC");
    expect((await rep3.post(`/rep/credit/applications/${requestId}`, { intent: "approve", limit: "60,000.00", termsDays: "30" })).status).toBe(302);
    expect((await portal.db.account.findUniqueOrThrow({ where: { id: pacific.id } })).creditLimitMinor).toBe(60_000_00n);
    // Not shown to the customer as an application of theirs.
    const customer = await portal.signedIn("billing@pacificcoast.example");
    const page = textOf((await customer.page("/credit")).html);
    expect(page).toContain("$60,000.00");
    const request = await portal.db.creditApplication.findUniqueOrThrow({ where: { id: requestId } });
    expect(page).not.toContain(request.number);
  });

  it("is closed to customers and says not found for unknown accounts", async () => {
    const pacific = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1004" } });
    const customer = await portal.signedIn("billing@pacificcoast.example");
    expect((await customer.get(`/rep/credit/accounts/${pacific.id}`)).status).toBe(403);
    expect((await customer.post(`/rep/credit/accounts/${pacific.id}`, { limit: "1,000,000.00", termsDays: "90", reason: "x" })).status).toBe(403);
    expect((await portal.db.account.findUniqueOrThrow({ where: { id: pacific.id } })).creditLimitMinor).not.toBe(1_000_000_00n);
    const rep = await portal.signedIn("rep1@accounts.example");
    expect((await rep.get("/rep/credit/accounts/nope")).status).toBe(404);
  });
});

describe("other decisions", () => {
  it("keeps an order on hold or asks the customer for payment in their language, with audit", async () => {
    const norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
    const order = await portal.db.order.findFirstOrThrow({ where: { accountId: norte.id, status: "ON_HOLD" } });
    const rep2 = await portal.signedIn("rep2@accounts.example");
    expect((await rep2.post("/rep/credit/held-orders", { orderId: order.id, intent: "keep", note: "Sin pago" })).status).toBe(302);
    expect((await rep2.post("/rep/credit/held-orders", { orderId: order.id, intent: "request_payment" })).status).toBe(302);
    expect((await portal.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("ON_HOLD");
    const actions = (await portal.db.auditLog.findMany({ where: { entity: "Order", entityId: order.id } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["hold_kept", "payment_requested"]));
    const mail = await portal.db.outboxEmail.findFirstOrThrow({ where: { to: "cxp@distnorte.example", template: "credit_payment_requested" } });
    expect(mail.language).toBe("es");
    expect(mail.text).toMatch(/Un pago de \$[\d,]+\.\d{2} lo libera/);
    expect((await rep2.post("/rep/credit/held-orders", { orderId: order.id, intent: "explode" })).status).toBe(400);
  });

  it("declines with a reason the applicant reads, and a decided application takes no more decisions", async () => {
    const visitor = portal.browser({ acceptLanguage: "es-ES,es;q=0.9" });
    const company = {
      ...COMPANY_OK,
      applicantEmail: "new@tiny.example",
      companyName: "Tiny Co",
      country: "ES",
      currency: "EUR",
      taxId: "12345678Z",
      yearsInBusiness: "1",
      // A company in Spain writes its amounts as Spain does.
      annualRevenue: "50.000,00",
    };
    await applyAsNewCompany(visitor, company, "40.000,00", "60");
    const app = await portal.db.creditApplication.findFirstOrThrow({ where: { applicantEmail: "new@tiny.example" } });
    expect(app.status).toBe("SUBMITTED");
    // 0 + 0 + 15 + 10 + 10 = 35: exactly the seeded decline threshold, so "review", not "decline".
    expect(app.score).toBe(35);
    expect((app.scoreBreakdown as { recommendation: string }).recommendation).toBe("review");
    const rep3 = await portal.signedIn("rep3@accounts.example");
    const empty = await rep3.post(`/rep/credit/applications/${app.id}`, { intent: "decline", declineReason: "" });
    expect(empty.status).toBe(400);
    expect(
      (await rep3.post(`/rep/credit/applications/${app.id}`, { intent: "decline", declineReason: "Ventas insuficientes para la línea solicitada" })).status,
    ).toBe(302);
    expect((await portal.db.creditApplication.findUniqueOrThrow({ where: { id: app.id } })).status).toBe("DECLINED");
    const mail = await portal.db.outboxEmail.findFirstOrThrow({ where: { to: "new@tiny.example", template: "credit_decision" } });
    expect(mail.subject).toBe(`Solicitud de crédito ${app.number}: Rechazada`);
    expect(mail.text).toContain("Ventas insuficientes para la línea solicitada");
    expect((await rep3.post(`/rep/credit/applications/${app.id}`, { intent: "approve", limit: "1.00", termsDays: "30" })).status).toBe(409);
    expect(await portal.db.account.count({ where: { legalName: "Tiny Co" } })).toBe(0);
  });
});
