/**
 * Acting from the conversation (issue 5): pay link, promise to pay, dispute on the
 * customer's behalf, release of a held order — through the real route, with the
 * customer receiving the result live on their socket. Also: a rep who opens the
 * console comes online and routing considers them.
 */
import fs from "node:fs";
import path from "node:path";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connected, next, keepChatOpenAllDay, clearChatFloor } from "../support/sockets";
import type { Browser } from "../support/portal";
import { startPortal, textOf, type TestPortal } from "../support/portal";
import { promisableInvoices } from "../../app/domain/collections/promises.server";

type Any = any;

let portal: TestPortal;
const sockets: Socket[] = [];
const ids: Record<string, string> = {};
let acme: { id: string };
let norte: { id: string };
let pacific: { id: string };

const locales = Object.fromEntries(
  ["en", "es"].map((lang) => [
    lang,
    Object.fromEntries(
      fs.readdirSync(path.resolve("locales", lang)).map((f) => [f.replace(".json", ""), JSON.parse(fs.readFileSync(path.resolve("locales", lang, f), "utf8"))]),
    ),
  ]),
);
/** The English and Spanish text of a translation key ("ns:path"), so a refusal is known to be translated. */
function translations(key: string): [string, string] {
  const [ns, rest] = key.split(":");
  const get = (lang: string) => rest.split(".").reduce<Any>((node, part) => node?.[part], locales[lang][ns]);
  return [get("en"), get("es")];
}
function expectTranslated(key: string) {
  const [en, es] = translations(key);
  expect(typeof en, key).toBe("string");
  expect(typeof es, key).toBe("string");
}

beforeAll(async () => {
  portal = await startPortal();
  for (const email of [
    "rep1@accounts.example",
    "rep2@accounts.example",
    "rep3@accounts.example",
    "senior@accounts.example",
    "manager@accounts.example",
    "ap@acme-industrial.example",
    "cxp@distnorte.example",
    "billing@pacificcoast.example",
  ]) {
    ids[email.split("@")[0]] = (await portal.db.user.findUniqueOrThrow({ where: { email } })).id;
  }
  acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
  norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
  pacific = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1004" } });
  await keepChatOpenAllDay(portal.db);
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await portal?.close();
});

beforeEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await clearChatFloor(portal.db);
});

async function open(browser: Browser): Promise<Socket> {
  const socket = connect(portal.url, { transports: ["websocket"], extraHeaders: { Cookie: browser.cookieHeader() }, reconnection: false });
  sockets.push(socket);
  await connected(socket);
  return socket;
}

/** A rep's console socket; opening it is what brings the rep online. */
async function consoleOf(email: string) {
  const browser = await portal.signedIn(email);
  const socket = await open(browser);
  const inbox = await socket.emitWithAck("console:inbox");
  return { browser, socket, inbox: inbox.data };
}

/** A customer's chat, assigned to `repEmail` (the only rep online), with both sides joined. */
async function chatBetween(customerEmail: string, repEmail: string) {
  const rep = await consoleOf(repEmail);
  const customerBrowser = await portal.signedIn(customerEmail);
  const customer = await open(customerBrowser);
  const opened = await customer.emitWithAck("conversation:open", { topic: "PAYMENT" });
  expect(opened.data.status).toMatchObject({ state: "assigned" });
  const conversationId: string = opened.data.conversation.id;
  await rep.socket.emitWithAck("console:join", { conversationId });
  return { rep, customer, customerBrowser, conversationId };
}

function act(browser: Browser, conversationId: string, fields: [string, string][]) {
  return browser.request(`/rep/chat/conversations/${conversationId}/actions`, { method: "POST", body: new URLSearchParams(fields) });
}

/** A past-due invoice of Acme's with at least `minMinor` left and no open promise: what a promise may cover. */
async function promisable(minMinor = 1n) {
  const free = (await promisableInvoices(acme.id)).find((i) => i.balanceMinor >= minMinor);
  if (!free) throw new Error("the seed has no promisable invoice left");
  return free;
}

