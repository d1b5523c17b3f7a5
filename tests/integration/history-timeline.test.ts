/**
 * History lines and the account timeline (issues 14 and 16), through the routes: every
 * history list is a sentence with who did it in English and Spanish, the seeded
 * collections account's timeline export lists every kind of event in order, and a
 * customer reads their own final demand letters from the portal, never another's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectionsAccount, pastDueInvoice } from "../support/collections-fixtures";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
let senior: Browser;
let repEs: Browser;
let pacific: { id: string; number: string };

beforeAll(async () => {
  portal = await startPortal();
  senior = await portal.signedIn("senior@accounts.example");
  repEs = await portal.signedIn("rep2@accounts.example");
  pacific = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1004" }, select: { id: true, number: true } });
});
afterAll(async () => {
  await portal?.close();
});

/** Stored codes that must never reach a reader. */
const RAW = [
  "events.",
  "history.",
  "timeline.",
  "REP_I",
  "SENIOR",
  "ON_HOLD",
  "PAST_DUE",
  "credit_hold_placed",
  "credit_hold_lifted",
  "hold_released",
  "credit_limit_changed",
  "write_off",
  "final_demand_issued",
  "referred_to_agency",
  "info_requested",
  "document_uploaded",
  "past_due_15",
  "creditDecision",
];

function expectNoRawCodes(text: string) {
  for (const code of RAW) expect(text, code).not.toContain(code);
}

/** CSV rows as cells (RFC 4180 quoting, the separator given). */
function csvRows(body: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const text = body.replace(/^\uFEFF/, "");
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted || (c !== separator && c !== "\r" && c !== "\n")) {
      cell += c;
    } else if (c === separator) {
      row.push(cell);
      cell = "";
    } else if (c === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    }
  }
  return rows;
}

describe("the account timeline export of the seeded collections account", () => {
  it("lists every kind of event, oldest first, with who did it, in English", async () => {
    const res = await senior.get(`/rep/accounts/${pacific.id}/timeline.csv`);
    expect(res.status).toBe(200);
    const [head, ...rows] = csvRows(await res.text(), ",");
    expect(head).toEqual(["When", "Source", "Event", "By", "Detail"]);
    const sources = new Set(rows.map((r) => r[1]));
    for (const source of ["Contact", "Note", "Conversation", "Credit", "Dunning", "Dispute", "Promise", "Hold", "Write-off", "Final demand"]) {
      expect(sources, source).toContain(source);
    }
    const events = rows.map((r) => `${r[2]} | ${r[3]}`);
    const indexOf = (pattern: RegExp) => {
      const i = events.findIndex((e) => pattern.test(e));
      expect(i, String(pattern)).toBeGreaterThanOrEqual(0);
      return i;
    };
    // The seeded history, in the order it happened.
    const order = [
      /^Credit application CA-2026-1004: submitted \| Sam Lee/,
      /^Credit application CA-2026-1004: approved \| Diana Brooks/,
      /^Credit limit changed from \$60,000\.00 to \$40,000\.00 \| Diana Brooks/,
      /^Chat about a payment \| Diana Brooks/,
      /^Reminder "15 days past due" sent for invoice 1004-209001 \(\$180\.00\)/,
      /^Order SO-1004-5900 \(\$2,400\.00\) held/,
      /^Order SO-1004-5900 \(\$2,400\.00\) released \| Diana Brooks/,
      /^Account put on credit hold/,
      /^Credit hold lifted/,
      /^Promise to pay .* logged \| Diana Brooks/,
      /^Note \| Diana Brooks/,
      /^Write-off of \$180\.00 on invoice 1004-209001 proposed \| Alice Turner/,
      /^Write-off of \$180\.00 on invoice 1004-209001 approved \| Diana Brooks/,
      /^Write-off WO-1004-SEED01 of \$180\.00 posted to invoice 1004-209001/,
      /^Write-off of \$500\.00 on invoice .* rejected \| Diana Brooks/,
      /^Promise of .* broken/,
      /^Final demand letter issued in English for \$[\d,.]+ past due \| Diana Brooks/,
      /^Account referred to the collection agency Western Recovery Partners \| Diana Brooks/,
    ].map(indexOf);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(events.some((e) => /^Dispute DSP-1004-\d+ opened on invoice/.test(e))).toBe(true);
    // The people's own words are kept as the detail.
    expect(rows.find((r) => r[2].startsWith("Account referred"))?.[4]).toBe("No payment after the final demand.");
    expectNoRawCodes(rows.flat().join("\n"));
  });

  it("reads in Spanish for a Spanish-speaking rep, and the PDF export is a PDF", async () => {
    const res = await repEs.get(`/rep/accounts/${pacific.id}/timeline.csv`);
    const body = await res.text();
    for (const words of [
      "Castigo WO-1004-SEED01 de",
      "registrado en la factura 1004-209001",
      "Recordatorio",
      "Carta de requerimiento final emitida (idioma: Inglés)",
      "Cuenta enviada a la agencia de cobranza Western Recovery Partners",
      "Solicitud de crédito CA-2026-1004: aprobada",
      "Retención de crédito levantada",
    ]) {
      expect(body, words).toContain(words);
    }
    expectNoRawCodes(body);
    const pdf = await repEs.get(`/rep/accounts/${pacific.id}/timeline.pdf`);
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
  });
});

