/**
 * Issue 15: every customer email is written for the recipient account's locale. A company
 * in Spain (Herramientas Ibéricas, es-ES, Europe/Madrid) reads Spain's words (enlace,
 * reclamación) and figures (1.234,56 €); a company in Mexico (Distribuidora del Norte,
 * es-MX) reads the Americas' (aclaración, $1,234.56). Mail is read from the outbox, after
 * going through the real routes of a built server (dunning runs as the job does).
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runDunning } from "../../app/domain/collections/dunning.server";
import { openDatabase, setDatabase, type Database } from "../../app/utils/db.server";
import { copyTemplate } from "../support/databases";
import { startPortal, type Browser, type TestPortal } from "../support/portal";

const SPAIN = "admin@herramientas-ibericas.example";
const MEXICO = "cxp@distnorte.example";

let portal: TestPortal;
let iberica: { id: string };
let norte: { id: string };
beforeAll(async () => {
  portal = await startPortal();
  iberica = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1003" } });
  norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
});
afterAll(async () => {
  await portal?.close();
});

/** Mail text as a reader sees it: Intl's no-break spaces read as spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

async function newestMail(to: string, template: string, after: Date) {
  for (let tries = 0; tries < 50; tries++) {
    const mail = await portal.db.outboxEmail.findFirst({ where: { to, template, createdAt: { gte: after } }, orderBy: { createdAt: "desc" } });
    if (mail) return { ...mail, subject: plain(mail.subject), text: plain(mail.text) };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${template} mail to ${to}`);
}

/** An open invoice of the account owing more than `minimum`, with nothing in dispute. */
function openInvoice(accountId: string, minimum: bigint) {
  return portal.db.invoice.findFirstOrThrow({
    where: { accountId, status: { in: ["OPEN", "PARTIALLY_PAID"] }, balanceMinor: { gt: minimum }, disputes: { none: {} } },
    orderBy: { dueOn: "asc" },
  });
}

async function pay(customer: Browser, accountId: string, currency: string, typed: string) {
  const invoice = await openInvoice(accountId, 2_000_00n);
  const key = /name="idempotencyKey" value="([^"]+)"/.exec((await customer.page("/pay")).html)![1];
  const started = await customer.request("/pay", {
    method: "POST",
    body: new URLSearchParams({ idempotencyKey: key, currency, invoiceId: invoice.id, [`amount-${invoice.id}`]: typed }),
  });
  expect(started.status).toBe(302);
  const checkout = started.headers.get("location")!;
  expect((await customer.post(checkout, { outcome: "pay" })).status).toBeLessThan(400);
  return invoice;
}

describe("password reset", () => {
  it("reaches Spain and Mexico in Spanish, with Spain's 'enlace'", async () => {
    const since = new Date();
    for (const email of [SPAIN, MEXICO]) expect((await portal.browser().post("/forgot-password", { email })).status).toBeLessThan(500);
    const spain = await newestMail(SPAIN, "password_reset", since);
    expect(spain.language).toBe("es");
    expect(spain.text).toContain("abra este enlace en los próximos 60 minutos");
    expect(spain.text).not.toContain("liga");
    const mexico = await newestMail(MEXICO, "password_reset", since);
    expect(mexico.language).toBe("es");
    expect(mexico.text).toContain("Hola, Lucía Hernández:");
  });
});

describe("payment receipt", () => {
  it("says 1.234,56 € to Spain and $1,234.56 to Mexico", async () => {
    const since = new Date();
    const spainInvoice = await pay(await portal.signedIn(SPAIN), iberica.id, "EUR", "1.234,56");
    const mexicoInvoice = await pay(await portal.signedIn(MEXICO), norte.id, "MXN", "1,234.56");
    const spain = await newestMail(SPAIN, "payment_receipt", since);
    expect(spain.text).toContain("1.234,56 €");
    expect(spain.text).toContain(`${spainInvoice.number}: 1.234,56 €`);
    expect(spain.text).not.toContain("1234,56");
    const mexico = await newestMail(MEXICO, "payment_receipt", since);
    expect(mexico.text).toContain("$1,234.56");
    expect(mexico.text).toContain(`${mexicoInvoice.number}: $1,234.56`);
    // Taken by the sandbox: the customer's copy says no money moved, as the receipt page does.
    expect(mexico.text).toContain("SANDBOX: este pago se hizo en el entorno de prueba. No se movió dinero real.");
  });
});

