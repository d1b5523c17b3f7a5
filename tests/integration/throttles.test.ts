/**
 * Throttles on anonymous writes, over HTTP and the socket as a browser sends them:
 * guest chats and anonymous credit drafts per client address, transcripts and reset
 * mails per recipient (the reset answer looks the same either way), a draft's upload
 * budget; uploads reach UPLOAD_DIR only with a valid, authorized form, and the orphan
 * sweep removes what no row references. Reps dismiss spam chats in bulk; customers can't.
 * Each test speaks from its own client address (X-Forwarded-For through the loopback proxy).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepOrphanUploadsNow } from "../../app/domain/files/orphan-sweep.server";
import { THROTTLES, UPLOAD_BUDGET_PER_CREDIT_APPLICATION } from "../../app/domain/security/throttles.server";
import { clearChatFloor, connected, keepChatOpenAllDay, next } from "../support/sockets";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a, 0x25, 0x25, 0x45, 0x4f, 0x46]);
const TWO_HOURS_AGO = new Date(Date.now() - 2 * 60 * 60 * 1000);

let portal: TestPortal;
let uploadDir: string;
const sockets: Socket[] = [];
// Left in the folder before start-up: an old orphan, and a file that is not an upload at all.
const startupOrphan = `2026-01/${crypto.randomUUID()}`;

beforeAll(async () => {
  uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-throttles-"));
  fs.mkdirSync(path.join(uploadDir, "2026-01"));
  for (const name of [startupOrphan, "keep-me.txt"]) {
    fs.writeFileSync(path.join(uploadDir, name), "x");
    fs.utimesSync(path.join(uploadDir, name), TWO_HOURS_AGO, TWO_HOURS_AGO);
  }
  // The test stands behind a local proxy that names each client in X-Forwarded-For.
  portal = await startPortal({ UPLOAD_DIR: uploadDir, TRUST_PROXY: "loopback" });
  await keepChatOpenAllDay(portal.db);
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await portal?.close();
  fs.rmSync(uploadDir, { recursive: true, force: true });
});

type Any = any;

let clients = 0;
/** A client address of its own for each use, so no test fills another's limit. */
function clientAddress() {
  return `198.51.100.${++clients}`;
}

function post(b: Browser, pathname: string, ip: string, fields: Record<string, string>) {
  return b.request(pathname, { method: "POST", body: new URLSearchParams(fields), headers: { "X-Forwarded-For": ip } });
}

function postFiles(b: Browser, pathname: string, ip: string, fields: Record<string, string>, fileField: string, files: { name: string; bytes: Uint8Array }[]) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append(fileField, new Blob([f.bytes.buffer as ArrayBuffer], { type: "application/pdf" }), f.name);
  return b.request(pathname, { method: "POST", body: form, headers: { "X-Forwarded-For": ip } });
}

/** Every stored upload under UPLOAD_DIR (month folders), as storage keys. */
function storedFiles(): string[] {
  return fs
    .readdirSync(uploadDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => fs.readdirSync(path.join(uploadDir, d.name)).map((f) => `${d.name}/${f}`));
}

async function socketFor(b: Browser, ip: string): Promise<Socket> {
  const socket = connect(portal.url, { transports: ["websocket"], extraHeaders: { Cookie: b.cookieHeader(), "X-Forwarded-For": ip }, reconnection: false });
  sockets.push(socket);
  await connected(socket);
  return socket;
}

async function until<T>(read: () => T | Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition not reached");
}

describe("orphan uploads", () => {
  it("are swept at start-up; a file the portal did not store is left alone", async () => {
    await until(
      () => fs.existsSync(path.join(uploadDir, startupOrphan)),
      (exists) => !exists,
    );
    expect(fs.existsSync(path.join(uploadDir, "keep-me.txt"))).toBe(true);
  });
});