describe("history lines: translated sentences with who did it", () => {
  it("the 360's audit trail, in English and Spanish", async () => {
    const en = textOf((await senior.page(`/rep/accounts/${pacific.id}?tab=audit`)).html);
    expect(en).toContain("Diana Brooks (Senior Rep) released order SO-1004-5900 from its credit hold: on hold → released");
    expect(en).toContain("Customer Accounts (automatic) put account ACC-1004 on credit hold");
    expect(en).toContain("Diana Brooks (Senior Rep) changed the credit limit or terms of account ACC-1004");
    expect(en).toContain("Credit limit: $60,000.00 → $40,000.00");
    expect(en).toContain("Diana Brooks (Senior Rep) issued a final demand letter");
    expectNoRawCodes(en);
    const es = textOf((await repEs.page(`/rep/accounts/${pacific.id}?tab=audit`)).html);
    expect(es).toContain("Diana Brooks (Ejecutivo Sénior) liberó el pedido SO-1004-5900 de su retención por crédito: retenido");
    expect(es).toContain("Cuentas de Clientes (automático) puso la cuenta ACC-1004 en retención de crédito");
    expect(es).toContain("Diana Brooks (Ejecutivo Sénior) envió la cuenta a una agencia de cobranza");
    expectNoRawCodes(es);
  });

  it("a credit application's history on the rep page and the customer's page, in English and Spanish", async () => {
    const application = await portal.db.creditApplication.findUniqueOrThrow({ where: { number: "CA-2026-1004" } });
    const rep2 = await portal.db.user.findUniqueOrThrow({ where: { email: "rep2@accounts.example" } });
    const later = (minutes: number) => new Date(Date.now() - 60 * 60_000 + minutes * 60_000);
    await portal.db.creditApplicationEvent.createMany({
      data: [
        { applicationId: application.id, kind: "escalated", message: "REP_III", actorId: rep2.id, createdAt: later(1) },
        { applicationId: application.id, kind: "info_requested", message: "Send your latest bank letter.", actorId: rep2.id, createdAt: later(2) },
        { applicationId: application.id, kind: "document_uploaded", message: "bank-letter.pdf", actorId: null, createdAt: later(3) },
      ],
    });

    const en = textOf((await senior.page(`/rep/credit/applications/${application.id}`)).html);
    expect(en).toContain("Sam Lee submitted credit application CA-2026-1004");
    expect(en).toContain("Diana Brooks (Senior Rep) approved credit application CA-2026-1004");
    expect(en).toContain("Beatriz Ramírez (Rep II) sent credit application CA-2026-1004 to a higher approval level");
    expect(en).toContain("Needs: Rep III");
    expect(en).toContain("Message: Send your latest bank letter.");
    expect(en).toContain("Sam Lee uploaded a document to credit application CA-2026-1004");
    expect(en).toContain("File: bank-letter.pdf");
    expectNoRawCodes(en);
    const es = textOf((await repEs.page(`/rep/credit/applications/${application.id}`)).html);
    expect(es).toContain("Beatriz Ramírez (Ejecutivo II) turnó la solicitud de crédito CA-2026-1004 a un nivel de autorización superior");
    expect(es).toContain("Requiere: Ejecutivo III");
    expect(es).toContain("Diana Brooks (Ejecutivo Sénior) aprobó la solicitud de crédito CA-2026-1004");
    expectNoRawCodes(es);

    // The customer does not see the internal escalation, but does see the question and who asked it.
    const customer = await portal.signedIn("billing@pacificcoast.example");
    const mine = textOf((await customer.page("/credit")).html);
    expect(mine).toContain("Beatriz Ramírez (Rep II) asked for more information on credit application CA-2026-1004");
    expect(mine).toContain("Message: Send your latest bank letter.");
    expect(mine).not.toContain("higher approval level");
    expectNoRawCodes(mine);
    await portal.db.user.update({ where: { email: "billing@pacificcoast.example" }, data: { preferredLanguage: "es" } });
    try {
      const spanish = await portal.signedIn("billing@pacificcoast.example");
      const suyo = textOf((await spanish.page("/credit")).html);
      expect(suyo).toContain("Beatriz Ramírez (Ejecutivo II) solicitó más información sobre la solicitud de crédito CA-2026-1004");
      expect(suyo).toContain("Sam Lee subió un documento a la solicitud de crédito CA-2026-1004");
      expectNoRawCodes(suyo);
    } finally {
      await portal.db.user.update({ where: { email: "billing@pacificcoast.example" }, data: { preferredLanguage: "en" } });
    }
  });
});

