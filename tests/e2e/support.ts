import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type Page } from "@playwright/test";
import type { CaughtMail } from "../support/mail-catcher";

/** Where the test server's SMTP catcher writes each message (playwright.config.ts). */
const MAIL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../.data/e2e/mail");

/** The newest mail delivered to `to` whose subject or text matches, as its recipient got it. */
export async function deliveredMail(to: string, match: RegExp): Promise<CaughtMail> {
  let found: CaughtMail | undefined;
  await expect
    .poll(() => {
      const files = fs.existsSync(MAIL_DIR) ? fs.readdirSync(MAIL_DIR).sort((a, b) => parseInt(a) - parseInt(b) || a.localeCompare(b)) : [];
      const mails = files.map((f) => JSON.parse(fs.readFileSync(path.join(MAIL_DIR, f), "utf8")) as CaughtMail);
      found = mails.reverse().find((m) => m.to.includes(to.toLowerCase()) && (match.test(m.subject) || match.test(m.text)));
      return Boolean(found);
    })
    .toBe(true);
  return found!;
}

/** The path and query of the reset or welcome link in a delivered mail. */
export function resetLinkIn(mail: CaughtMail): string {
  const url = new URL(mail.text.match(/https?:\/\/\S+\/reset-password\?token=[\w-]+/)![0]);
  return url.pathname + url.search;
}

/** Password of every seeded demo user (prisma/demo-users.ts). */
export const PASSWORD = "Demo-Portal-2026";

/** Signs in through the form, in either language, and waits for the landing page. */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel(/^(Email|Correo electrónico)$/).fill(email);
  await page.getByLabel(/^(Password|Contraseña)$/).fill(password);
  await page.getByRole("button", { name: /^(Sign in|Iniciar sesión)$/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

/** No WCAG 2 A/AA violations that axe can find on the current page. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/**
 * Live chat is offered by each team's calendar; a manager opens it around the clock on
 * the hours page, so chat flows do not depend on the time of day the suite runs.
 */
export async function openLiveChatAroundTheClock(browser: Browser) {
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  await signIn(page, "manager@accounts.example");
  await page.goto("/rep/chat/hours");
  for (const team of ["English team", "Spanish team"]) {
    const form = page.getByRole("region", { name: team });
    for (const day of ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]) await form.getByLabel(day).check();
    await form.getByLabel("Opens at (HH:MM)").fill("00:00");
    await form.getByLabel(/^Closes at/).fill("24:00");
    await form.getByLabel(/^Holidays/).fill("");
    await form.getByRole("button", { name: "Save hours" }).click();
    await expect(page.getByRole("region", { name: team }).getByText("Hours saved.")).toBeVisible();
  }
  await context.close();
}
