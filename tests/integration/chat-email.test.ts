import { keepChatOpenAllDay } from "../support/sockets";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "../support/portal";
import { startPortal, type TestPortal } from "../support/portal";

const SECRET = "inbound-secret-for-tests-0123456789";
let portal: TestPortal;
const sockets: Socket[] = [];
type Any = any;

beforeAll(async () => {
  portal = await startPortal({ INBOUND_EMAIL_SECRET: SECRET });
  await keepChatOpenAllDay(portal.db);
  await portal.db.user.updateMany({ where: { role: { in: ["REP", "MANAGER"] } }, data: { presence: "OFFLINE" } });
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await portal?.close();
});

async function open(browser: Browser): Promise<Socket> {
  const socket = connect(portal.url, { transports: ["websocket"], extraHeaders: { Cookie: browser.cookieHeader() }, reconnection: false });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.on("connect", resolve);
    socket.on("connect_error", reject);
  });
  return socket;
}

function inbound(body: unknown, secret = SECRET) {
  return fetch(`${portal.url}/webhooks/inbound-email`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${secret}` },
    body: JSON.stringify(body),
  });
}

describe("offline message → email conversation → reply by mail → inbound mail", () => {
  let conversationId = "";

  it("with only an English-only rep online, a Spanish guest leaves a message that becomes an email conversation in the inbox", async () => {
    const rep1 = await open(await portal.signedIn("rep1@accounts.example"));
    await rep1.emitWithAck("console:settings", { presence: "ONLINE" });
    const guestBrowser = portal.browser({ acceptLanguage: "es" });
    await guestBrowser.post("/help", { name: "Lucía Pérez", email: "lucia@example.mx", topic: "PAYMENT" });
    const guest = await open(guestBrowser);
    const row = await portal.db.conversation.findFirstOrThrow({ where: { guestEmail: "lucia@example.mx" } });
    conversationId = row.id;
    const joined = await guest.emitWithAck("conversation:join", { conversationId });
    expect(joined.data.status).toMatchObject({ state: "offline", reason: "no_rep_for_language" });

    expect(await guest.emitWithAck("conversation:leave-message", { conversationId, clientMessageId: "o-0", body: "   " })).toEqual({
      error: "chat:errors.messageRequired",
    });
    const changed = new Promise((resolve) => rep1.once("console:inbox-changed", resolve));
    const left = await guest.emitWithAck("conversation:leave-message", { conversationId, clientMessageId: "o-1", body: "Necesito mi estado de cuenta" });
    expect(left.data.message.body).toBe("Necesito mi estado de cuenta");
    await changed;
    expect(await portal.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).toMatchObject({ channel: "EMAIL", status: "WAITING_EMAIL" });
    const receipt = await portal.db.outboxEmail.findFirstOrThrow({ where: { to: "lucia@example.mx", template: "chat_offline_received" } });
    expect(receipt.language).toBe("es");
    expect(receipt.subject).toBe(`Recibimos su mensaje [#${conversationId}]`);
    expect(receipt.text).toContain("Necesito mi estado de cuenta");

    const inbox = await rep1.emitWithAck("console:inbox");
    expect(inbox.data.queued.find((c: Any) => c.id === conversationId)).toMatchObject({ channel: "EMAIL", status: "WAITING_EMAIL", language: "es" });
  });

  it("a rep's reply goes out by email in the customer's language", async () => {
    const rep3 = await open(await portal.signedIn("rep3@accounts.example"));
    await rep3.emitWithAck("console:join", { conversationId });
    const sent = await rep3.emitWithAck("console:send", { conversationId, clientMessageId: "e-1", body: "Con gusto, se lo envío hoy." });
    expect(sent.data.message.authorKind).toBe("REP");
    // A resend does not mail twice.
    await rep3.emitWithAck("console:send", { conversationId, clientMessageId: "e-1", body: "Con gusto, se lo envío hoy." });
    const mails = await portal.db.outboxEmail.findMany({ where: { to: "lucia@example.mx", template: "chat_reply" } });
    expect(mails).toHaveLength(1);
    expect(mails[0].language).toBe("es");
    expect(mails[0].subject).toBe(`Respuesta de Cuentas de Clientes [#${conversationId}]`);
    expect(mails[0].text).toContain("Con gusto, se lo envío hoy.");
    expect(mails[0].text).toContain("Carlos Mendoza");
    expect(await portal.db.auditLog.count({ where: { entityId: conversationId, action: "chat.email_taken" } })).toBe(1);
  });

  it("the customer's emailed answer continues the same conversation, once however often it is delivered", async () => {
    const payload = {
      from: "Lucía Pérez <lucia@example.mx>",
      subject: `RE: Respuesta de Cuentas de Clientes [#${conversationId}]`,
      text: "¡Gracias! También la factura de marzo.",
      messageId: "<m1@mail.example.mx>",
      inReplyTo: null,
    };
    const first = await inbound(payload);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ ok: true, conversationId, duplicate: false });
    const again = await inbound(payload);
    expect(await again.json()).toMatchObject({ ok: true, conversationId, duplicate: true });
    expect(await portal.db.message.count({ where: { conversationId, body: "¡Gracias! También la factura de marzo." } })).toBe(1);
  });

  it("a stranger quoting the reference gets a conversation of their own, not Lucía's", async () => {
    const res = await inbound({ from: "intruder@example.com", subject: `Re: [#${conversationId}]`, text: "let me in", messageId: "<x1@example.com>" });
    const body = await res.json();
    expect(body.conversationId).not.toBe(conversationId);
    expect(await portal.db.message.count({ where: { conversationId, body: "let me in" } })).toBe(0);
    expect(await portal.db.conversation.findUniqueOrThrow({ where: { id: body.conversationId } })).toMatchObject({
      channel: "EMAIL",
      guestEmail: "intruder@example.com",
      accountId: null,
    });
  });

  it("mail from a customer user links the new conversation to their account, in their language", async () => {
    const res = await inbound({ from: "cxp@distnorte.example", subject: "Estado de cuenta", text: "Hola", messageId: "<n1@distnorte.example>" });
    const { conversationId: id } = await res.json();
    const row = await portal.db.conversation.findUniqueOrThrow({ where: { id }, include: { account: true } });
    expect(row.account?.legalName).toContain("Distribuidora del Norte");
    expect(row.language).toBe("es");
  });

  it("refuses a wrong secret or a bad body and stores nothing", async () => {
    const before = await portal.db.message.count();
    expect((await inbound({ from: "a@b.co", text: "x", messageId: "<z@b.co>" }, "wrong-secret-wrong-secret-000000")).status).toBe(401);
    expect((await inbound({ from: "a@b.co" })).status).toBe(400);
    expect((await inbound({ from: "not an address", text: "x", messageId: "<y@b.co>" })).status).toBe(422);
    expect(await portal.db.message.count()).toBe(before);
  });
});

