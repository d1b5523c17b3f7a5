/**
 * Collections worklist, account 360, contact log, notes and timeline (issue 16), through
 * the real routes, in English and Spanish.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
let rep: Browser;
let repEs: Browser;
let acme: { id: string };
let pacific: { id: string };

beforeAll(async () => {
  portal = await startPortal();
  rep = await portal.signedIn("senior@accounts.example");
  repEs = await portal.signedIn("rep2@accounts.example");
  acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
  pacific = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1004" } });
});
afterAll(async () => {
  await portal?.close();
});

function rowIds(html: string): string[] {
  return [...html.matchAll(/data-testid="worklist-row-(ACC-\d+)"/g)].map((m) => m[1]);
}

describe("the worklist", () => {
  it("puts the account with the broken promise first and says why, in English and Spanish", async () => {
    const page = await rep.page("/rep/collections");
    expect(page.status).toBe(200);
    expect(rowIds(page.html)[0]).toBe("ACC-1004");
    const text = textOf(page.html);
    expect(text).toContain("Broke a promise to pay");
    expect(text).toContain("Call today about the broken promise");
    const es = textOf((await repEs.page("/rep/collections")).html);
    expect(es).toContain("Incumplió una promesa de pago");
    expect(es).toContain("Llamar hoy por la promesa incumplida");
  });

  it("filters by currency, language and bucket with a plain GET form", async () => {
    expect(rowIds((await rep.page("/rep/collections?currency=MXN")).html)).toEqual(["ACC-1002"]);
    const spanish = rowIds((await rep.page("/rep/collections?language=es")).html);
    expect(spanish.sort()).toEqual(["ACC-1002", "ACC-1003"]);
    const over90 = rowIds((await rep.page("/rep/collections?bucket=over90")).html);
    expect(over90).toContain("ACC-1004");
    // Nonsense filters are ignored, not a 500.
    expect((await rep.get("/rep/collections?bucket=nope&currency=x&language=zz&owner=")).status).toBe(200);
  });

  it("'next account' walks the ranked list with the filters kept, then says it is done", async () => {
    const ranked = rowIds((await rep.page("/rep/collections?currency=USD")).html);
    const first = await rep.get("/rep/collections/next?currency=USD");
    expect(first.status).toBe(302);
    const firstAt = first.headers.get("location")!;
    expect(firstAt).toContain(`/rep/accounts/${pacific.id}?from=worklist&currency=USD`);
    const page = await rep.page(firstAt);
    expect(page.html).toContain(`/rep/collections/next?after=${pacific.id}&amp;currency=USD`);
    const second = await rep.get(`/rep/collections/next?after=${pacific.id}&currency=USD`);
    const secondId = second.headers.get("location")!.split("/rep/accounts/")[1].split("?")[0];
    const secondNumber = (await portal.db.account.findUniqueOrThrow({ where: { id: secondId } })).number;
    expect(secondNumber).toBe(ranked[1]);
    const end = await rep.get(`/rep/collections/next?after=${secondId}&currency=USD`);
    expect(end.headers.get("location")).toBe("/rep/collections?currency=USD&done=1");
  });
});

describe("the contact log", () => {
  it("logs a contact from a worklist row; it shows on the 360 and its timeline", async () => {
    const res = await rep.post("/rep/collections?currency=USD", {
      intent: "contact",
      accountId: acme.id,
      channel: "PHONE",
      outcome: "PROMISE",
      followUpOn: "",
      note: "Spoke to Pat: wire on Friday",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/rep/collections?currency=USD&saved=${acme.id}`);
    const contacts = textOf((await rep.page(`/rep/accounts/${acme.id}?tab=contacts`)).html);
    expect(contacts).toContain("Spoke to Pat: wire on Friday");
    const timeline = textOf((await rep.page(`/rep/accounts/${acme.id}?tab=timeline`)).html);
    expect(timeline).toContain("Phone: Promise to pay");
  });

  it("logs one from the 360 without JavaScript and comes back to the tab", async () => {
    const res = await repEs.post(`/rep/accounts/${acme.id}/log`, {
      intent: "contact",
      returnTab: "contacts",
      channel: "EMAIL",
      outcome: "LEFT_MESSAGE",
      followUpOn: "",
      note: "Correo a CxP",
    });
    expect(res.status).toBe(303);
    const page = textOf((await repEs.page(res.headers.get("location")!)).html);
    expect(page).toContain("Contacto registrado.");
    expect(page).toContain("Correo a CxP");
  });

  it("refuses bad input with a translated message and writes nothing", async () => {
    const before = await portal.db.collectionContact.count();
    const cases: [Record<string, string>, string, string][] = [
      [{ channel: "PIGEON", outcome: "PAID" }, "Choose how you reached them.", "Elija el medio de contacto."],
      [{ channel: "PHONE", outcome: "MAYBE" }, "Choose what came of it.", "Elija el resultado."],
      [{ channel: "PHONE", outcome: "PAID", followUpOn: "2026-02-30" }, "Enter the follow-up date as a date.", "Escriba la fecha de seguimiento como fecha."],
      [
        { channel: "PHONE", outcome: "PAID", followUpOn: "2099-01-01" },
        "The follow-up date must be from today to a year ahead.",
        "La fecha de seguimiento debe estar entre hoy y dentro de un año.",
      ],
      [{ channel: "PHONE", outcome: "PAID", note: "bad\u0000note" }, "", ""],
    ];
    for (const [fields, en, es] of cases) {
      for (const [browser, expected] of [
        [rep, en],
        [repEs, es],
      ] as const) {
        const res = await browser.post(`/rep/accounts/${acme.id}/log`, { intent: "contact", returnTab: "contacts", ...fields });
        expect(res.status).toBe(303);
        const page = await browser.page(res.headers.get("location")!);
        expect(page.status).toBe(200);
        if (expected) expect(textOf(page.html)).toContain(expected);
      }
      const row = await rep.post("/rep/collections", { intent: "contact", accountId: acme.id, ...fields });
      expect(row.status).toBe(400);
    }
    expect((await rep.post("/rep/collections", { intent: "contact", accountId: "no-such-account", channel: "PHONE", outcome: "PAID" })).status).toBe(404);
    expect(await portal.db.collectionContact.count()).toBe(before);
  });
});

describe("notes and the timeline", () => {
  it("adds a note on the 360 and finds it from another account's search", async () => {
    const res = await rep.post(`/rep/accounts/${pacific.id}/log`, { intent: "note", body: "Referred to legal review — zebra-4471" });
    expect(res.status).toBe(303);
    const found = textOf((await rep.page("/rep/notes?q=ZEBRA-4471")).html);
    expect(found).toContain("Pacific Coast Builders LLC");
    expect(found).toContain("Referred to legal review");
    expect(textOf((await repEs.page("/rep/notes?q=nadaparecido")).html)).toContain("Ninguna nota contiene");
    const empty = await rep.post(`/rep/accounts/${pacific.id}/log`, { intent: "note", body: "   " });
    expect(textOf((await rep.page(empty.headers.get("location")!)).html)).toContain("Write the note first.");
  });

  it("exports the timeline as CSV and PDF, oldest first, with every kind of event seeded", async () => {
    const csv = await rep.get(`/rep/accounts/${pacific.id}/timeline.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const body = await csv.text();
    for (const source of ["Contact", "Note", "Dispute", "Promise", "Hold"]) expect(body, source).toContain(`,${source},`);
    expect(body).toContain("broken");
    const times = body
      .trim()
      .split("\r\n")
      .slice(1)
      .map((l) => l.split(",")[0]);
    expect(times.length).toBeGreaterThan(5);
    const pdf = await repEs.get(`/rep/accounts/${pacific.id}/timeline.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
  });

  it("the 360 shows header, aging, tabs; the invoice tab pages newest first", async () => {
    const page = await rep.page(`/rep/accounts/${acme.id}`);
    const text = textOf(page.html);
    for (const words of ["Credit limit", "Terms", "Owner rep", "Alice Turner", "Language", "1–30", "Timeline"]) expect(text).toContain(words);
    const invoices = await rep.page(`/rep/accounts/${acme.id}?tab=invoices&page=2`);
    expect(textOf(invoices.html)).toMatch(/Page 2 of 3 \(110 invoices\)/);
    expect((await rep.get(`/rep/accounts/${acme.id}?tab=nonsense&page=-4`)).status).toBe(200);
    expect((await rep.get(`/rep/accounts/no-such-account`)).status).toBe(404);
  });

  it("the 360's tabs say each status in the rep's language, never the stored code", async () => {
    const codes = /\b(OPEN|PARTIALLY_PAID|PAID|SUCCEEDED|PARTIALLY_REFUNDED|IN_REVIEW|SUBMITTED|APPROVED|QUEUED|ASSIGNED|CLOSED|CHAT)\b/;
    const norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
    const iberica = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1003" } });
    const seen: Record<string, string> = {};
    for (const [who, account] of [
      [rep, acme],
      [repEs, norte],
      [repEs, iberica],
    ] as const) {
      for (const tab of ["invoices", "payments", "credit", "conversations"]) {
        const text = textOf((await who.page(`/rep/accounts/${account.id}?tab=${tab}`)).html);
        const table = text.slice(text.indexOf("Status") >= 0 ? text.indexOf("Status") : text.indexOf("Estado"));
        expect(table, `${tab} of ${account.id}`).not.toMatch(codes);
        seen[`${who === rep ? "en" : "es"}-${tab}`] = (seen[`${who === rep ? "en" : "es"}-${tab}`] ?? "") + table;
      }
    }
    expect(seen["en-invoices"]).toMatch(/Partly paid|Open/);
    expect(seen["es-invoices"]).toMatch(/Abierta|Pagada parcialmente/);
    expect(seen["es-payments"]).toContain("Recibido");
  });

  it("is staff only: a customer gets 403 on every collections page and download", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example");
    for (const url of [
      "/rep/collections",
      "/rep/collections/next",
      "/rep/notes?q=a",
      `/rep/accounts/${acme.id}/timeline.csv`,
      `/rep/accounts/${acme.id}/timeline.pdf`,
    ]) {
      expect((await customer.get(url)).status, url).toBe(403);
    }
    const before = await portal.db.collectionContact.count();
    expect((await customer.post(`/rep/accounts/${acme.id}/log`, { intent: "contact", channel: "PHONE", outcome: "PAID" })).status).toBe(403);
    expect((await customer.post("/rep/collections", { intent: "contact", accountId: acme.id, channel: "PHONE", outcome: "PAID" })).status).toBe(403);
    expect(await portal.db.collectionContact.count()).toBe(before);
  });
});
