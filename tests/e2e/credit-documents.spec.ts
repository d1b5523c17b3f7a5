/**
 * A new company's documents with JavaScript on: the picker joins the step form, so a file
 * left in it would ride along with every later "Save and continue". One upload is one
 * document, however many steps follow.
 */
import { expect, test } from "@playwright/test";

test.use({ locale: "en-US" });

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

test("a document uploaded once is stored once, and the picker is empty after the upload", async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto("/credit/apply");
  await page.getByLabel("Your full name").fill("Dana Whitfield");
  await page.getByLabel("Your work email").fill("dana@one-upload.example");
  await page.getByLabel("Company legal name").fill("One Upload Supply LLC");
  await page.getByLabel("Country").selectOption("US");
  await page.getByLabel("Tax ID").fill("12-3456780");
  await page.getByLabel("Currency you buy in").selectOption("USD");
  await page.getByLabel("Street address").fill("400 Harbor Blvd");
  await page.getByLabel("City").fill("Oakland");
  await page.getByLabel("State or province").fill("CA");
  await page.getByLabel("Postal code").fill("94607");
  await page.getByLabel("Years in business").fill("12");
  await page.getByLabel("Annual revenue").fill("2,000,000.00");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { name: /^Step 2 of 4/ })).toBeVisible();

  const documents = page.locator('section[aria-labelledby="doc-title"] li');
  await page.locator("#doc-file").setInputFiles({ name: "real.pdf", mimeType: "application/pdf", buffer: PDF });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByText("Document uploaded.")).toBeVisible();
  await expect(documents).toHaveCount(1);
  // The chosen file went with its upload: nothing is left to go again with the next step.
  expect(await page.locator("#doc-file").evaluate((input: HTMLInputElement) => input.files?.length ?? 0)).toBe(0);

  await page.locator("#ref1Company").fill("Bay Lumber");
  await page.locator("#ref1Contact").fill("Joe Ruiz");
  await page.locator("#ref1Email").fill("joe@baylumber.example");
  await page.locator("#ref2Company").fill("Coast Steel");
  await page.locator("#ref2Contact").fill("Amy Chen");
  await page.locator("#ref2Email").fill("amy@coaststeel.example");
  await page.getByLabel("Bank", { exact: true }).fill("First Bank");
  await page.getByLabel("Last 4 digits of the account").fill("0932");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { name: /^Step 3 of 4/ })).toBeVisible();
  await expect(documents).toHaveCount(1);

  await page.getByLabel("Credit limit requested").fill("9,000.00");
  await page.getByLabel("Payment terms requested").selectOption("30");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { name: /^Step 4 of 4/ })).toBeVisible();
  await expect(documents).toHaveCount(1);

  await page.getByLabel("Type your full name to sign").fill("Dana Whitfield");
  await page.getByLabel(/I authorize you/).check();
  await page.getByRole("button", { name: "Sign and submit" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Application received");
  await page.getByRole("link", { name: "open your application's status page" }).click();
  // The application's own page lists what is stored for it: the one document.
  await expect(page.locator('section[aria-labelledby="docs-title"] li')).toHaveText(["real.pdf · Financial statement"]);
});