describe("guest chats per client address", () => {
  it(`opens ${THROTTLES.guestChatPerClient.points} from one client, refuses the rest (the 26th too) with a translated message, and another client still gets in`, async () => {
    const ip = clientAddress();
    const email = `flood-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const statuses: number[] = [];
    let refusal = "";
    let refusalHtml = "";
    for (let i = 0; i < 26; i++) {
      const res = await post(portal.browser({ acceptLanguage: "es" }), "/help", ip, { name: "Flood", email, topic: "OTHER" });
      statuses.push(res.status);
      if (res.status === 429) refusal = textOf((refusalHtml = await res.text()));
    }
    const allowed = THROTTLES.guestChatPerClient.points;
    expect(statuses.slice(0, allowed).every((s) => s === 302)).toBe(true);
    expect(statuses.slice(allowed)).toEqual(Array(26 - allowed).fill(429));
    expect(refusal).toContain("Se iniciaron demasiados chats desde esta conexión");
    expect(refusalHtml).toContain(`value="${email}"`); // the form again, as typed
    expect(await portal.db.conversation.count({ where: { guestEmail: email } })).toBe(allowed);
    expect((await post(portal.browser(), "/help", clientAddress(), { name: "Other", email, topic: "OTHER" })).status).toBe(302);
  });
});

describe("chat transcripts by email", () => {
  it("stop after the limit for one recipient, whichever client asks", async () => {
    const email = `transcript-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const ip = clientAddress();
    const guest = portal.browser();
    expect((await post(guest, "/help", ip, { name: "Tess", email, topic: "OTHER" })).status).toBe(302);
    const socket = await socketFor(guest, ip);
    const conversationId = (await portal.db.conversation.findFirstOrThrow({ where: { guestEmail: email } })).id;
    const allowed = THROTTLES.transcriptPerRecipient.points;
    for (let i = 0; i < allowed; i++) expect(await socket.emitWithAck("conversation:transcript", { conversationId })).toEqual({ data: { ok: true } });
    expect(await socket.emitWithAck("conversation:transcript", { conversationId })).toEqual({ error: "chat:errors.tooManyTranscripts" });

    // A second chat typed with the same address, from another client: the recipient is full.
    const other = portal.browser();
    const otherIp = clientAddress();
    expect((await post(other, "/help", otherIp, { name: "Tess", email, topic: "OTHER" })).status).toBe(302);
    const otherSocket = await socketFor(other, otherIp);
    const otherId = (await portal.db.conversation.findFirstOrThrow({ where: { guestEmail: email, id: { not: conversationId } } })).id;
    expect(await otherSocket.emitWithAck("conversation:transcript", { conversationId: otherId })).toEqual({ error: "chat:errors.tooManyTranscripts" });
    expect(await portal.db.outboxEmail.count({ where: { to: email, template: "chat_transcript" } })).toBe(allowed);
  });
});

describe("password-reset mails", () => {
  it("stop after the limit for one user, and the answer looks the same", async () => {
    const email = "billing@pacificcoast.example";
    const ip = clientAddress();
    const pages: string[] = [];
    for (let i = 0; i < THROTTLES.passwordResetPerRecipient.points + 2; i++) {
      const res = await post(portal.browser(), "/forgot-password", ip, { email });
      expect(res.status).toBe(200);
      pages.push(textOf(await res.text()));
    }
    expect(await portal.db.outboxEmail.count({ where: { to: email, template: "password_reset" } })).toBe(THROTTLES.passwordResetPerRecipient.points);
    // Sent, and not sent because of the limit: the same page, word for word.
    expect(pages[0]).toContain("If that email belongs to a portal user, a reset link is on its way");
    expect(new Set(pages).size).toBe(1);
    // An address with no account answers the same as well.
    const unknown = await post(portal.browser(), "/forgot-password", ip, { email: "nobody-here@example.com" });
    expect(textOf(await unknown.text()).replace("nobody-here@example.com", email)).toBe(pages[0]);
  });
});