async function openInvoices(accountId: string, take: number) {
  return portal.db.invoice.findMany({
    where: { accountId, status: { in: ["OPEN", "PARTIALLY_PAID"] }, balanceMinor: { gt: 0n } },
    orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    take,
    include: { lines: true },
  });
}

/** What a change would touch, to prove a refused action changed nothing. */
async function footprint(conversationId: string, accountId: string) {
  const [messages, promises, disputes, notes, audits, heldOrders] = await Promise.all([
    portal.db.message.count({ where: { conversationId } }),
    portal.db.promiseToPay.count({ where: { accountId } }),
    portal.db.dispute.count({ where: { accountId } }),
    portal.db.accountNote.count({ where: { accountId } }),
    portal.db.auditLog.count({ where: { accountId } }),
    portal.db.order.count({ where: { accountId, status: "ON_HOLD" } }),
  ]);
  return { messages, promises, disputes, notes, audits, heldOrders };
}

/** Is the invoice's checkbox on the pay page ticked? */
function chosenOnPayPage(html: string, invoiceId: string) {
  const input = new RegExp(`<input[^>]*id="pick-${invoiceId}"[^>]*>`).exec(html)?.[0] ?? "";
  return /\schecked(=|\s|\/|>)/.test(input);
}

function isoDay(offsetDays: number) {
  return new Date(Date.now() + offsetDays * 86400_000).toISOString().slice(0, 10);
}

describe("presence: opening the console", () => {
  it("brings an OFFLINE rep online and routing hands them the waiting chat", async () => {
    // A Spanish customer waits with nobody online.
    const customer = await open(await portal.signedIn("cxp@distnorte.example"));
    const opened = await customer.emitWithAck("conversation:open", { topic: "CREDIT" });
    expect(opened.data.status.state).not.toBe("assigned");
    const conversationId = opened.data.conversation.id;

    const assigned = next(customer, "conversation:status", (s: Any) => s.state === "assigned");
    const rep2 = await consoleOf("rep2@accounts.example");
    expect(rep2.inbox.me.presence).toBe("ONLINE");
    expect(await assigned).toMatchObject({ conversationId, repName: "Beatriz" });
    expect((await portal.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).assignedRepId).toBe(ids.rep2);
    expect(await portal.db.auditLog.count({ where: { entityId: ids.rep2, action: "chat.rep_online" } })).toBe(1);
  });

  it("keeps AWAY when the rep chose it, and routing leaves them alone", async () => {
    await portal.db.user.update({ where: { id: ids.rep3 }, data: { presence: "AWAY" } });
    const rep3 = await consoleOf("rep3@accounts.example");
    expect(rep3.inbox.me.presence).toBe("AWAY");
    const customer = await open(await portal.signedIn("cxp@distnorte.example"));
    const opened = await customer.emitWithAck("conversation:open", { topic: "CREDIT" });
    expect(opened.data.status.state).not.toBe("assigned");
    expect((await portal.db.user.findUniqueOrThrow({ where: { id: ids.rep3 } })).presence).toBe("AWAY");
  });

  it("lets a rep who connects and at once chooses OFFLINE stay offline", async () => {
    const browser = await portal.signedIn("rep1@accounts.example");
    const socket = await open(browser);
    const reply = await socket.emitWithAck("console:settings", { presence: "OFFLINE" });
    expect(reply.data.presence).toBe("OFFLINE");
    expect((await socket.emitWithAck("console:inbox")).data.me.presence).toBe("OFFLINE");
  });
});

