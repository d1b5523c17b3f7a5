/**
 * Cards in the chat (issue 15): a pay link, a promise to pay and a dispute sent from the
 * rep's Act panel reach the customer as data (kind, invoices, amounts in minor units, the
 * pay or dispute path, the promised day) through the real route and sockets, so each
 * reader renders them in their own language and figures. The transcript reads each card
 * as one line ("Pay $…" / "Pagar …"), a card's pay link opens the pay page with its
 * invoices chosen, another customer gets nothing from someone else's card, and messages
 * stored without a card read as they always did.
 */
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { chatSockets, next, keepChatOpenAllDay, clearChatFloor } from "../support/sockets";
import type { Browser } from "../support/portal";
import { startPortal, textOf, type TestPortal } from "../support/portal";

type Any = any;

let portal: TestPortal;
const chats = chatSockets({
  get url() {
    return portal.url;
  },
  signedIn: (email) => portal.signedIn(email),
});
let acme: { id: string };
let norte: { id: string };
let iberica: { id: string };

beforeAll(async () => {
  portal = await startPortal();
  acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
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

const { open, chatBetween } = chats;

function act(browser: Browser, conversationId: string, fields: [string, string][]) {
  return browser.request(`/rep/chat/conversations/${conversationId}/actions`, { method: "POST", body: new URLSearchParams(fields) });
}

async function openInvoices(accountId: string, take: number) {
  return portal.db.invoice.findMany({
    where: { accountId, status: { in: ["OPEN", "PARTIALLY_PAID"] }, balanceMinor: { gt: 0n }, disputes: { none: {} } },
    orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    take,
  });
}

/** Sends a pay link for `invoices` and returns the message the customer and the rep receive live. */
async function sendPayLink(chat: Awaited<ReturnType<typeof chatBetween>>, invoiceIds: string[]) {
  const atCustomer = next(chat.customer, "conversation:message", (m: Any) => m.authorKind === "REP");
  const atRep = next(chat.rep, "conversation:message", (m: Any) => m.authorKind === "REP");
  const res = await act(chat.repBrowser, chat.conversationId, [["intent", "pay_link"], ...invoiceIds.map((id) => ["invoiceId", id] as [string, string])]);
  expect(res.status).toBe(200);
  return { atCustomer: await atCustomer, atRep: await atRep };
}

async function transcriptOf(customer: Socket, conversationId: string, to: string): Promise<string> {
  expect(await customer.emitWithAck("conversation:transcript", { conversationId })).toEqual({ data: { ok: true } });
  const mail = await portal.db.outboxEmail.findFirstOrThrow({ where: { to, template: "chat_transcript" }, orderBy: { createdAt: "desc" } });
  return mail.text;
}

/** The amount as a reader in `locale` writes it (Intl's own rules, not the portal's code; thousands grouped, Spain's 1.234,56 € too). */
function written(amountMinor: number, currency: string, locale: string) {
  return new Intl.NumberFormat(locale, { style: "currency", currency, useGrouping: "always" } as Intl.NumberFormatOptions).format(amountMinor / 100);
}

/** Is the invoice's checkbox on the pay page ticked? */
function chosenOnPayPage(html: string, invoiceId: string) {
  const input = new RegExp(`<input[^>]*id="pick-${invoiceId}"[^>]*>`).exec(html)?.[0] ?? "";
  return /\schecked(=|\s|\/|>)/.test(input);
}

function isoDay(offsetDays: number) {
  return new Date(Date.now() + offsetDays * 86400_000).toISOString().slice(0, 10);
}

describe("a pay link card", () => {
  it("reaches the customer as data, opens the pay page with its invoices chosen, and reads 'Pay $…' in the transcript", async () => {
    const chat = await chatBetween("ap@acme-industrial.example", "rep1@accounts.example");
    const invoices = await openInvoices(acme.id, 2);
    const total = invoices.reduce((sum, i) => sum + Number(i.balanceMinor), 0);
    const { atCustomer, atRep } = await sendPayLink(
      chat,
      invoices.map((i) => i.id),
    );

    // The card is data: kind, invoice numbers, amounts in minor units with the currency, the pay page's path.
    expect(atCustomer.event.card).toEqual({
      kind: "pay_link",
      total: { amountMinor: total, currency: "USD" },
      invoices: invoices.map((i) => ({ id: i.id, number: i.number, balance: { amountMinor: Number(i.balanceMinor), currency: "USD" } })),
      path: `/pay?currency=USD&${invoices.map((i) => `invoice=${i.id}`).join("&")}`,
    });
    expect(atCustomer.event).toMatchObject({ code: "chat:cards.payLink.line", values: { total: { amountMinor: total, currency: "USD" } } });
    // No formatted figure stored in the card: each reader formats it.
    expect(JSON.stringify(atCustomer.event.card)).not.toContain("$");
    expect(atRep.seq).toBe(atCustomer.seq);
    expect(atRep.event.card).toEqual(atCustomer.event.card);

    // A reconnecting widget gets the same card back.
    const rejoined = await chat.customer.emitWithAck("conversation:join", { conversationId: chat.conversationId, afterSeq: "0" });
    expect(rejoined.data.messages.find((m: Any) => m.seq === atCustomer.seq).event.card).toEqual(atCustomer.event.card);

    // The card's link opens the pay page with exactly its invoices chosen.
    const page = await chat.customerBrowser.page(atCustomer.event.card.path);
    expect(page.status).toBe(200);
    for (const inv of invoices) expect(chosenOnPayPage(page.html, inv.id), inv.number).toBe(true);

    // The transcript reads the card as a line: the total as the account writes it, the invoices, the link.
    const text = await transcriptOf(chat.customer, chat.conversationId, "ap@acme-industrial.example");
    const amount = written(total, "USD", "en-US");
    expect(text).toContain(`Pay ${amount} — invoices ${invoices.map((i) => i.number).join(", ")}: ${portal.url}${atCustomer.event.card.path}`);
    expect(text).not.toContain('"kind"');
  });

  it("reads 'Pagar …' to a customer in Mexico, in Mexico's figures", async () => {
    const chat = await chatBetween("cxp@distnorte.example", "rep2@accounts.example");
    const [invoice] = await openInvoices(norte.id, 1);
    const { atCustomer } = await sendPayLink(chat, [invoice.id]);
    expect(atCustomer.event.card).toMatchObject({ kind: "pay_link", total: { amountMinor: Number(invoice.balanceMinor), currency: "MXN" } });
    const text = await transcriptOf(chat.customer, chat.conversationId, "cxp@distnorte.example");
    expect(text).toContain(`Pagar ${written(Number(invoice.balanceMinor), "MXN", "es-MX")} — factura ${invoice.number}: `);
    expect(text).toContain(`${portal.url}/pay?currency=MXN&invoice=${invoice.id}`);
  });

  it("reads 'Pagar …' to a customer in Spain, in Spain's figures", async () => {
    const chat = await chatBetween("admin@herramientas-ibericas.example", "rep3@accounts.example");
    const invoices = await openInvoices(iberica.id, 2);
    const total = invoices.reduce((sum, i) => sum + Number(i.balanceMinor), 0);
    const { atCustomer } = await sendPayLink(
      chat,
      invoices.map((i) => i.id),
    );
    expect(atCustomer.event.card.total).toEqual({ amountMinor: total, currency: "EUR" });
    const text = await transcriptOf(chat.customer, chat.conversationId, "admin@herramientas-ibericas.example");
    const amount = written(total, "EUR", "es-ES");
    expect(amount).toMatch(/,\d{2}\s€$/);
    expect(text).toContain(`Pagar ${amount} — facturas ${invoices.map((i) => i.number).join(", ")}: `);
  });
});

describe("promise and dispute cards", () => {
  it("carry the promise (amount, day, invoices) and the dispute (number, invoice, amount, page), read in Spain's words", async () => {
    const chat = await chatBetween("admin@herramientas-ibericas.example", "rep3@accounts.example");
    const [first, second, third] = await openInvoices(iberica.id, 3);
    const day = isoDay(5);

    const promised = next(chat.customer, "conversation:message", (m: Any) => m.authorKind === "REP");
    const res = await act(chat.repBrowser, chat.conversationId, [
      ["intent", "promise"],
      ["amount", "100"],
      ["promisedFor", day],
      ["invoiceId", first.id],
      ["invoiceId", second.id],
    ]);
    expect(res.status).toBe(200);
    const promise = await promised;
    expect(promise.event.card).toEqual({
      kind: "promise",
      amount: { amountMinor: 10000, currency: "EUR" },
      promisedFor: day,
      invoices: [first, second].map((i) => ({ id: i.id, number: i.number })),
    });
    // The promise itself covers those invoices.
    const stored = await portal.db.promiseToPay.findFirstOrThrow({
      where: { accountId: iberica.id },
      orderBy: { createdAt: "desc" },
      include: { invoices: true },
    });
    expect(stored.invoices.map((i) => i.invoiceId).sort()).toEqual([first.id, second.id].sort());

    const disputed = next(chat.customer, "conversation:message", (m: Any) => m.authorKind === "REP");
    expect(
      (
        await act(chat.repBrowser, chat.conversationId, [
          ["intent", "dispute"],
          ["invoiceId", third.id],
          ["reason", "PRICING"],
          ["scope", "invoice"],
          ["amount", ""],
          ["message", "El precio no coincide con la cotización."],
        ])
      ).status,
    ).toBe(200);
    const dispute = await portal.db.dispute.findFirstOrThrow({ where: { accountId: iberica.id, invoiceId: third.id } });
    expect((await disputed).event.card).toEqual({
      kind: "dispute",
      disputeId: dispute.id,
      number: dispute.number,
      invoice: { id: third.id, number: third.number },
      amount: { amountMinor: Number(dispute.amountMinor), currency: "EUR" },
      path: `/disputes/${dispute.id}`,
    });
    // The dispute card's link is the customer's own dispute page.
    const page = await chat.customerBrowser.page(`/disputes/${dispute.id}`);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain(dispute.number);

    const text = await transcriptOf(chat.customer, chat.conversationId, "admin@herramientas-ibericas.example");
    const longDay = new Intl.DateTimeFormat("es-ES", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${day}T12:00:00Z`));
    expect(text).toContain(`Promesa de pago de ${written(10000, "EUR", "es-ES")} a más tardar el ${longDay} — facturas ${first.number}, ${second.number}`);
    // Spain's word for a dispute.
    expect(text).toContain(
      `Reclamación ${dispute.number} sobre la factura ${third.number} por ${written(Number(dispute.amountMinor), "EUR", "es-ES")}: ${portal.url}/disputes/${dispute.id}`,
    );
  });

  it("refuses a promise over another account's invoice, with a translated error and no change", async () => {
    const chat = await chatBetween("ap@acme-industrial.example", "rep1@accounts.example");
    const [theirs] = await openInvoices(norte.id, 1);
    const before = await portal.db.promiseToPay.count({ where: { accountId: acme.id } });
    const messages = await portal.db.message.count({ where: { conversationId: chat.conversationId } });
    const res = await act(chat.repBrowser, chat.conversationId, [
      ["intent", "promise"],
      ["amount", "10.00"],
      ["promisedFor", isoDay(3)],
      ["invoiceId", theirs.id],
    ]);
    expect(res.status).toBe(400);
    // Another account's invoice reads as one that cannot be promised, as on the account page.
    expect(await res.json()).toMatchObject({ ok: false, fieldErrors: { invoiceIds: "collections:promises.errors.notPromisable" } });
    expect(await portal.db.promiseToPay.count({ where: { accountId: acme.id } })).toBe(before);
    expect(await portal.db.message.count({ where: { conversationId: chat.conversationId } })).toBe(messages);
  });
});

describe("whose cards", () => {
  it("another customer neither receives the card nor gets anything from its links", async () => {
    const chat = await chatBetween("ap@acme-industrial.example", "rep1@accounts.example");
    const [invoice] = await openInvoices(acme.id, 1);
    const stranger = await portal.signedIn("cxp@distnorte.example");
    const strangerSocket = await open(stranger);
    const heard: Any[] = [];
    strangerSocket.on("conversation:message", (m: Any) => heard.push(m));
    const { atCustomer } = await sendPayLink(chat, [invoice.id]);

    // Not delivered to them, and joining the conversation is refused.
    expect(heard).toEqual([]);
    expect((await strangerSocket.emitWithAck("conversation:join", { conversationId: chat.conversationId })).error).toBeTruthy();
    expect(await strangerSocket.emitWithAck("conversation:transcript", { conversationId: chat.conversationId })).toEqual({ error: "chat:errors.notFound" });

    // The card's pay link, opened by them, shows none of the other account's invoices.
    const page = await stranger.page(atCustomer.event.card.path);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain(`pick-${invoice.id}`);
    expect(textOf(page.html)).not.toContain(invoice.number);

    // A dispute card's page belongs to its account only.
    const [disputedInvoice] = await openInvoices(acme.id, 2).then((list) => list.slice(1));
    const disputed = next(chat.customer, "conversation:message", (m: Any) => m.authorKind === "REP");
    await act(chat.repBrowser, chat.conversationId, [
      ["intent", "dispute"],
      ["invoiceId", disputedInvoice.id],
      ["reason", "PRICING"],
      ["scope", "invoice"],
      ["amount", ""],
      ["message", "Price differs from the quote."],
    ]);
    const card = (await disputed).event.card;
    expect(card.kind).toBe("dispute");
    expect((await chat.customerBrowser.page(card.path)).status).toBe(200);
    expect((await stranger.page(card.path)).status).toBe(404);
  });
});

describe("messages without a card", () => {
  it("read as they always did: typed messages and rows stored before cards", async () => {
    const chat = await chatBetween("ap@acme-industrial.example", "rep1@accounts.example");
    const typed = next(chat.customer, "conversation:message", (m: Any) => m.authorKind === "REP" && m.clientMessageId === "typed-1");
    await chat.rep.emitWithAck("console:send", { conversationId: chat.conversationId, clientMessageId: "typed-1", body: "Let me check that for you." });
    expect((await typed).event).toBeNull();
    // A pay link written before cards existed: text only, with its raw link.
    await portal.db.message.create({
      data: {
        conversationId: chat.conversationId,
        authorKind: "REP",
        body: `Here is a secure link to pay invoice INV-OLD-1 ($10.00): ${portal.url}/pay?currency=USD&invoice=old`,
        clientMessageId: "old-1",
      },
    });
    // A damaged card is no card: the line it came with still reads.
    await portal.db.message.create({
      data: {
        conversationId: chat.conversationId,
        authorKind: "REP",
        body: "damaged",
        clientMessageId: "old-2",
        event: { code: "chat:cards.promise.line", values: { amount: { amountMinor: 500, currency: "USD" }, date: "2026-12-24" }, card: { kind: "nonsense" } },
      },
    });
    const rejoined = await chat.customer.emitWithAck("conversation:join", { conversationId: chat.conversationId, afterSeq: "0" });
    const old = rejoined.data.messages.find((m: Any) => m.clientMessageId === "old-1");
    expect(old.event).toBeNull();
    expect(rejoined.data.messages.find((m: Any) => m.clientMessageId === "old-2").event).toEqual({
      code: "chat:cards.promise.line",
      values: { amount: { amountMinor: 500, currency: "USD" }, date: "2026-12-24" },
    });
    const text = await transcriptOf(chat.customer, chat.conversationId, "ap@acme-industrial.example");
    expect(text).toContain("Let me check that for you.");
    expect(text).toContain(`Here is a secure link to pay invoice INV-OLD-1 ($10.00): ${portal.url}/pay?currency=USD&invoice=old`);
    expect(text).toContain("Promise to pay $5.00 by Dec 24, 2026");
  });
});