describe("final demand letters on the customer portal", () => {
  it("the customer is told of their letters and reads them; another customer can neither see nor open them", async () => {
    // The seed's letter of today is stored with the seed's files, not this portal's: today's letter is written anew here.
    await portal.db.finalDemandLetter.deleteMany({ where: { accountId: pacific.id } });
    expect((await senior.post("/rep/collections/final-demands", { intent: "generate", accountId: pacific.id })).status).toBe(302);
    const letter = await portal.db.finalDemandLetter.findFirstOrThrow({ where: { accountId: pacific.id }, orderBy: { createdAt: "desc" } });

    const customer = await portal.signedIn("billing@pacificcoast.example");
    const page = await customer.page("/account");
    expect(textOf(page.html)).toContain("A final demand letter was issued for this account on");
    expect(page.html).toContain(`href="/collections/letters/${letter.id}"`);
    const pdf = await customer.get(`/collections/letters/${letter.id}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");

    const other = await portal.signedIn("cxp@distnorte.example");
    const theirs = await other.page("/account");
    expect(theirs.html).not.toContain("/collections/letters/");
    expect(textOf(theirs.html)).not.toContain("requerimiento final");
    expect((await other.get(`/collections/letters/${letter.id}`)).status).toBe(404);
  });

  it("a Spanish-speaking customer reads the notice in Spanish", async () => {
    await portal.db.user.update({ where: { email: "billing@pacificcoast.example" }, data: { preferredLanguage: "es" } });
    try {
      const customer = await portal.signedIn("billing@pacificcoast.example");
      const text = textOf((await customer.page("/account")).html);
      expect(text).toContain("Requerimiento final de pago");
      expect(text).toContain("Se emitió una carta de requerimiento final para esta cuenta el");
      expect(text).toContain("Leer la carta (PDF)");
    } finally {
      await portal.db.user.update({ where: { email: "billing@pacificcoast.example" }, data: { preferredLanguage: "en" } });
    }
  });
});

describe("a balance lowered without a payment runs the hold-release rule", () => {
  it("a write-off that clears the past-due balance releases a past-due hold once, however many approvals race, and tells the customer", async () => {
    const account = await collectionsAccount(portal.db, { country: "US", language: "en", locale: "en-US", timeZone: "America/Chicago", currency: "USD" });
    const invoice = await pastDueInvoice(portal.db, account, 40, 3_000_00n);
    const order = await portal.db.order.create({
      data: {
        number: `SO-T-${account.number.slice(5)}`,
        accountId: account.id,
        currency: "USD",
        amountMinor: 1_000_00n,
        status: "ON_HOLD",
        holdReason: "PAST_DUE",
        heldAt: new Date(),
      },
    });
    const rep1 = await portal.signedIn("rep1@accounts.example");
    const proposed = await rep1.post("/rep/collections/write-offs", {
      intent: "propose",
      accountId: account.id,
      invoiceNumber: invoice.number,
      amount: "3,000.00",
      reason: "Customer out of business; uncollectable.",
      returnTo: `/rep/accounts/${account.id}`,
    });
    expect(proposed.headers.get("location")).toContain("writeOff=queued");
    // Waiting for approval releases nothing.
    expect((await portal.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("ON_HOLD");

    const request = await portal.db.writeOffRequest.findFirstOrThrow({ where: { invoiceId: invoice.id, status: "PENDING" } });
    const responses = await Promise.all(
      Array.from({ length: 4 }, () => senior.post("/rep/collections/write-offs", { intent: "approve", requestId: request.id, note: "Approved" })),
    );
    await Promise.all(responses.map((r) => r.arrayBuffer()));
    expect(responses.map((r) => r.status).sort()).toEqual([302, 409, 409, 409]);

    expect((await portal.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("OPEN");
    expect(await portal.db.auditLog.count({ where: { entityId: order.id, action: "hold_released" } })).toBe(1);
    const mail = await portal.db.outboxEmail.findMany({ where: { to: account.email, template: "orders_released" } });
    expect(mail).toHaveLength(1);
    expect(mail[0].text).toContain(order.number);
  });
});

describe("disputing a paid invoice", () => {
  it("the new-dispute page states the paid amount and what may be disputed, not a $0 balance, in English and Spanish", async () => {
    const paidOf = async (number: string) => {
      const account = await portal.db.account.findUniqueOrThrow({ where: { number } });
      return portal.db.invoice.findFirstOrThrow({ where: { accountId: account.id, status: "PAID", disputes: { none: {} } }, orderBy: { dueOn: "asc" } });
    };
    const acmeInvoice = await paidOf("ACC-1001");
    const en = textOf((await (await portal.signedIn("ap@acme-industrial.example")).page(`/disputes/new?invoice=${acmeInvoice.id}`)).html);
    expect(en).toMatch(/This invoice is paid in full \(\$[\d,]+\.\d\d\)\. You may dispute up to \$[\d,]+\.\d\d/);
    expect(en).not.toContain("open balance of $0.00");
    const norteInvoice = await paidOf("ACC-1002");
    const es = textOf((await (await portal.signedIn("cxp@distnorte.example")).page(`/disputes/new?invoice=${norteInvoice.id}`)).html);
    expect(es).toContain("Esta factura está pagada en su totalidad");
    expect(es).toContain("Puede aclarar hasta");
    expect(es).not.toMatch(/saldo pendiente de \S*0[.,]00/);
  });
});