describe("pay link", () => {
  it("posts a link the customer receives live, which opens /pay with those invoices chosen and pays in the sandbox", async () => {
    const { rep, customer, customerBrowser, conversationId } = await chatBetween("ap@acme-industrial.example", "rep1@accounts.example");
    const invoices = await openInvoices(acme.id, 2);
    const atCustomer = next(customer, "conversation:message", (m: Any) => m.authorKind === "REP");
    const atRep = next(rep.socket, "conversation:message", (m: Any) => m.authorKind === "REP");
    const res = await act(rep.browser, conversationId, [["intent", "pay_link"], ...invoices.map((i) => ["invoiceId", i.id] as [string, string])]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, intent: "pay_link", done: "chat:actions.done.pay_link" });

    const message = await atCustomer;
    expect((await atRep).seq).toBe(message.seq);
    expect(message.body).toContain(`Here is a secure link to pay invoices ${invoices.map((i) => i.number).join(", ")}`);
    const link = /(https?:\/\/\S+\/pay\?\S+)/.exec(message.body)?.[1];
    expect(link).toBeTruthy();
    const url = new URL(link!);
    expect(url.origin).toBe(portal.url);
    expect(url.searchParams.getAll("invoice").sort()).toEqual(invoices.map((i) => i.id).sort());
    expect(await portal.db.auditLog.count({ where: { entityId: conversationId, action: "chat.pay_link_sent" } })).toBe(1);

    // The customer follows it: both invoices are chosen on the pay page.
    const page = await customerBrowser.page(url.pathname + url.search);
    expect(page.status).toBe(200);
    for (const inv of invoices) expect(chosenOnPayPage(page.html, inv.id), inv.number).toBe(true);

    // … and pays through the sandbox.
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.html)![1];
    const fields = new URLSearchParams({ idempotencyKey: key, currency: "USD" });
    // Each chosen invoice with the amount the page fills in: its whole balance.
    for (const inv of invoices) {
      fields.append("invoiceId", inv.id);
      const amountField = new RegExp(`<input[^>]*name="amount-${inv.id}"[^>]*>`).exec(page.html)![0];
      fields.append(`amount-${inv.id}`, /\svalue="([^"]+)"/.exec(amountField)![1]);
    }
    const pay = await customerBrowser.request("/pay", { method: "POST", body: fields });
    expect(pay.status).toBe(302);
    const checkout = pay.headers.get("location")!;
    expect(checkout).toMatch(/^\/sandbox\/stripe\/checkout\//);
    const paid = await customerBrowser.request(checkout, { method: "POST", body: new URLSearchParams({ outcome: "pay" }) });
    expect(paid.status).toBe(302);
    for (const inv of invoices) expect((await portal.db.invoice.findUniqueOrThrow({ where: { id: inv.id } })).status).toBe("PAID");
  });

  it("reaches a Spanish customer in Spanish, with amounts the way they read them", async () => {
    const { rep, customer, conversationId } = await chatBetween("cxp@distnorte.example", "rep2@accounts.example");
    const [invoice] = await openInvoices(norte.id, 1);
    const atCustomer = next(customer, "conversation:message", (m: Any) => m.authorKind === "REP");
    expect(
      (
        await act(rep.browser, conversationId, [
          ["intent", "pay_link"],
          ["invoiceId", invoice.id],
        ])
      ).status,
    ).toBe(200);
    const body: string = (await atCustomer).body;
    expect(body).toContain(`Le comparto un enlace seguro para pagar la factura ${invoice.number} ($`);
    expect(body).toContain("/pay?currency=MXN&invoice=");
  });

  it("refuses no invoices, another account's invoice and mixed currencies, with a translated error and no change", async () => {
    const { rep, conversationId } = await chatBetween("ap@acme-industrial.example", "rep1@accounts.example");
    const [mine, second] = await openInvoices(acme.id, 2);
    const [theirs] = await openInvoices(norte.id, 1);
    const before = await footprint(conversationId, acme.id);

    const none = await act(rep.browser, conversationId, [["intent", "pay_link"]]);
    expect(none.status).toBe(400);
    const noneBody = await none.json();
    expect(noneBody).toMatchObject({ ok: false, fieldErrors: { invoiceIds: "chat:actions.errors.chooseInvoices" } });
    expectTranslated(noneBody.fieldErrors.invoiceIds);

    const foreign = await act(rep.browser, conversationId, [
      ["intent", "pay_link"],
      ["invoiceId", mine.id],
      ["invoiceId", theirs.id],
    ]);
    expect(foreign.status).toBe(400);
    expect(await foreign.json()).toMatchObject({ ok: false, error: "chat:actions.errors.invoiceNotPayable" });

    // An invoice billed in another currency cannot share a link.
    await portal.db.invoice.update({ where: { id: second.id }, data: { currency: "CAD" } });
    try {
      const mixed = await act(rep.browser, conversationId, [
        ["intent", "pay_link"],
        ["invoiceId", mine.id],
        ["invoiceId", second.id],
      ]);
      expect(mixed.status).toBe(400);
      expect(await mixed.json()).toMatchObject({ error: "chat:actions.errors.oneCurrency" });
    } finally {
      await portal.db.invoice.update({ where: { id: second.id }, data: { currency: "USD" } });
    }
    const unknown = await act(rep.browser, conversationId, [["intent", "write_off"]]);
    expect(unknown.status).toBe(400);
    expectTranslated((await unknown.json()).error);
    expect(await footprint(conversationId, acme.id)).toEqual(before);
  });

  it("the pay page ignores invoice ids that are not the signed-in account's own", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const [theirs] = await openInvoices(norte.id, 1);
    const [mine] = await openInvoices(acme.id, 1);
    const page = await customer.page(`/pay?invoice=${theirs.id}&invoice=${mine.id}`);
    expect(page.status).toBe(200);
    // Their id is only in the echoed URL (the language switcher's return path), never a row or a choice.
    expect(page.html).not.toContain(`pick-${theirs.id}`);
    expect(textOf(page.html)).not.toContain(theirs.number);
    expect(chosenOnPayPage(page.html, mine.id)).toBe(true);
  });
});