describe("anonymous credit drafts", () => {
  it("are refused past the limit for one client, with the form shown again and nothing stored", async () => {
    const ip = clientAddress();
    const before = await portal.db.creditApplication.count();
    const allowed = THROTTLES.anonymousCreditDraftPerClient.points;
    for (let i = 0; i < allowed; i++) {
      const res = await post(portal.browser(), "/credit/apply", ip, { step: "company", intent: "next", companyName: `Draft ${i}` });
      expect(res.status).toBe(400); // a draft kept with its errors
    }
    expect(await portal.db.creditApplication.count()).toBe(before + allowed);
    const refused = await post(portal.browser({ acceptLanguage: "en" }), "/credit/apply", ip, { step: "company", intent: "next", companyName: "One too many" });
    expect(refused.status).toBe(429);
    const html = await refused.text();
    expect(textOf(html)).toContain("Too many applications were started from this connection today");
    expect(html).toContain('value="One too many"');
    expect(await portal.db.creditApplication.count()).toBe(before + allowed);
  });
});

describe("uploads", () => {
  async function newDraft(ip: string) {
    const visitor = portal.browser({ acceptLanguage: "en" });
    expect((await post(visitor, "/credit/apply", ip, { step: "company", intent: "next", companyName: "Uploads Inc" })).status).toBe(400);
    return visitor;
  }
  const uploadTo = (b: Browser, ip: string, files: { name: string; bytes: Uint8Array }[]) =>
    postFiles(b, "/credit/apply", ip, { step: "company", kind: "OTHER" }, "document", files);

  it("a draft takes documents up to its count budget, then refuses them and writes nothing", async () => {
    const ip = clientAddress();
    const visitor = await newDraft(ip);
    const files = storedFiles().length;
    for (let i = 0; i < UPLOAD_BUDGET_PER_CREDIT_APPLICATION.files; i++)
      expect((await uploadTo(visitor, ip, [{ name: `doc-${i}.pdf`, bytes: PDF }])).status).toBe(302);
    expect(storedFiles().length).toBe(files + UPLOAD_BUDGET_PER_CREDIT_APPLICATION.files);
    const refused = await uploadTo(visitor, ip, [{ name: "one-more.pdf", bytes: PDF }]);
    expect(refused.status).toBe(400);
    expect(textOf(await refused.text())).toContain("This application already has 10 documents");
    expect(storedFiles().length).toBe(files + UPLOAD_BUDGET_PER_CREDIT_APPLICATION.files);
  });

  it("a draft's documents may not add up to more than its byte budget", async () => {
    const ip = clientAddress();
    const visitor = await newDraft(ip);
    const big = new Uint8Array(9 * 1024 * 1024);
    big.set(PDF);
    const files = storedFiles().length;
    expect((await uploadTo(visitor, ip, [{ name: "a.pdf", bytes: big }])).status).toBe(302);
    expect((await uploadTo(visitor, ip, [{ name: "b.pdf", bytes: big }])).status).toBe(302);
    const refused = await uploadTo(visitor, ip, [{ name: "c.pdf", bytes: big }]);
    expect(refused.status).toBe(400);
    expect(textOf(await refused.text())).toContain("may add up to 25 MB at most");
    expect(storedFiles().length).toBe(files + 2);
  });

  it("a refused form leaves no file behind: a bad file, an invalid dispute", async () => {
    const ip = clientAddress();
    const files = storedFiles();
    const visitor = await newDraft(ip);
    expect((await uploadTo(visitor, ip, [{ name: "page.pdf", bytes: new TextEncoder().encode("<html>") }])).status).toBe(400);

    const customer = await portal.signedIn("cxp@distnorte.example");
    const user = await portal.db.user.findUniqueOrThrow({ where: { email: "cxp@distnorte.example" } });
    const invoice = await portal.db.invoice.findFirstOrThrow({ where: { accountId: user.accountId!, status: "OPEN" } });
    // The reason is missing: the dispute is refused, and so is its attachment.
    const res = await postFiles(
      customer,
      `/disputes/new?invoice=${invoice.id}`,
      ip,
      { invoiceId: invoice.id, scope: "invoice", message: "No reason given" },
      "attachment",
      [{ name: "proof.pdf", bytes: PDF }],
    );
    expect(res.status).toBe(400);
    expect(storedFiles()).toEqual(files);
  });

  it("the sweep removes an orphan more than an hour old and keeps referenced and recent files", async () => {
    const ip = clientAddress();
    const visitor = await newDraft(ip);
    const before = new Set(storedFiles());
    expect((await uploadTo(visitor, ip, [{ name: "kept.pdf", bytes: PDF }])).status).toBe(302);
    const referenced = storedFiles().find((f) => !before.has(f))!;
    expect(await portal.db.applicationDocument.count({ where: { storageKey: referenced } })).toBe(1);
    const month = referenced.split("/")[0];
    const orphan = `${month}/${crypto.randomUUID()}`;
    const recent = `${month}/${crypto.randomUUID()}`;
    for (const key of [orphan, referenced, recent]) fs.writeFileSync(path.join(uploadDir, key), "%PDF-x", { flag: key === referenced ? "a" : "w" });
    for (const key of [orphan, referenced]) fs.utimesSync(path.join(uploadDir, key), TWO_HOURS_AGO, TWO_HOURS_AGO);

    const { removed } = await sweepOrphanUploadsNow();
    expect(removed).toContain(orphan);
    expect(removed).not.toContain(referenced);
    expect(fs.existsSync(path.join(uploadDir, orphan))).toBe(false);
    expect(fs.existsSync(path.join(uploadDir, referenced))).toBe(true);
    expect(fs.existsSync(path.join(uploadDir, recent))).toBe(true);
  });
});

