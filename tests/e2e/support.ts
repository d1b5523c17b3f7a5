import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type Page } from "@playwright/test";

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