describe("promise to pay", () => {
  it("is stored in the account's currency, noted, audited, shown in the glance and confirmed to the customer", async () => {
    const { rep, customer, conversationId } = await chatBetween("ap@acme-industrial.example", "rep1@accounts.example");
    const date = isoDay(7);
    const invoice = await promisable(1_250_50n);
    // The console offers it among the invoices a promise may cover, and the furthest date the policy allows.
    const choices = await (await rep.browser.get(`/rep/chat/conversations/${conversationId}/actions`)).json();
    expect(choices.promisable.map((i: Any) => i.id)).toContain(invoice.id);
    expect(choices.latestPromiseDate).toBe(isoDay(30));
    const atCustomer = next(customer, "conversation:message", (m: Any) => m.authorKind === "REP");
    const res = await act(rep.browser, conversationId, [
      ["intent", "promise"],
      ["invoiceId", invoice.id],
      ["amount", "1,250.50"],
      ["promisedFor", date],
      ["note", "Wire on Friday"],
    ]);
    expect(res.status).toBe(200);
    const promise = await portal.db.promiseToPay.findFirstOrThrow({ where: { accountId: acme.id }, orderBy: { createdAt: "desc" } });
    expect(promise).toMatchObject({ amountMinor: 125050n, currency: "USD", status: "OPEN", note: "Wire on Friday", createdById: ids.rep1 });
    expect(promise.promisedFor.toISOString().slice(0, 10)).toBe(date);
    expect(await portal.db.promiseInvoice.findMany({ where: { promiseId: promise.id }, select: { invoiceId: true } })).toEqual([{ invoiceId: invoice.id }]);
    const note = await portal.db.accountNote.findFirstOrThrow({ where: { accountId: acme.id, kind: "promise_to_pay" } });
    expect(note.body).toContain("$1,250.50");
    expect(note.body).toContain("Wire on Friday");
    expect(await portal.db.auditLog.count({ where: { entity: "PromiseToPay", entityId: promise.id, action: "promise_logged", actorId: ids.rep1 } })).toBe(1);
    expect((await atCustomer).body).toMatch(/^Thank you\. I have noted your commitment to pay \$1,250\.50 by /);

    const glance = await (await rep.browser.get(`/rep/chat/accounts/${acme.id}`)).json();
    expect(glance.openPromises).toEqual([
      { id: promise.id, amount: { amountMinor: 125050, currency: "USD" }, promisedFor: date, overdue: false, note: "Wire on Friday" },
    ]);
  });

  it("is logged once however often the same form is sent", async () => {
    const { rep, conversationId } = await chatBetween("ap@acme-industrial.example", "rep1@accounts.example");
    const before = await portal.db.promiseToPay.count({ where: { accountId: acme.id } });
    const form: [string, string][] = [
      ["intent", "promise"],
      ["invoiceId", (await promisable(300_00n)).id],
      ["actionId", "form-7f3a9c21"],
      ["amount", "300.00"],
      ["promisedFor", isoDay(2)],
    ];
    for (let i = 0; i < 3; i++) expect((await act(rep.browser, conversationId, form)).status).toBe(200);
    expect(await portal.db.promiseToPay.count({ where: { accountId: acme.id } })).toBe(before + 1);
    expect(await portal.db.message.count({ where: { conversationId, clientMessageId: "action-form-7f3a9c21" } })).toBe(1);
  });

  it("is logged once when copies of the same form arrive at the same moment", async () => {
    const { rep, conversationId } = await chatBetween("ap@acme-industrial.example", "rep1@accounts.example");
    const before = await portal.db.promiseToPay.count({ where: { accountId: acme.id } });
    const form: [string, string][] = [
      ["intent", "promise"],
      ["invoiceId", (await promisable(125_00n)).id],
      ["actionId", "form-race-5d1e"],
      ["amount", "125.00"],
      ["promisedFor", isoDay(3)],
    ];
    const answers = await Promise.all(Array.from({ length: 4 }, () => act(rep.browser, conversationId, form)));
    expect(await portal.db.promiseToPay.count({ where: { accountId: acme.id } })).toBe(before + 1);
    expect(await portal.db.message.count({ where: { conversationId, clientMessageId: "action-form-race-5d1e" } })).toBe(1);
    // Each copy either reports it done or says it is still being done; none fails otherwise.
    for (const res of answers) {
      const body = await res.json();
      expect([200, 409]).toContain(res.status);
      if (res.status === 409) expect(body.error).toBe("chat:actions.errors.inProgress");
    }
    expectTranslated("chat:actions.errors.inProgress");
    // Once done, the same form answers "done" again, and a corrected refused form can be sent again.
    expect((await act(rep.browser, conversationId, form)).status).toBe(200);
    const fixable: [string, string][] = [
      ["intent", "promise"],
      ["invoiceId", (await promisable(50_00n)).id],
      ["actionId", "form-fix-8b2c"],
      ["promisedFor", isoDay(3)],
    ];
    expect((await act(rep.browser, conversationId, [...fixable, ["amount", "abc"]])).status).toBe(400);
    expect((await act(rep.browser, conversationId, [...fixable, ["amount", "50.00"]])).status).toBe(200);
    expect(await portal.db.promiseToPay.count({ where: { accountId: acme.id } })).toBe(before + 2);
  });

  it("keeps the account page's rules: past-due invoices only, the policy's horizon, a translated error and no change", async () => {
    const { rep, conversationId } = await chatBetween("ap@acme-industrial.example", "rep1@accounts.example");
    const free = await promisable(200_00n);
    const notYetDue = await portal.db.invoice.findFirstOrThrow({
      where: { accountId: acme.id, status: "OPEN", dueOn: { gt: new Date(Date.now() + 86_400_000) } },
    });
    const alreadyPromised = await portal.db.promiseInvoice.findFirstOrThrow({ where: { promise: { accountId: acme.id, status: "OPEN" } } });
    const before = await footprint(conversationId, acme.id);
    const on = (invoiceId: string, amount: string, promisedFor: string): [string, string][] => [
      ["invoiceId", invoiceId],
      ["amount", amount],
      ["promisedFor", promisedFor],
    ];
    for (const [fields, key] of [
      [on(free.id, "100.00", isoDay(-3)), "collections:promises.errors.datePast"],
      // The account page allows 30 days ahead (the collections policy); so does the chat.
      [on(free.id, "100.00", isoDay(31)), "collections:promises.errors.dateTooFar"],
      [on(free.id, "100.00", "next friday"), "chat:actions.errors.promiseDate"],
      [on(free.id, "abc", isoDay(3)), "common:amountInput.invalid_point"],
      // A comma where English writes a point: refused as ambiguous, never read as 125.00.
      [on(free.id, "12,5", isoDay(3)), "common:amountInput.ambiguous_point"],
      [on(free.id, "0", isoDay(3)), "collections:promises.errors.amount"],
      [on(free.id, "999,999,999.00", isoDay(3)), "collections:promises.errors.amountTooHigh"],
      [
        [
          ["amount", "150,000.00"],
          ["promisedFor", isoDay(3)],
        ],
        "collections:promises.errors.noInvoices",
      ],
      [on(notYetDue.id, "100.00", isoDay(3)), "collections:promises.errors.notPromisable"],
      [on(alreadyPromised.invoiceId, "100.00", isoDay(3)), "collections:promises.errors.alreadyPromised"],
    ] as [[string, string][], string][]) {
      const res = await act(rep.browser, conversationId, [["intent", "promise"], ...fields]);
      expect(res.status, key).toBe(400);
      const body = await res.json();
      expect(Object.values(body.fieldErrors), key).toContain(key);
      expectTranslated(key);
    }
    expect(await footprint(conversationId, acme.id)).toEqual(before);
  });
});

