import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type TestPortal } from "../support/portal";

let portal: TestPortal;
beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  await portal?.close();
});

const hoursForm = { language: "es", timezone: "America/Mexico_City", days: "1", open: "08:00", close: "18:00", holidays: "2026-12-12\n2026-12-25" };

describe("help page", () => {
  it("offers guests the chat form in their language", async () => {
    const es = await portal.browser({ acceptLanguage: "es" }).page("/help");
    expect(es.status).toBe(200);
    expect(textOf(es.html)).toContain("Iniciar un chat");
    expect(textOf(es.html)).toContain("Número de cuenta (opcional)");
    const en = await portal.browser({ acceptLanguage: "en" }).page("/help");
    expect(textOf(en.html)).toContain("Start a chat");
  });

  it("tells a signed-in customer to use the widget, and never opens a guest chat for them", async () => {
    const customer = await portal.signedIn("ap@acme-industrial.example");
    expect(textOf((await customer.page("/help")).html)).toContain("we will already know your account");
    const before = await portal.db.conversation.count();
    expect((await customer.post("/help", { name: "x", email: "x@example.com", topic: "OTHER" })).status).toBe(302);
    expect(await portal.db.conversation.count()).toBe(before);
  });

  it("shows a guest their open chat after the form", async () => {
    const guest = portal.browser({ acceptLanguage: "en" });
    expect((await guest.post("/help", { name: "Sam", email: "sam@example.com", topic: "PAYMENT", invoiceRef: "INV-9" })).status).toBe(302);
    const page = await guest.page("/help");
    expect(textOf(page.html)).toContain("Your chat");
    const row = await portal.db.conversation.findFirstOrThrow({ where: { guestEmail: "sam@example.com" } });
    expect(row).toMatchObject({ topic: "PAYMENT", invoiceRef: "INV-9", language: "en", status: "QUEUED", accountId: null });
    expect(row.guestTokenHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("chat hours (managers)", () => {
  it("lets a manager change a team's hours, with an audit row", async () => {
    const manager = await portal.signedIn("manager@accounts.example");
    const res = await manager.post("/rep/chat/hours", hoursForm);
    expect(res.status).toBe(200);
    expect(textOf(await res.text())).toContain("Hours saved.");
    const row = await portal.db.policySetting.findUniqueOrThrow({ where: { key: "hours.es" } });
    expect(row.value).toEqual({ timezone: "America/Mexico_City", days: [1], open: "08:00", close: "18:00", holidays: ["2026-12-12", "2026-12-25"] });
    expect(await portal.db.auditLog.count({ where: { entityId: "hours.es", action: "chat.hours_changed" } })).toBe(1);
  });

  it("rejects bad hours with translated errors and changes nothing", async () => {
    const manager = await portal.signedIn("manager@accounts.example", { acceptLanguage: "es" });
    await manager.post("/set-language", { language: "es", redirectTo: "/rep/chat/hours" });
    const before = await portal.db.policySetting.findUniqueOrThrow({ where: { key: "hours.en" } });
    const res = await manager.post("/rep/chat/hours", { language: "en", timezone: "Mars/Olympus", open: "9am", close: "08:00", holidays: "25/12" });
    expect(res.status).toBe(400);
    const text = textOf(await res.text());
    expect(text).toContain("Escriba una zona horaria válida");
    expect(text).toContain("Elija al menos un día.");
    expect(text).toContain("Escriba la hora como HH:MM.");
    expect((await portal.db.policySetting.findUniqueOrThrow({ where: { key: "hours.en" } })).value).toEqual(before.value);
  });

  it("is for managers only: reps and customers get 403 and change nothing", async () => {
    const before = await portal.db.policySetting.findUniqueOrThrow({ where: { key: "hours.en" } });
    for (const email of ["rep1@accounts.example", "ap@acme-industrial.example"]) {
      const b = await portal.signedIn(email);
      expect((await b.get("/rep/chat/hours")).status).toBe(403);
      expect((await b.post("/rep/chat/hours", { ...hoursForm, language: "en" })).status).toBe(403);
    }
    expect((await portal.db.policySetting.findUniqueOrThrow({ where: { key: "hours.en" } })).value).toEqual(before.value);
  });
});

describe("chat hours: a holiday in the wrong format", () => {
  it("is refused with the reason shown next to the holidays, and nothing changes", async () => {
    const manager = await portal.signedIn("manager@accounts.example");
    await manager.post("/set-language", { language: "en", redirectTo: "/rep/chat/hours" });
    const before = await portal.db.policySetting.findUniqueOrThrow({ where: { key: "hours.en" } });
    const res = await manager.post("/rep/chat/hours", { ...hoursForm, language: "en", timezone: "America/Chicago", holidays: "2026-12-25\n25/12/2026" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(textOf(html)).toContain("Write each holiday as YYYY-MM-DD.");
    expect(html).toMatch(/id="en-holidays"[^>]*aria-invalid="true"/);
    expect((await portal.db.policySetting.findUniqueOrThrow({ where: { key: "hours.en" } })).value).toEqual(before.value);
  });
});

describe("chat routing rules (supervisors and managers)", () => {
  const rules = { unansweredReassignSeconds: "120", defaultCapacity: "2", maxCapacity: "6" };

  it("shows a supervisor the current rules and saves a plain form post, audited", async () => {
    const senior = await portal.signedIn("senior@accounts.example");
    const page = await senior.page("/rep/chat/policy");
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain("Move an unanswered chat after (seconds)");
    expect(page.html).toMatch(/name="unansweredReassignSeconds"[^>]*value="90"|value="90"[^>]*name="unansweredReassignSeconds"/);

    const res = await senior.post("/rep/chat/policy", rules);
    expect(res.status).toBe(200);
    expect(textOf(await res.text())).toContain("Chat rules saved.");
    const values = Object.fromEntries(
      (await portal.db.policySetting.findMany({ where: { key: { in: ["chat.unansweredReassignSeconds", "chat.defaultCapacity", "chat.maxCapacity"] } } })).map(
        (p) => [p.key, p.value],
      ),
    );
    expect(values).toEqual({ "chat.unansweredReassignSeconds": 120, "chat.defaultCapacity": 2, "chat.maxCapacity": 6 });
    expect(await portal.db.auditLog.count({ where: { action: "chat.policy_changed" } })).toBe(3);
  });

  it("refuses bad values with translated errors, keeps what was typed, and changes nothing", async () => {
    const manager = await portal.signedIn("manager@accounts.example");
    await manager.post("/set-language", { language: "es", redirectTo: "/rep/chat/policy" });
    const before = await portal.db.policySetting.findMany({ where: { key: { startsWith: "chat." } }, orderBy: { key: "asc" } });
    const res = await manager.post("/rep/chat/policy", { unansweredReassignSeconds: "5", defaultCapacity: "9", maxCapacity: "4" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(textOf(html)).toContain("Escriba un número entero de segundos entre 30 y 3600.");
    expect(textOf(html)).toContain("El valor predeterminado no puede ser mayor que el máximo.");
    expect(html).toMatch(/value="5"/);
    expect((await manager.post("/rep/chat/policy", { unansweredReassignSeconds: "abc", defaultCapacity: "", maxCapacity: "99" })).status).toBe(400);
    expect(await portal.db.policySetting.findMany({ where: { key: { startsWith: "chat." } }, orderBy: { key: "asc" } })).toEqual(before);
  });

  it("is refused to reps and customers, who change nothing", async () => {
    const before = await portal.db.policySetting.findMany({ where: { key: { startsWith: "chat." } }, orderBy: { key: "asc" } });
    for (const email of ["rep1@accounts.example", "rep3@accounts.example", "ap@acme-industrial.example"]) {
      const b = await portal.signedIn(email);
      expect((await b.get("/rep/chat/policy")).status).toBe(403);
      expect((await b.post("/rep/chat/policy", { unansweredReassignSeconds: "30", defaultCapacity: "20", maxCapacity: "20" })).status).toBe(403);
    }
    expect(await portal.db.policySetting.findMany({ where: { key: { startsWith: "chat." } }, orderBy: { key: "asc" } })).toEqual(before);
  });
});

describe("rep console page", () => {
  it("renders for staff in their language, with canned responses for both languages loaded", async () => {
    const rep = await portal.signedIn("rep3@accounts.example");
    const page = await rep.page("/rep/chat");
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain("Live chat");
  });
});

describe("inbound-mail webhook without a secret", () => {
  it("is switched off", async () => {
    const res = await fetch(`${portal.url}/webhooks/inbound-email`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ from: "a@b.co", text: "x", messageId: "<1@b.co>" }),
    });
    expect(res.status).toBe(404);
    expect((await (await portal.signedIn("ap@acme-industrial.example")).get("/webhooks/inbound-email")).status).toBe(405);
  });
});