describe("dismissing spam chats in bulk", () => {
  it("closes the chosen waiting chats as spam, audited, and tells their guests; a customer cannot call it", async () => {
    await clearChatFloor(portal.db);
    const ip = clientAddress();
    const guests: { browser: Browser; id: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const browser = portal.browser();
      const email = `spam-${i}-${crypto.randomUUID().slice(0, 6)}@example.com`;
      expect((await post(browser, "/help", ip, { name: `Spam ${i}`, email, topic: "OTHER" })).status).toBe(302);
      guests.push({ browser, id: (await portal.db.conversation.findFirstOrThrow({ where: { guestEmail: email } })).id });
    }
    const chosen = [guests[0].id, guests[1].id];
    const guestSocket = await socketFor(guests[0].browser, ip);
    await guestSocket.emitWithAck("conversation:join", { conversationId: guests[0].id });

    // A customer's socket: the event is not theirs, and nothing changes.
    const customer = await socketFor(await portal.signedIn("ap@acme-industrial.example"), ip);
    expect(await customer.emitWithAck("console:dismiss-spam", { conversationIds: chosen })).toEqual({ error: "chat:errors.forbidden" });
    expect(await portal.db.conversation.count({ where: { id: { in: chosen }, status: "CLOSED" } })).toBe(0);

    const rep = await socketFor(await portal.signedIn("rep3@accounts.example"), ip);
    expect(await rep.emitWithAck("console:dismiss-spam", { conversationIds: [] })).toEqual({ error: "chat:errors.chooseSpam" });
    const closedForGuest = next(guestSocket, "conversation:status", (s: Any) => s.state === "closed");
    const reply = await rep.emitWithAck("console:dismiss-spam", { conversationIds: chosen });
    expect([...reply.data.closed].sort()).toEqual([...chosen].sort());
    expect((await closedForGuest).conversationId).toBe(guests[0].id);

    const rows = await portal.db.conversation.findMany({ where: { id: { in: guests.map((g) => g.id) } } });
    for (const row of rows) {
      if (chosen.includes(row.id)) expect(row).toMatchObject({ status: "CLOSED", disposition: "spam" });
      else expect(row.status).not.toBe("CLOSED");
    }
    const rep3 = await portal.db.user.findUniqueOrThrow({ where: { email: "rep3@accounts.example" } });
    expect(
      await portal.db.auditLog.count({ where: { entity: "Conversation", entityId: { in: chosen }, action: "chat.dismissed_spam", actorId: rep3.id } }),
    ).toBe(2);
    // Dismissing them again changes nothing.
    expect((await rep.emitWithAck("console:dismiss-spam", { conversationIds: chosen })).data.closed).toEqual([]);
  });
});