describe("transcript by email", () => {
  it("mails the customer what they saw, in their language, without internal notes", async () => {
    const rep1 = await open(await portal.signedIn("rep1@accounts.example"));
    await rep1.emitWithAck("console:settings", { presence: "ONLINE" });
    const customer = await open(await portal.signedIn("ap@acme-industrial.example"));
    const { data } = await customer.emitWithAck("conversation:open", { topic: "CREDIT" });
    const conversationId = data.conversation.id;
    await customer.emitWithAck("conversation:send", { conversationId, clientMessageId: "t-1", body: "Can I raise my limit?" });
    await rep1.emitWithAck("console:send", { conversationId, clientMessageId: "t-n", body: "secret note", internal: true });
    await rep1.emitWithAck("console:send", { conversationId, clientMessageId: "t-2", body: "Let's look at it together." });
    expect(await customer.emitWithAck("conversation:transcript", { conversationId })).toEqual({ data: { ok: true } });
    const mail = await portal.db.outboxEmail.findFirstOrThrow({ where: { to: "ap@acme-industrial.example", template: "chat_transcript" } });
    expect(mail.text).toContain("Can I raise my limit?");
    expect(mail.text).toContain("Let's look at it together.");
    expect(mail.text).not.toContain("secret note");
    // Someone else's conversation: not found, nothing sent.
    const other = await open(await portal.signedIn("billing@pacificcoast.example"));
    expect(await other.emitWithAck("conversation:transcript", { conversationId })).toEqual({ error: "chat:errors.notFound" });
  });
});
