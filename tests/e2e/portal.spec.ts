import { expect, test } from "@playwright/test";
import { deliveredMail, expectAccessible, resetLinkIn, signIn } from "./support";

test("a customer sees their figures in English, switches to Spanish and sees the same page in Spanish", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your account with us, in one place");
  await signIn(page, "ap@acme-industrial.example");
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hello, Pat");
  await expect(page.getByTestId("figure-creditLimit")).toContainText("$400,000.00");
  const pastDue = await page.getByTestId("figure-pastDue").locator(".figure-value").innerText();
  expect(pastDue).toMatch(/^\$[\d,]+\.\d{2}$/);
  await expect(page.getByTestId("aging-over90")).toContainText("Over 90 days");
  await expectAccessible(page);

  await page.getByRole("button", { name: "Español" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hola, Pat");
  await expect(page.getByTestId("figure-creditLimit")).toContainText("USD 400,000.00");
  await expect(page.getByTestId("aging-over90")).toContainText("Más de 90 días");
  // Same amount, Spanish (Mexico) formatting.
  await expect(page.getByTestId("figure-pastDue").locator(".figure-value")).toHaveText(pastDue.replace("$", "USD\u00a0"));
  await expectAccessible(page);

  // The choice is kept in the profile: a reload and a new sign-in stay in Spanish.
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await page.getByRole("button", { name: "Cerrar sesión" }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.getByRole("button", { name: "English" }).click();
  await signIn(page, "ap@acme-industrial.example");
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});

test("a credit-hold customer in Mexico sees pesos and the hold explained", async ({ page }) => {
  await signIn(page, "cxp@distnorte.example");
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expect(page.getByText("Su cuenta tiene retención de crédito.", { exact: false })).toBeVisible();
  await expect(page.getByTestId("figure-creditLimit")).toContainText("$1,500,000.00");
});

test("a rep signs in and sees the rep home with open work, then an account 360", async ({ page }) => {
  await signIn(page, "rep3@accounts.example");
  await expect(page).toHaveURL(/\/rep$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Good to see you, Carlos");
  for (const id of ["applicationsToReview", "heldOrders", "openDisputes", "pastDueAccounts"]) {
    await expect(page.getByTestId(`count-${id}`).locator(".figure-value")).toHaveText(/^[1-9][\d,]*$/);
  }
  await expectAccessible(page);
  await page.getByRole("link", { name: "Distribuidora del Norte S.A. de C.V." }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Distribuidora del Norte S.A. de C.V.");
  await expect(page.getByTestId("figure-creditLimit")).toContainText("MX$1,500,000.00");
});

test("bad sign-in input gets clear, translated messages and keeps the email typed", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("ap@acme-industrial");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter an email address such as name@company.com.")).toBeVisible();
  await expect(page.getByText("Enter your password.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue("ap@acme-industrial");
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");

  await page.getByRole("button", { name: "Español" }).click();
  await page.getByLabel("Correo electrónico").fill("ap@acme-industrial.example");
  await page.getByLabel("Contraseña").fill("no-es-la-clave");
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
  await expect(page.getByRole("alert")).toHaveText("El correo y la contraseña no coinciden con nuestros registros.");
});

test("a download link opened signed out arrives as the file once the customer signs in", async ({ page }) => {
  await page.goto("/statement.csv");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fstatement\.csv/);
  await page.getByLabel("Email").fill("ap@acme-industrial.example");
  await page.getByLabel("Password").fill("Demo-Portal-2026");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Sign in" }).click();
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);
});

test("a customer resets a forgotten password from the emailed link", async ({ page }) => {
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill("billing@pacificcoast.example");
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("status")).toContainText("a reset link is on its way");
  const mail = await deliveredMail("billing@pacificcoast.example", /Reset your Customer Accounts password/);
  await page.goto(resetLinkIn(mail));
  await page.getByLabel("New password", { exact: true }).fill("short");
  await page.getByLabel("Repeat the new password").fill("short");
  await page.getByRole("button", { name: "Save password" }).click();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
  await page.getByLabel("New password", { exact: true }).fill("Brand-New-Pass-1");
  await page.getByLabel("Repeat the new password").fill("Brand-New-Pass-1");
  await page.getByRole("button", { name: "Save password" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill("billing@pacificcoast.example");
  await page.getByLabel("Password").fill("Brand-New-Pass-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account$/);
});

test("a customer who opens a rep page gets a translated refusal, not data", async ({ page }) => {
  await signIn(page, "admin@herramientas-ibericas.example");
  const response = await page.goto("/rep");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sin acceso");
});

test("works on a phone-sized screen with the keyboard", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/login");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to main content" })).toBeFocused();
  await signIn(page, "ap@acme-industrial.example");
  await expect(page.getByTestId("figure-availableCredit")).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
