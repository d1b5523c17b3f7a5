import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

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
