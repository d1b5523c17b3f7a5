/**
 * Languages, words and times per reader, through the real routes and sockets: the
 * language picked on the sign-in page wins and is kept; system lines and notes written
 * by chat actions are stored as data and read in each reader's language; transcripts
 * show the customer's own time and the rep's name; an account in Spain reads Spain's
 * Spanish words and figures.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../prisma/demo-users";
import { chatSockets, clearChatFloor, keepChatOpenAllDay, next } from "../support/sockets";
import { startPortal, textOf, type TestPortal } from "../support/portal";
import { promisableInvoices } from "../../app/domain/collections/promises.server";

type Any = any;

let portal: TestPortal;
const chats = chatSockets({
  get url() {
    return portal.url;
  },
  signedIn: (email) => portal.signedIn(email),
});
let norte: { id: string; timeZone: string };
let iberica: { id: string };

beforeAll(async () => {
  portal = await startPortal();
  norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
  iberica = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1003" } });
  await keepChatOpenAllDay(portal.db);
});
afterAll(async () => {
  chats.closeAll();
  await portal?.close();
});
beforeEach(async () => {
  chats.closeAll();
  await clearChatFloor(portal.db);
});

const plain = (html: string) => textOf(html).replace(/[\u202f\u00a0]/g, " ");

const { chatBetween } = chats;

function isoDay(offsetDays: number) {
  return new Date(Date.now() + offsetDays * 86400_000).toISOString().slice(0, 10);
}

describe("the language picked on the sign-in page", () => {
  it("wins over the saved profile and becomes it", async () => {
    const email = "ap@acme-industrial.example";
    expect((await portal.db.user.findUniqueOrThrow({ where: { email } })).preferredLanguage).not.toBe("es");
    const visitor = portal.browser({ acceptLanguage: "en-US" });
    const switched = await visitor.post("/set-language", { language: "es", redirectTo: "/login?redirectTo=%2Faccount" });
    const signInPage = switched.headers.get("location")!;
    expect(new URL(signInPage, "http://x").searchParams.get("redirectTo")).toBe("/account");
    // The sign-in form, as served after the switch, carries the choice (no script needed).
    const form = await visitor.page(signInPage);
    expect(form.html).toMatch(/<input type="hidden" name="language" value="es"\/>/);
    expect((await visitor.post(signInPage, { email, password: DEMO_PASSWORD, language: "es", redirectTo: "/account" })).status).toBe(302);
    expect((await portal.db.user.findUniqueOrThrow({ where: { email } })).preferredLanguage).toBe("es");
    const page = await visitor.page("/account");
    expect(page.html).toContain('<html lang="es"');
    expect(plain(page.html)).toContain("Mi cuenta");
    // The choice follows them to another device, where nothing was picked.
    expect((await (await portal.signedIn(email, { acceptLanguage: "en-US" })).page("/account")).html).toContain('<html lang="es"');
  });

  it("takes a language sent with the sign-in form, and ignores one it does not speak", async () => {
    const email = "billing@pacificcoast.example";
    const before = (await portal.db.user.findUniqueOrThrow({ where: { email } })).preferredLanguage;
    const odd = portal.browser();
    expect((await odd.post("/login", { email, password: DEMO_PASSWORD, language: "fr" })).status).toBe(302);
    expect((await portal.db.user.findUniqueOrThrow({ where: { email } })).preferredLanguage).toBe(before);

    const browser = portal.browser({ acceptLanguage: "en-US" });
    expect((await browser.post("/login", { email, password: DEMO_PASSWORD, language: "es" })).status).toBe(302);
    expect((await portal.db.user.findUniqueOrThrow({ where: { email } })).preferredLanguage).toBe("es");
    expect((await browser.page("/account")).html).toContain('<html lang="es"');
  });

  it("does not take a language another person left in a shared browser", async () => {
    const email = "rep2@accounts.example";
    const before = (await portal.db.user.findUniqueOrThrow({ where: { email } })).preferredLanguage;
    const shared = portal.browser({ acceptLanguage: "en-US" });
    // Someone applied in Spanish on this browser earlier; the cookie stays, the choice was theirs.
    await shared.post("/set-language", { language: "es", redirectTo: "/apply" });
    const signInPage = await shared.page("/login");
    expect(signInPage.html).not.toContain('type="hidden" name="language"');
    expect((await shared.post("/login", { email, password: DEMO_PASSWORD })).status).toBe(302);
    expect((await portal.db.user.findUniqueOrThrow({ where: { email } })).preferredLanguage).toBe(before);
  });

  it("leaves the profile alone when nothing was picked", async () => {
    const email = "cxp@distnorte.example";
    const browser = await portal.signedIn(email, { acceptLanguage: "en-US" });
    expect((await portal.db.user.findUniqueOrThrow({ where: { email } })).preferredLanguage).toBe("es");
    expect((await browser.page("/account")).html).toContain('<html lang="es"');
  });
});

describe("system lines and chat notes are data, read in each reader's language", () => {
  it("stores the promise note as a code and values: a Spanish-only rep reads Spanish, an English rep English, an old note as written", async () => {
    const { repBrowser, conversationId, joined } = await chatBetween("cxp@distnorte.example", "rep2@accounts.example");
    // The thread's system lines carry their code, so the console shows them in the rep's words.
    const opened = (joined.messages as Any[]).find((m) => m.authorKind === "SYSTEM");
    expect(opened.event).toEqual({ code: "chat:system.opened", values: {} });

    const date = isoDay(7);
    const norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
    const covered = (await promisableInvoices(norte.id)).find((i) => i.balanceMinor >= 1_500_00n)!;
    const res = await repBrowser.request(`/rep/chat/conversations/${conversationId}/actions`, {
      method: "POST",
      body: new URLSearchParams([
        ["intent", "promise"],
        ["invoiceId", covered.id],
        ["amount", "1,500.00"],
        ["promisedFor", date],
        ["note", "Transferencia el viernes"],
      ]),
    });
    expect(res.status).toBe(200);
    const note = await portal.db.accountNote.findFirstOrThrow({ where: { accountId: norte.id, kind: "promise_to_pay" }, orderBy: { createdAt: "desc" } });
    expect(note.event).toEqual({
      code: "chat:actions.note.promise",
      values: { amount: { amountMinor: 150000, currency: "MXN" }, date },
      detail: "Transferencia el viernes",
    });
    await portal.db.accountNote.create({ data: { accountId: norte.id, kind: "note", body: "Old plain note from before events" } });

    const day = (locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${date}T12:00:00Z`));
    const spanish = plain((await repBrowser.page(`/rep/accounts/${norte.id}?tab=notes`)).html);
    expect(spanish).toContain(`Promesa de pago de $1,500.00 a más tardar el ${day("es-MX")} (registrada en el chat).`);
    expect(spanish).toContain("Transferencia el viernes");
    expect(spanish).not.toContain("(logged in chat)");
    expect(spanish).toContain("Old plain note from before events");

    const english = await portal.signedIn("rep1@accounts.example", { acceptLanguage: "en-US" });
    const text = plain((await english.page(`/rep/accounts/${norte.id}?tab=notes`)).html);
    expect(text).toContain(`Promise to pay MX$1,500.00 by ${day("en-US")} (logged in chat).`);
    expect(text).not.toContain("registrada en el chat");
    // The timeline reads the same note in the reader's words too.
    expect(plain((await english.page(`/rep/accounts/${norte.id}?tab=timeline`)).html)).toContain("(logged in chat)");
  });

  it("sends a system line to each side with its code, and keeps the conversation's language as its text", async () => {
    const { customer, rep, conversationId } = await chatBetween("cxp@distnorte.example", "rep3@accounts.example");
    const closedAtRep = next(rep, "conversation:message", (m: Any) => m.authorKind === "SYSTEM" && m.conversationId === conversationId);
    const closedAtCustomer = next(customer, "conversation:message", (m: Any) => m.authorKind === "SYSTEM");
    expect((await rep.emitWithAck("console:close", { conversationId, disposition: "resolved" })).data).toBeDefined();
    for (const line of [await closedAtRep, await closedAtCustomer]) {
      expect(line.event).toEqual({ code: "chat:system.closed", values: {} });
      expect(line.body).toBe("Este chat se cerró. Gracias por comunicarse con Cuentas de Clientes.");
    }
    const summary = await portal.db.accountNote.findFirstOrThrow({ where: { accountId: norte.id, kind: "chat_summary" }, orderBy: { createdAt: "desc" } });
    expect(summary.event).toMatchObject({
      code: "chat:note.summary",
      values: { topic: { key: "chat:topics.PAYMENT" }, disposition: { key: "chat:dispositions.resolved" } },
    });
    const spanishRep = await portal.signedIn("rep2@accounts.example");
    expect(plain((await spanishRep.page(`/rep/accounts/${norte.id}?tab=notes`)).html)).toMatch(/Chat sobre Pago/);
  });
});

describe("transcripts", () => {
  it("show the customer's own time (Monterrey, not UTC) and the rep's name", async () => {
    const { customer, rep, conversationId } = await chatBetween("cxp@distnorte.example", "rep2@accounts.example");
    await customer.emitWithAck("conversation:send", { conversationId, clientMessageId: "tz-1", body: "¿Me manda mi saldo?" });
    await rep.emitWithAck("console:send", { conversationId, clientMessageId: "tz-2", body: "Claro, se lo envío." });
    expect(await customer.emitWithAck("conversation:transcript", { conversationId })).toEqual({ data: { ok: true } });
    const mail = await portal.db.outboxEmail.findFirstOrThrow({
      where: { to: "cxp@distnorte.example", template: "chat_transcript" },
      orderBy: { createdAt: "desc" },
    });
    const sent = await portal.db.message.findFirstOrThrow({ where: { conversationId, clientMessageId: "tz-2" } });
    const monterrey = new Intl.DateTimeFormat("es-MX", {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZone: norte.timeZone,
      timeZoneName: "short",
    }).format(sent.createdAt);
    expect(norte.timeZone).toBe("America/Monterrey");
    expect(mail.text).toContain(`[${monterrey}] Beatriz Ramírez: Claro, se lo envío.`);
    expect(mail.text).toContain("] Usted: ¿Me manda mi saldo?");
    expect(mail.text).not.toContain("UTC");
    expect(mail.text).not.toContain("—:");
    expect(mail.text).not.toContain("Cuentas de Clientes: ");
  });
});

describe("an account in Spain reads Spain's Spanish", () => {
  it("gets 'reclamación' and 'extracto' where Mexico reads 'aclaración' and 'estado de cuenta', with Spain's figures", async () => {
    const spain = await portal.signedIn("admin@herramientas-ibericas.example");
    const account = await spain.page("/account");
    expect(account.html).toContain('<html lang="es-ES"');
    expect(plain(account.html)).toContain("120.000,00 €");
    const invoices = plain((await spain.page("/invoices")).html);
    expect(invoices).toContain("Mis reclamaciones");
    expect(invoices).toContain("Extracto de cuenta");
    const disputes = plain((await spain.page("/disputes")).html);
    expect(disputes).toContain("Reclamaciones");
    expect(disputes).not.toContain("Aclaraciones");
    // Keys Spain does not override fall back to the shared Spanish.
    expect(disputes).toContain("Factura");
    expect(plain((await spain.page("/statement")).html)).toContain("Extracto de cuenta");

    const mexico = await portal.signedIn("cxp@distnorte.example");
    const mx = await mexico.page("/disputes");
    expect(mx.html).toContain('<html lang="es"');
    expect(plain(mx.html)).toContain("Aclaraciones");
    expect(plain((await mexico.page("/statement")).html)).toContain("Estado de cuenta");
    expect(iberica.id).toBeTruthy();
  });
});