describe("dispute on the customer's behalf", () => {
  it("opens it (whole invoice or chosen lines), the customer sees it on /disputes and in the chat", async () => {
    const { rep, customer, customerBrowser, conversationId } = await chatBetween("ap@acme-industrial.example", "rep1@accounts.example");
    const [invoice, other] = await openInvoices(acme.id, 2);
    const atCustomer = next(customer, "conversation:message", (m: Any) => m.authorKind === "REP");
    const res = await act(rep.browser, conversationId, [
      ["intent", "dispute"],
      ["invoiceId", invoice.id],
      ["reason", "PRICING"],
      ["scope", "invoice"],
      ["amount", ""],
      ["message", "Customer says the unit price is not the quoted one."],
    ]);
    expect(res.status).toBe(200);
    const dispute = await portal.db.dispute.findFirstOrThrow({ where: { accountId: acme.id, invoiceId: invoice.id }, include: { messages: true } });
    expect(dispute).toMatchObject({ reason: "PRICING", openedById: ids.rep1, amountMinor: invoice.balanceMinor, language: "en" });
    expect(dispute.messages[0].body).toBe("Customer says the unit price is not the quoted one.");
    expect((await atCustomer).body).toContain(`I have opened dispute ${dispute.number} on invoice ${invoice.number}`);
    expect(textOf((await customerBrowser.page("/disputes")).html)).toContain(dispute.number);

    const line = other.lines.sort((a, b) => a.lineNo - b.lineNo)[0];
    const byLine = await act(rep.browser, conversationId, [
      ["intent", "dispute"],
      ["invoiceId", other.id],
      ["reason", "DAMAGED"],
      ["scope", "lines"],
      ["lineId", line.id],
      ["amount", ""],
      ["message", "First line arrived damaged."],
    ]);
    expect(byLine.status).toBe(200);
    const lined = await portal.db.dispute.findFirstOrThrow({ where: { invoiceId: other.id }, include: { lines: true } });
    expect(lined.lines.map((l) => l.invoiceLineId)).toEqual([line.id]);
  });

  it("refuses a short message or another account's invoice, with a translated error and no change", async () => {
    const { rep, conversationId } = await chatBetween("ap@acme-industrial.example", "rep1@accounts.example");
    const [invoice] = await openInvoices(acme.id, 1);
    const [theirs] = await openInvoices(norte.id, 1);
    const before = await footprint(conversationId, acme.id);
    const short = await act(rep.browser, conversationId, [
      ["intent", "dispute"],
      ["invoiceId", invoice.id],
      ["reason", "PRICING"],
      ["scope", "invoice"],
      ["message", "bad"],
    ]);
    expect(short.status).toBe(400);
    const shortBody = await short.json();
    expect(shortBody.fieldErrors.message).toBe("disputes:errors.message");
    expectTranslated(shortBody.fieldErrors.message);
    const foreign = await act(rep.browser, conversationId, [
      ["intent", "dispute"],
      ["invoiceId", theirs.id],
      ["reason", "PRICING"],
      ["scope", "invoice"],
      ["message", "Someone else's invoice"],
    ]);
    expect(foreign.status).toBe(400);
    expect((await foreign.json()).error).toBe("disputes:errors.invoice");
    expect(await portal.db.dispute.count({ where: { invoiceId: theirs.id } })).toBe(0);
    expect(await footprint(conversationId, acme.id)).toEqual(before);
  });
});

