/**
 * The portal before (or without) its scripts: every form is a plain HTML post. Chromium
 * sends the Origin the Referrer-Policy allows, so none of them may get a bare
 * "Bad Request"; an upload in the middle of a credit step keeps what was typed.
 */
import { expect, test, type Page } from "@playwright/test";
import { PASSWORD, signIn } from "./support";

test.use({ javaScriptEnabled: false, locale: "en-US" });

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

async function expectNoBareError(page: Page) {
  await expect(page.locator("header .site-header")).toBeVisible();
  await expect(page.locator("body")).not.toHaveText(/^\s*Bad Request\s*$/);
}

test("signed in without JavaScript: language switch, a credit step with a document upload, and a payment", async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto("/login");
  await page.locator("#email").fill("ap@acme-industrial.example");
  await page.locator("#password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/account");
  await expectNoBareError(page);

  // Language switch: a plain form post, back on the same page in Spanish.
  await page.getByRole("button", { name: "Español" }).click();
  await page.waitForURL((url) => url.pathname === "/account");
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expectNoBareError(page);

  // Credit application, company step, then references typed and a document uploaded mid-step.
  await page.goto("/credit/apply");
  await expectNoBareError(page);
  const values: Record<string, string> = {
    companyName: "Acme Industrial Supply LLC",
    taxId: "12-3456789",
    addressLine1: "100 Main St",
    city: "Springfield",
    region: "IL",
    postalCode: "62701",
    yearsInBusiness: "15",
    annualRevenue: "2,500,000.00",
  };
  for (const [id, value] of Object.entries(values)) await page.locator(`#${id}`).fill(value);
  await page.locator("#country").selectOption("US");
  await page.locator("#currency").selectOption("USD");
  await page.getByRole("button", { name: "Guardar y continuar" }).click();
  await expectNoBareError(page);
  await expect(page.locator("#ref1Company")).toBeVisible();

  await page.locator("#ref1Company").fill("Midwest Steel Co.");
  await page.locator("#ref1Contact").fill("Dana Ortiz");
  await page.locator("#ref1Email").fill("dana@midweststeel.example");
  await page.locator("#doc-file").setInputFiles({ name: "statements.pdf", mimeType: "application/pdf", buffer: PDF });
  await page.getByRole("button", { name: "Cargar" }).click();
  await expectNoBareError(page);
  await expect(page.getByText("Documento cargado.")).toBeVisible();
  await expect(page.getByRole("link", { name: "statements.pdf" })).toBeVisible();
  // What was typed before the upload is still there.
  await expect(page.locator("#ref1Company")).toHaveValue("Midwest Steel Co.");
  await expect(page.locator("#ref1Contact")).toHaveValue("Dana Ortiz");
  await expect(page.locator("#ref1Email")).toHaveValue("dana@midweststeel.example");

  // Paying: the pay form posts and lands on the sandbox checkout.
  await page.goto("/pay");
  await expectNoBareError(page);
  await page.locator("tbody tr").first().getByRole("checkbox").check();
  await page.getByRole("button", { name: "Continuar al pago" }).click();
  await expectNoBareError(page);
  await expect(page.getByTestId("sandbox-banner")).toBeVisible();

  // Back to English, the language this customer keeps in the other specs (the switch is saved to the profile).
  await page.goto("/account");
  await page.getByRole("button", { name: "English" }).click();
  await page.waitForURL((url) => url.pathname === "/account");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});

test("a refused payment comes back as the customer left it: ticks and each amount as typed, not full balances", async ({ page }) => {
  await signIn(page, "admin@herramientas-ibericas.example");
  await page.goto("/pay?currency=EUR");
  const rows = page.locator("tbody tr");
  const [first, second] = [rows.nth(0), rows.nth(1)];
  await first.getByRole("checkbox").check();
  await second.getByRole("checkbox").check();
  // A dot is not Spain's decimal mark: this amount is refused, the other one is fine.
  await first.getByRole("textbox").fill("10.5");
  await second.getByRole("textbox").fill("20,00");
  await page.getByRole("button", { name: "Continuar al pago" }).click();
  await expectNoBareError(page);
  await expect(first.getByRole("alert")).toBeVisible();
  await expect(first.getByRole("textbox")).toHaveValue("10.5");
  await expect(second.getByRole("textbox")).toHaveValue("20,00");
  await expect(first.getByRole("checkbox")).toBeChecked();
  await expect(second.getByRole("checkbox")).toBeChecked();
  await expect(rows.nth(2).getByRole("checkbox")).not.toBeChecked();
  await expect(page.getByTestId("pay-total")).toContainText("20,00");
});