describe("dispute resolved", () => {
  async function resolvedMail(email: string, accountId: string, typed: string) {
    const customer = await portal.signedIn(email);
    const invoice = await openInvoice(accountId, 2_000_00n);
    const form = new FormData();
    for (const [k, v] of Object.entries({ invoiceId: invoice.id, reason: "PRICING", scope: "invoice", amount: typed, message: "Precio distinto al pactado." }))
      form.append(k, v);
    const opened = await customer.request(`/disputes/new?invoice=${invoice.id}`, { method: "POST", body: form });
    expect(opened.status).toBe(302);
    const dispute = await portal.db.dispute.findFirstOrThrow({ where: { invoiceId: invoice.id }, orderBy: { createdAt: "desc" } });
    const since = new Date();
    const senior = await portal.signedIn("senior@accounts.example", { acceptLanguage: "en-US" });
    expect((await senior.post(`/rep/disputes/${dispute.id}`, { intent: "assign" })).status).toBe(200);
    expect((await senior.post(`/rep/disputes/${dispute.id}`, { intent: "resolve", amount: "1234.56", resolution: "Se abona la diferencia." })).status).toBe(
      200,
    );
    expect((await portal.db.dispute.findUniqueOrThrow({ where: { id: dispute.id } })).status).toBe("RESOLVED_CREDITED");
    return { mail: await newestMail(email, "dispute_resolved", since), dispute };
  }

  it("is a 'reclamación' of 1.234,56 € for Spain and an 'aclaración' of $1,234.56 for Mexico", async () => {
    const spain = await resolvedMail(SPAIN, iberica.id, "1.234,56");
    expect(spain.mail.subject).toBe(`Reclamación ${spain.dispute.number} resuelta con nota de crédito`);
    expect(spain.mail.text).toContain(`su reclamación ${spain.dispute.number}`);
    expect(spain.mail.text).toContain("por 1.234,56 €");
    expect(spain.mail.text).not.toMatch(/aclaraci/i);

    const mexico = await resolvedMail(MEXICO, norte.id, "1,234.56");
    expect(mexico.mail.subject).toBe(`Aclaración ${mexico.dispute.number} resuelta con nota de crédito`);
    expect(mexico.mail.text).toContain(`su aclaración ${mexico.dispute.number}`);
    expect(mexico.mail.text).toContain("por $1,234.56");
    expect(mexico.mail.text).not.toMatch(/reclamaci/i);
  });
});

describe("dunning notice", () => {
  let database: Database;
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const copy = await copyTemplate(inject("templateDatabaseUrl"));
    dispose = copy.dispose;
    database = await openDatabase(copy.url);
    setDatabase(database);
  });
  afterAll(async () => {
    setDatabase(undefined);
    await database?.close();
    await dispose?.();
  });

  it("Spain's says reclamación, enlace and 1.234,56 €; Mexico's says disputa and $1,234.56", async () => {
    const tag = crypto.randomBytes(3).toString("hex");
    const due = (number: string, accountNumber: string, currency: string) =>
      database.prisma.account.findUniqueOrThrow({ where: { number: accountNumber } }).then((account) =>
        database.prisma.invoice.create({
          data: {
            number,
            accountId: account.id,
            currency,
            issuedOn: new Date("2026-11-01T00:00:00Z"),
            dueOn: new Date("2026-12-10T00:00:00Z"),
            totalMinor: 1_234_56n,
            balanceMinor: 1_234_56n,
          },
        }),
      );
    await due(`INV-ES-${tag}`, "ACC-1003", "EUR");
    await due(`INV-MX-${tag}`, "ACC-1002", "MXN");
    await runDunning({ now: new Date("2026-12-10T15:00:00Z") });
    const mail = async (to: string, number: string) => {
      const rows = await database.prisma.outboxEmail.findMany({ where: { to, template: "dunning_notice" } });
      const found = rows.find((r) => r.text.includes(number));
      expect(found, `${to} ${number}`).toBeDefined();
      return plain(found!.text);
    };
    const spain = await mail(SPAIN, `INV-ES-${tag}`);
    expect(spain).toMatch(new RegExp(`INV-ES-${tag}, vence el 10 dic 2026 \\(.+\\): 1\\.234,56 €`));
    expect(spain).toContain("en este enlace");
    expect(spain).toContain("abra una reclamación en el portal");
    expect(spain).not.toContain("disputa");
    const mexico = await mail(MEXICO, `INV-MX-${tag}`);
    expect(mexico).toMatch(new RegExp(`INV-MX-${tag}, vence el .+: \\$1,234\\.56`));
    expect(mexico).toContain("abra una disputa en el portal");
  });
});