describe("release of a held order", () => {
  it("a Rep I is refused above their authority (translated, nothing changes); a manager releases it and the customer hears", async () => {
    // Pacific Coast well over its limit: any release needs over-limit authority a Rep I does not have.
    await portal.db.account.update({ where: { id: pacific.id }, data: { creditLimitMinor: 100n } });
    const { rep, customer, conversationId } = await chatBetween("billing@pacificcoast.example", "rep1@accounts.example");
    const order = await portal.db.order.findFirstOrThrow({ where: { accountId: pacific.id, status: "ON_HOLD" }, orderBy: { heldAt: "asc" } });
    const before = await footprint(conversationId, pacific.id);

    const refused = await act(rep.browser, conversationId, [
      ["intent", "release"],
      ["orderId", order.id],
      ["note", "Customer paying today"],
    ]);
    expect(refused.status).toBe(403);
    const body = await refused.json();
    expect(body).toMatchObject({ ok: false, error: "credit:heldWork.errors.over_authority" });
    expect(body.level).toMatch(/^(REP_II|REP_III|SENIOR|MANAGER)$/);
    expectTranslated(body.error);
    expect(await footprint(conversationId, pacific.id)).toEqual(before);

    const manager = await portal.signedIn("manager@accounts.example");
    const atCustomer = next(customer, "conversation:message", (m: Any) => m.authorKind === "REP");
    const released = await act(manager, conversationId, [
      ["intent", "release"],
      ["orderId", order.id],
      ["note", "Approved by manager"],
    ]);
    expect(released.status).toBe(200);
    expect((await portal.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("OPEN");
    expect(await portal.db.auditLog.count({ where: { entityId: order.id, action: "hold_released", actorId: ids.manager } })).toBe(1);
    expect((await atCustomer).body).toContain(`order ${order.number} has been released from credit hold`);

    // Already released: a second try is a conflict, not a second release.
    const again = await act(manager, conversationId, [
      ["intent", "release"],
      ["orderId", order.id],
    ]);
    expect(again.status).toBe(409);
    expect((await again.json()).error).toBe("credit:heldWork.errors.not_held");
  });

  it("cannot reach another account's order from this conversation", async () => {
    const { rep, conversationId } = await chatBetween("ap@acme-industrial.example", "rep1@accounts.example");
    const theirs = await portal.db.order.findFirstOrThrow({ where: { accountId: { not: acme.id }, status: "ON_HOLD" } });
    const res = await act(rep.browser, conversationId, [
      ["intent", "release"],
      ["orderId", theirs.id],
    ]);
    expect(res.status).toBe(404);
    expect((await portal.db.order.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("ON_HOLD");
  });
});

describe("who may act", () => {
  it("only the assigned rep or a manager; never another rep, a customer, a stranger; not on a closed chat or a guest's", async () => {
    const { rep, conversationId } = await chatBetween("ap@acme-industrial.example", "rep1@accounts.example");
    const [invoice] = await openInvoices(acme.id, 1);
    const payLink: [string, string][] = [
      ["intent", "pay_link"],
      ["invoiceId", invoice.id],
    ];
    const before = await footprint(conversationId, acme.id);

    const otherRep = await portal.signedIn("rep3@accounts.example");
    const notYours = await act(otherRep, conversationId, payLink);
    expect(notYours.status).toBe(403);
    expect((await notYours.json()).error).toBe("chat:errors.notYours");
    expect((await otherRep.get(`/rep/chat/conversations/${conversationId}/actions`)).status).toBe(403);

    const customer = await portal.signedIn("ap@acme-industrial.example");
    expect((await act(customer, conversationId, payLink)).status).toBe(403);
    expect((await customer.get(`/rep/chat/conversations/${conversationId}/actions`)).status).toBe(403);
    const stranger = await act(portal.browser(), conversationId, payLink);
    expect(stranger.status).toBe(302);
    expect(stranger.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
    expect((await act(rep.browser, "no-such-conversation", payLink)).status).toBe(404);
    expect(await footprint(conversationId, acme.id)).toEqual(before);

    // The assigned rep gets the choices for this account only.
    const choices = await (await rep.browser.get(`/rep/chat/conversations/${conversationId}/actions`)).json();
    expect(choices.currency).toBe("USD");
    expect(choices.invoices.length).toBeGreaterThan(0);
    const acmeInvoiceIds = new Set((await portal.db.invoice.findMany({ where: { accountId: acme.id }, select: { id: true } })).map((i) => i.id));
    expect(choices.invoices.every((i: Any) => acmeInvoiceIds.has(i.id))).toBe(true);

    // A manager may act on anyone's chat.
    const manager = await portal.signedIn("manager@accounts.example");
    expect((await act(manager, conversationId, payLink)).status).toBe(200);

    // Closed: nothing more to do here.
    expect((await rep.socket.emitWithAck("console:close", { conversationId, disposition: "resolved" })).data.ok).toBe(true);
    const closed = await act(rep.browser, conversationId, payLink);
    expect(closed.status).toBe(409);
    expect((await closed.json()).error).toBe("chat:errors.closed");
  });

  it("a guest's conversation has no account to act on", async () => {
    const rep = await consoleOf("rep1@accounts.example");
    const guestBrowser = portal.browser({ acceptLanguage: "en" });
    expect((await guestBrowser.post("/help", { name: "Pat Guest", email: "pat@example.com", topic: "INVOICE", accountNumber: "ACC-1001" })).status).toBe(302);
    const conversation = await portal.db.conversation.findFirstOrThrow({ where: { guestEmail: "pat@example.com" }, orderBy: { createdAt: "desc" } });
    const guest = await open(guestBrowser);
    await guest.emitWithAck("conversation:join", { conversationId: conversation.id });
    expect((await portal.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).assignedRepId).toBe(ids.rep1);
    const [invoice] = await openInvoices(acme.id, 1);
    const res = await act(rep.browser, conversation.id, [
      ["intent", "pay_link"],
      ["invoiceId", invoice.id],
    ]);
    expect(res.status).toBe(409);
    expect((await res.json()).error).toBe("chat:actions.errors.noAccount");
  });
});
