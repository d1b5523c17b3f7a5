import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../prisma/demo-users";
import { resetPathIn, startMailCatcher, type MailCatcher } from "../support/mail-catcher";
import { startPortal, textOf, type TestPortal } from "../support/portal";

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

    const mail = await portal.db.outboxEmail.findFirstOrThrow({ where: { to: "cxp@distnorte.example", template: "password_reset" } });
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

  it("rejects a forged token", async () => {
    const page = await portal.browser().page("/reset-password?token=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    expect(page.status).toBe(400);
    expect(textOf(page.html)).toContain("This reset link is invalid, already used or expired.");
  });
});
