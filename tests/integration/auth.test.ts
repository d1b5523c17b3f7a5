import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../prisma/demo-users";
import { resetPathIn, startMailCatcher, type MailCatcher } from "../support/mail-catcher";
import { startPortal, textOf, type TestPortal } from "../support/portal";

/** The reset mail is made after the answer: wait for it to land in the outbox. */
async function mailTo(db: TestPortal["db"], to: string, template = "password_reset", after = new Date(0)) {
  for (let i = 0; i < 100; i++) {
    const mail = await db.outboxEmail.findFirst({ where: { to, template, createdAt: { gte: after } }, orderBy: { createdAt: "desc" } });
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${template} mail to ${to}`);
}

let portal: TestPortal;
let mailbox: MailCatcher;
beforeAll(async () => {
  // Mail is delivered over SMTP to a catcher: the reset link exists only in the delivered mail.
  mailbox = await startMailCatcher();
  portal = await startPortal({ SMTP_URL: mailbox.url });
});
afterAll(async () => {
  await portal?.close();
  await mailbox?.close();
});

describe("sign-in", () => {
  it("signs a customer in and lands on their account home", async () => {
    const browser = portal.browser();
    const res = await browser.post("/login", { email: "AP@acme-industrial.example ", password: DEMO_PASSWORD });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/account");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("__session="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const page = await browser.page("/account");
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain("Acme Industrial Supply Inc.");
  });

  it("sends a rep to the rep home", async () => {
    const res = await portal.browser().post("/login", { email: "rep3@accounts.example", password: DEMO_PASSWORD });
    expect(res.headers.get("location")).toBe("/rep");
  });

  it("answers bad input with field errors in the visitor's language and no session", async () => {
    const en = await portal.browser().post("/login", { email: "not-an-email", password: "" });
    expect(en.status).toBe(400);
    expect(en.headers.getSetCookie().some((c) => c.startsWith("__session="))).toBe(false);
    const enText = textOf(await en.text());
    expect(enText).toContain("Enter an email address such as name@company.com.");
    expect(enText).toContain("Enter your password.");

    const es = await portal.browser({ acceptLanguage: "es-MX,es;q=0.9" }).post("/login", { email: "", password: "x" });
    expect(es.status).toBe(400);
    expect(textOf(await es.text())).toContain("Escriba su correo electrónico.");
  });

  it("gives the same answer for an unknown email and a wrong password", async () => {
    const unknown = await portal.browser().post("/login", { email: "nobody@nowhere.example", password: "whatever-123" });
    const wrong = await portal.browser().post("/login", { email: "rep1@accounts.example", password: "wrong-password" });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(textOf(await unknown.text())).toContain("That email and password do not match our records.");
    expect(textOf(await wrong.text())).toContain("That email and password do not match our records.");
  });

  it("throttles repeated failures for an email, even with the right password after", async () => {
    const browser = portal.browser({ acceptLanguage: "es" });
    for (let i = 0; i < 5; i++) {
      const res = await browser.post("/login", { email: "billing@pacificcoast.example", password: `wrong-${i}` });
      expect(res.status).toBe(401);
    }
    const blocked = await browser.post("/login", { email: "billing@pacificcoast.example", password: DEMO_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(textOf(await blocked.text())).toContain("Demasiados intentos de inicio de sesión");
  });

  it("never follows a redirect off the site after sign-in", async () => {
    const res = await portal.browser().post("/login", { email: "rep2@accounts.example", password: DEMO_PASSWORD, redirectTo: "//evil.example/x" });
    expect(res.headers.get("location")).toBe("/rep");
    const deep = await portal.browser().post("/login", { email: "rep2@accounts.example", password: DEMO_PASSWORD, redirectTo: "/rep/accounts/x?y=1" });
    expect(deep.headers.get("location")).toBe("/rep/accounts/x?y=1");
  });

  it("signs out: the old cookie no longer opens anything", async () => {
    const browser = await portal.signedIn("senior@accounts.example");
    const stolenCookie = browser.cookieHeader();
    const out = await browser.post("/logout", {});
    expect(out.status).toBe(302);
    const replay = await fetch(`${portal.url}/rep`, { headers: { Cookie: stolenCookie }, redirect: "manual" });
    expect(replay.status).toBe(302);
    expect(replay.headers.get("location")).toMatch(/^\/login/);
  });
});

describe("password reset by email", () => {
  it("emails a one-time link in the user's language; the new password works and the old one doesn't", async () => {
    const visitor = portal.browser();
    const requested = await visitor.post("/forgot-password", { email: "cxp@distnorte.example" });
    expect(requested.status).toBe(200);

    const mail = await mailTo(portal.db, "cxp@distnorte.example");
    expect(mail.language).toBe("es");
    expect(mail.subject).toBe("Restablezca su contraseña de Cuentas de Clientes");
    const delivered = await mailbox.waitFor("cxp@distnorte.example", /Restablezca su contraseña/);
    const link = resetPathIn(delivered.text);
    expect(link).toMatch(/^\/reset-password\?token=[\w-]{40,}$/);
    // The stored copy (what the staff outbox shows) says a link went out, never which.
    expect(mail.text).not.toContain(link.split("=")[1]);
    expect(mail.text).toContain("se envió al destinatario un enlace para restablecer la contraseña");

    const short = await visitor.post("/reset-password", { token: link!.split("=")[1], password: "short", confirm: "short" });
    expect(short.status).toBe(400);
    // Long enough but the first thing an attacker tries: refused in the reader's language, and the link still works.
    // (The rule's other shapes are in tests/unit/password-rules.test.ts.)
    for (const guessable of ["password1234", "Contraseña2026!"]) {
      const res = await visitor.post(link!, { token: link!.split("=")[1], password: guessable, confirm: guessable });
      expect(res.status, guessable).toBe(400);
      expect(textOf(await res.text()), guessable).toContain("That password is too easy to guess.");
    }
    const form = await visitor.page(link!);
    expect(form.status).toBe(200);
    const done = await visitor.post("/reset-password", { token: link!.split("=")[1], password: "Nueva-Clave-2026", confirm: "Nueva-Clave-2026" });
    expect(done.status).toBe(302);

    const again = await visitor.post("/reset-password", { token: link!.split("=")[1], password: "Otra-Clave-2026", confirm: "Otra-Clave-2026" });
    expect(again.status).toBe(400);
    expect((await portal.browser().post("/login", { email: "cxp@distnorte.example", password: DEMO_PASSWORD })).status).toBe(401);
    expect((await portal.browser().post("/login", { email: "cxp@distnorte.example", password: "Nueva-Clave-2026" })).status).toBe(302);
  });

  it("answers the same for unknown emails and sends nothing", async () => {
    const before = await portal.db.outboxEmail.count();
    const res = await portal.browser().post("/forgot-password", { email: "ghost@nowhere.example" });
    expect(res.status).toBe(200);
    expect(await portal.db.outboxEmail.count()).toBe(before);
  });

  it("spends every link the user was sent when one of them is used", async () => {
    // Nobody else's tests throttle this one's sign-in.
    const email = "admin@herramientas-ibericas.example";
    const tokens: string[] = [];
    for (let i = 0; i < 3; i++) {
      const before = await portal.db.passwordResetToken.count({ where: { user: { email } } });
      const delivered = mailbox.messages.filter((m) => m.to.includes(email)).length;
      expect((await portal.browser().post("/forgot-password", { email })).status).toBe(200);
      for (let j = 0; j < 100 && mailbox.messages.filter((m) => m.to.includes(email)).length <= delivered; j++) await new Promise((r) => setTimeout(r, 50));
      expect(await portal.db.passwordResetToken.count({ where: { user: { email } } })).toBe(before + 1);
      // The link exists only in the delivered mail (never in the outbox's stored copy).
      const mail = mailbox.messages.filter((m) => m.to.includes(email)).at(-1)!;
      tokens.push(new URLSearchParams(resetPathIn(mail.text).split("?")[1]).get("token")!);
    }
    // The middle one is used; the older and the newer ones die with it.
    expect((await portal.browser().post("/reset-password", { token: tokens[1], password: "Middle-Pass-2026", confirm: "Middle-Pass-2026" })).status).toBe(302);
    for (const token of [tokens[0], tokens[2]]) {
      expect((await portal.browser().page(`/reset-password?token=${token}`)).status).toBe(400);
      expect((await portal.browser().post("/reset-password", { token, password: "Other-Pass-2026", confirm: "Other-Pass-2026" })).status).toBe(400);
    }
    expect((await portal.browser().post("/login", { email, password: "Middle-Pass-2026" })).status).toBe(302);
  });

  it("lifts the sign-in lock it is offered for, and the sign-in page says the password is set", async () => {
    const email = "billing@pacificcoast.example";
    const visitor = portal.browser({ acceptLanguage: "es" });
    // Locked out (earlier tests may have started the count: wrong passwords until the lock).
    let locked: Response | null = null;
    for (let i = 0; i < 6 && !locked; i++) {
      const res = await visitor.post("/login", { email, password: `wrong-again-${i}` });
      if (res.status === 429) locked = res;
    }
    expect(locked?.status).toBe(429);
    expect(textOf(await locked!.text())).toContain("restablezca su contraseña");

    const delivered = mailbox.messages.filter((m) => m.to.includes(email)).length;
    expect((await visitor.post("/forgot-password", { email })).status).toBe(200);
    for (let j = 0; j < 100 && mailbox.messages.filter((m) => m.to.includes(email)).length <= delivered; j++) await new Promise((r) => setTimeout(r, 50));
    const token = new URLSearchParams(resetPathIn(mailbox.messages.filter((m) => m.to.includes(email)).at(-1)!.text).split("?")[1]).get("token")!;
    const done = await visitor.post("/reset-password", { token, password: "Pacific-Clave-2026", confirm: "Pacific-Clave-2026" });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/login?reset=1");
    const landing = await visitor.page(done.headers.get("location")!);
    expect(landing.status).toBe(200);
    expect(textOf(landing.html)).toContain("Su contraseña quedó guardada. Inicie sesión con ella.");
    expect(textOf((await portal.browser({ acceptLanguage: "en-US" }).page("/login?reset=1")).html)).toContain("Your password is set. Sign in with it.");
    // Not on a plain visit to the sign-in page.
    expect(textOf((await portal.browser({ acceptLanguage: "en-US" }).page("/login")).html)).not.toContain("Your password is set.");

    // The same client that was locked out signs in with the new password at once.
    expect((await visitor.post("/login", { email, password: "Pacific-Clave-2026" })).status).toBe(302);
    // And the count starts afresh: a wrong password is one failure, not a lock.
    expect((await portal.browser().post("/login", { email, password: "wrong-after-reset" })).status).toBe(401);
  });

  it("rejects a forged token", async () => {
    const page = await portal.browser().page("/reset-password?token=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    expect(page.status).toBe(400);
    expect(textOf(page.html)).toContain("This reset link is invalid, already used or expired.");
  });
});

describe("forgot-password never waits on the mail", () => {
  // An SMTP server that accepts connections and never says a word: a send to it never finishes.
  const connections: net.Socket[] = [];
  const silentSmtp = net.createServer((socket) => connections.push(socket));
  let slow: TestPortal;
  beforeAll(async () => {
    await new Promise<void>((resolve) => silentSmtp.listen(0, "127.0.0.1", resolve));
    const { port } = silentSmtp.address() as net.AddressInfo;
    slow = await startPortal({ SMTP_URL: `smtp://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    for (const c of connections) c.destroy();
    await new Promise((resolve) => silentSmtp.close(resolve));
    // Let the stuck send fail and be recorded before the database goes.
    for (let i = 0; i < 100 && (await slow?.db.outboxEmail.count({ where: { status: "QUEUED" } })); i++) await new Promise((r) => setTimeout(r, 50));
    await slow?.close();
  });

  it("answers a known address while its mail is still stuck, as it answers an unknown one: the same page, and the link is made afterwards", async () => {
    const known = await slow.browser().post("/forgot-password", { email: "ap@acme-industrial.example" });
    const unknown = await slow.browser().post("/forgot-password", { email: "nobody-here@acme-industrial.example" });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const [knownText, unknownText] = [textOf(await known.text()), textOf(await unknown.text())];
    expect(knownText.replace("ap@acme-industrial.example", "")).toBe(unknownText.replace("nobody-here@acme-industrial.example", ""));
    // The answer came back although the mail server has not let the message through (it never will).
    const mail = await mailTo(slow.db, "ap@acme-industrial.example");
    for (let i = 0; i < 100 && connections.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(connections.length).toBe(1);
    expect((await slow.db.outboxEmail.findUniqueOrThrow({ where: { id: mail.id } })).status).toBe("QUEUED");
    expect(await slow.db.outboxEmail.count({ where: { to: "nobody-here@acme-industrial.example" } })).toBe(0);
  });
});
