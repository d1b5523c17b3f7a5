/**
 * A newly approved company's way in: the welcome link lives a week (a reset link an
 * hour), an applicant whose email already signs in elsewhere never leaves the company
 * without a first user, and account numbers are never handed out twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetPathIn, startMailCatcher, type MailCatcher } from "../support/mail-catcher";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";

let portal: TestPortal;
let mailbox: MailCatcher;
beforeAll(async () => {
  // The welcome link exists only in the mail delivered over SMTP (here, to a catcher).
  mailbox = await startMailCatcher();
  portal = await startPortal({ SMTP_URL: mailbox.url });
});
afterAll(async () => {
  await portal?.close();
  await mailbox?.close();
});

const DAY_MS = 86_400_000;

function company(overrides: Record<string, string>) {
  return {
    step: "company",
    intent: "next",
    applicantName: "Dana Whitfield",
    applicantEmail: "dana@whitfield-supply.example",
    companyName: "Whitfield Supply LLC",
    country: "US",
    currency: "USD",
    taxId: "12-3456789",
    addressLine1: "400 Harbor Blvd",
    city: "Oakland",
    region: "CA",
    postalCode: "94607",
    yearsInBusiness: "12",
    annualRevenue: "2,000,000.00",
    ...overrides,
  };
}

async function apply(visitor: Browser, fields: Record<string, string>, limit = "9,000.00") {
  expect((await visitor.post("/credit/apply", fields)).status).toBe(302);
  expect(
    (
      await visitor.post("/credit/apply", {
        step: "references",
        intent: "next",
        ref1Company: "Bay Lumber",
        ref1Contact: "Joe Ruiz",
        ref1Email: "joe@baylumber.example",
        ref2Company: "Coast Steel",
        ref2Contact: "Amy Chen",
        ref2Email: "amy@coaststeel.example",
        bankName: "First Bank",
        bankAccountLast4: "0932",
        bankContact: "",
      })
    ).status,
  ).toBe(302);
  expect((await visitor.post("/credit/apply", { step: "request", intent: "next", requestedLimit: limit, requestedTermsDays: "30" })).status).toBe(302);
  const res = await visitor.post("/credit/apply", { step: "sign", intent: "next", signatureName: fields.applicantName, authorize: "yes" });
  expect(res.status).toBe(200);
  return portal.db.creditApplication.findFirstOrThrow({
    where: { applicantEmail: fields.applicantEmail, companyName: fields.companyName },
    orderBy: { createdAt: "desc" },
  });
}

describe("the welcome link", () => {
  it("works for 7 days, says so in English, and a password reset link still lives an hour", async () => {
    const app = await apply(portal.browser({ acceptLanguage: "en-US" }), company({}));
    expect(app.status).toBe("APPROVED");
    const user = await portal.db.user.findUniqueOrThrow({ where: { email: "dana@whitfield-supply.example" } });
    const token = await portal.db.passwordResetToken.findFirstOrThrow({ where: { userId: user.id } });
    const lifetime = token.expiresAt.getTime() - token.createdAt.getTime();
    expect(Math.round(lifetime / DAY_MS)).toBe(7);
    const mail = await portal.db.outboxEmail.findFirstOrThrow({ where: { to: user.email, template: "account_welcome" } });
    expect(mail.text).toContain("open this link within 7 days");
    // A US account reads times in its own zone (America/Chicago), named in the mail.
    const expires = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "America/Chicago" }).format(token.expiresAt);
    expect(mail.text).toContain(`it works until ${expires}`);

    // Six days later the link still opens the choose-a-password page.
    await portal.db.passwordResetToken.update({ where: { id: token.id }, data: { expiresAt: new Date(Date.now() + DAY_MS) } });
    const link = resetPathIn((await mailbox.waitFor(user.email, /Your Customer Accounts portal access/)).text);
    expect(mail.text).not.toContain(link.split("=")[1]);
    expect((await portal.browser().page(link)).status).toBe(200);

    const reset = await portal.browser().post("/forgot-password", { email: user.email });
    expect(reset.status).toBeLessThan(400);
    // The reset link is made after the answer (its timing must not tell who has an account).
    let resetToken = await portal.db.passwordResetToken.findFirstOrThrow({ where: { userId: user.id }, orderBy: { createdAt: "desc" } });
    for (let i = 0; i < 100 && resetToken.id === token.id; i++) {
      await new Promise((r) => setTimeout(r, 50));
      resetToken = await portal.db.passwordResetToken.findFirstOrThrow({ where: { userId: user.id }, orderBy: { createdAt: "desc" } });
    }
    expect(Math.round((resetToken.expiresAt.getTime() - resetToken.createdAt.getTime()) / 60_000)).toBe(60);
    let resetMail = await portal.db.outboxEmail.findFirst({ where: { to: user.email, template: "password_reset" } });
    for (let i = 0; i < 100 && !resetMail; i++) {
      await new Promise((r) => setTimeout(r, 50));
      resetMail = await portal.db.outboxEmail.findFirst({ where: { to: user.email, template: "password_reset" } });
    }
    expect(resetMail?.text).toContain("within 60 minutes");
  });

  it("says the same in Spanish for a Spanish applicant", async () => {
    await apply(
      portal.browser({ acceptLanguage: "es-MX,es;q=0.9" }),
      company({ applicantEmail: "compras@ferre-sol.example", companyName: "Ferre Sol LLC", taxId: "23-4567890" }),
    );
    const mail = await portal.db.outboxEmail.findFirstOrThrow({ where: { to: "compras@ferre-sol.example", template: "account_welcome" } });
    expect(mail.language).toBe("es");
    expect(mail.text).toContain("abra este enlace en los próximos 7 días (sirve una sola vez, hasta el");
  });
});

describe("an applicant whose email already signs in to another account", () => {
  let applicationId: string;
  const taken = "ap@acme-industrial.example";

  it("is not approved automatically into an account nobody can reach: it waits for a rep, who is told why", async () => {
    const app = await apply(
      portal.browser({ acceptLanguage: "en-US" }),
      company({ applicantName: "Pat Morgan", applicantEmail: taken, companyName: "Morgan Tooling LLC", taxId: "34-5678901" }),
    );
    applicationId = app.id;
    expect(app.status).toBe("SUBMITTED");
    expect(app.accountId).toBeNull();
    expect(await portal.db.creditApplicationEvent.count({ where: { applicationId, kind: "first_user_needed" } })).toBe(1);

    const rep = await portal.signedIn("rep3@accounts.example");
    const page = await rep.page(`/rep/credit/applications/${applicationId}`);
    const text = textOf(page.html);
    expect(text).toContain(`${taken} already signs in to the portal for another account, so it cannot be this company's first user.`);
    expect(text).toContain("is waiting for a rep to name the new account's first user");
    expect(page.html).toMatch(/name="firstUserEmail"[^>]*value=""/);
  });

  it("refuses an approval with that email, with a translated explanation, and changes nothing", async () => {
    const rep = await portal.signedIn("rep3@accounts.example");
    const accounts = await portal.db.account.count();
    for (const [firstUserEmail, message] of [
      [taken, "This email already signs in to the portal for another account"],
      ["not-an-email", "Enter a valid email address."],
    ]) {
      const res = await rep.post(`/rep/credit/applications/${applicationId}`, { intent: "approve", limit: "9,000.00", termsDays: "30", firstUserEmail });
      expect(res.status).toBe(400);
      expect(textOf(await res.text())).toContain(message);
    }
    expect(await portal.db.account.count()).toBe(accounts);
    expect((await portal.db.creditApplication.findUniqueOrThrow({ where: { id: applicationId } })).status).toBe("SUBMITTED");

    // A Spanish-speaking rep reads it in Spanish.
    const rep2 = await portal.signedIn("rep2@accounts.example");
    const es = await rep2.post(`/rep/credit/applications/${applicationId}`, { intent: "approve", limit: "9,000.00", termsDays: "30", firstUserEmail: "" });
    expect(es.status).toBe(400);
    expect(textOf(await es.text())).toContain("Este correo ya inicia sesión en el portal para otra cuenta");
  });

  it("is approved with another address at the company, which gets the welcome; the applicant gets the decision", async () => {
    const acmeUser = await portal.db.user.findUniqueOrThrow({ where: { email: taken } });
    const rep = await portal.signedIn("rep3@accounts.example");
    const res = await rep.post(`/rep/credit/applications/${applicationId}`, {
      intent: "approve",
      limit: "9,000.00",
      termsDays: "30",
      firstUserEmail: " Controller@Morgan-Tooling.example ",
      firstUserName: "Lee Morgan",
    });
    expect(res.status).toBe(302);
    // The outcome is announced politely (role=status), as every form result is.
    expect((await rep.page(res.headers.get("location")!)).html).toMatch(/<div class="alert success" role="status">[^<]*approved/i);
    const app = await portal.db.creditApplication.findUniqueOrThrow({ where: { id: applicationId } });
    expect(app.status).toBe("APPROVED");
    const first = await portal.db.user.findUniqueOrThrow({ where: { email: "controller@morgan-tooling.example" } });
    expect(first).toMatchObject({ accountId: app.accountId, name: "Lee Morgan", role: "CUSTOMER" });
    // The existing user stays where they were.
    expect((await portal.db.user.findUniqueOrThrow({ where: { email: taken } })).accountId).toBe(acmeUser.accountId);
    expect(await portal.db.outboxEmail.count({ where: { to: first.email, template: "account_welcome" } })).toBe(1);
    // The applicant is told what was approved and who the account's first user is.
    const decision = await portal.db.outboxEmail.findFirstOrThrow({ where: { to: taken, template: "credit_approved" } });
    expect(decision.text).toContain(first.email);
    const audit = await portal.db.auditLog.findFirstOrThrow({ where: { accountId: app.accountId!, action: "account_created" } });
    expect(audit.after).toMatchObject({ firstUserEmail: first.email });
  });
});

describe("account numbers", () => {
  it("step over numbers already in use and are never handed out twice, even after an account is deleted", async () => {
    // An account loaded from elsewhere with the number a count would give next, and one far ahead.
    const count = await portal.db.account.count();
    await portal.db.account.createMany({
      data: [
        { number: `ACC-${1001 + count}`, legalName: "Imported A", taxId: "X", country: "US", currency: "USD" },
        { number: "ACC-1500", legalName: "Imported B", taxId: "X", country: "US", currency: "USD" },
      ],
    });
    const first = await apply(portal.browser(), company({ applicantEmail: "ap@numbers-one.example", companyName: "Numbers One LLC", taxId: "45-6789012" }));
    const one = await portal.db.account.findUniqueOrThrow({ where: { id: first.accountId! } });
    expect(one.number).toBe("ACC-1501");

    // The newest account is removed (as an admin clean-up would); its number does not come back.
    await portal.db.creditApplication.updateMany({ where: { accountId: one.id }, data: { accountId: null } });
    await portal.db.accountNote.deleteMany({ where: { accountId: one.id } });
    await portal.db.auditLog.deleteMany({ where: { accountId: one.id } });
    await portal.db.user.deleteMany({ where: { accountId: one.id } });
    await portal.db.account.delete({ where: { id: one.id } });

    // Two approvals at once get two different, new numbers.
    const [a, b] = await Promise.all([
      apply(portal.browser(), company({ applicantEmail: "ap@numbers-two.example", companyName: "Numbers Two LLC", taxId: "56-7890123" })),
      apply(portal.browser(), company({ applicantEmail: "ap@numbers-three.example", companyName: "Numbers Three LLC", taxId: "67-8901234" })),
    ]);
    const numbers = (await portal.db.account.findMany({ where: { id: { in: [a.accountId!, b.accountId!] } } })).map((x) => x.number).sort();
    expect(numbers).toEqual(["ACC-1502", "ACC-1503"]);
  });
});
