import { expect, test, type Page } from "@playwright/test";
import { deliveredMail, expectAccessible, signIn } from "./support";

// Each test here starts from a signed-out browser, whoever signed in before.
async function signInFresh(page: Page, email: string) {
  await page.context().clearCookies();
  await signIn(page, email);
}

/** "$1,234.56", "-MX$1,234.56" → signed minor units. */
function minor(text: string): number {
  const n = Number(text.replace(/[^\d]/g, ""));
  return /-/.test(text) ? -n : n;
}

async function figure(page: Page, id: string) {
  await page.goto("/account");
  return minor(await page.getByTestId(`figure-${id}`).locator(".figure-value").innerText());
}

test("a Spanish customer pays two MXN invoices in the sandbox, then part of a third", async ({ page }) => {
  await signInFresh(page, "cxp@distnorte.example");
  const balanceBefore = await figure(page, "openBalance");
  const availableBefore = await figure(page, "availableCredit");

  await page.getByRole("link", { name: "Facturas" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Facturas");
  await expectAccessible(page);
  await page.getByRole("link", { name: "Pagar facturas" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pagar facturas");
  const rows = page.locator("tbody tr");
  const chosen: { number: string; balance: number }[] = [];
  for (const i of [0, 1]) {
    const row = rows.nth(i);
    chosen.push({ number: (await row.locator("th").innerText()).trim(), balance: minor(await row.locator("td").nth(2).innerText()) });
    await row.getByRole("checkbox").check();
  }
  await expectAccessible(page);
  await page.getByRole("button", { name: "Continuar al pago" }).click();

  await expect(page.getByTestId("sandbox-banner")).toHaveText("SANDBOX — modo de prueba de Stripe. No se mueve dinero real.");
  const total = chosen[0].balance + chosen[1].balance;
  expect(minor(await page.getByTestId("sandbox-amount").innerText())).toBe(total);
  await page.getByRole("button", { name: /^Pagar .* \(sandbox\)$/ }).click();

  await expect(page.getByTestId("payment-status")).toHaveText("Recibido");
  // Sandbox money is marked on the record itself, and the whole portal says the sandbox is on.
  await expect(page.getByTestId("sandbox-badge")).toHaveText("SANDBOX · sin dinero real");
  await expect(page.getByTestId("sandbox-strip")).toBeVisible();
  await expect(page.getByTestId("payment-message")).toContainText("Gracias, recibimos su pago.");
  for (const inv of chosen) {
    await page.getByRole("link", { name: inv.number }).click();
    await expect(page.getByTestId("invoice-status")).toHaveText("Pagada");
    await expect(page.getByTestId("invoice-balance")).toHaveText("$0.00");
    await page.goBack();
  }
  expect(await figure(page, "openBalance")).toBe(balanceBefore - total);
  expect(await figure(page, "availableCredit")).toBe(availableBefore + total);

  // The receipt, as the customer's mailbox got it.
  const receipt = await deliveredMail("cxp@distnorte.example", /^Pago recibido: \$/);
  expect(receipt.text).toContain(chosen[0].number);

  // A partial payment: 1,000.00 of the next invoice.
  await page.goto("/pay");
  const row = page.locator("tbody tr").first();
  const number = (await row.locator("th").innerText()).trim();
  const balance = minor(await row.locator("td").nth(2).innerText());
  await row.getByRole("checkbox").check();
  await row.getByRole("textbox").fill("1000.00");
  await page.getByRole("button", { name: "Continuar al pago" }).click();
  await page.getByRole("button", { name: /^Pagar .* \(sandbox\)$/ }).click();
  await expect(page.getByTestId("payment-status")).toHaveText("Recibido");
  await page.getByRole("link", { name: number }).click();
  await expect(page.getByTestId("invoice-status")).toHaveText("Pagada parcialmente");
  expect(minor(await page.getByTestId("invoice-balance").innerText())).toBe(balance - 100000);
});

test("a declined sandbox card changes nothing and offers to try again", async ({ page }) => {
  await signInFresh(page, "cxp@distnorte.example");
  await page.goto("/pay");
  await page.locator("tbody tr").first().getByRole("checkbox").check();
  await page.getByRole("button", { name: "Continuar al pago" }).click();
  await page.getByRole("button", { name: "Rechazar la tarjeta (sandbox)" }).click();
  await expect(page.getByTestId("payment-status")).toHaveText("No realizado");
  await expect(page.getByRole("link", { name: "Intentar de nuevo" })).toBeVisible();
});

test("a dispute on one line reaches a rep, who resolves it with a credit memo the customer sees", async ({ page }) => {
  await signInFresh(page, "cxp@distnorte.example");
  await page.goto("/invoices?status=open&sort=dueOn&dir=desc");
  await page.getByTestId("invoice-table").locator("tbody tr th a").first().click();
  const balance = minor(await page.getByTestId("invoice-balance").innerText());
  const invoiceUrl = page.url();
  await page.getByRole("link", { name: "Aclarar esta factura" }).click();
  await page.getByLabel("Motivo").selectOption("PRICING");
  await page.getByLabel("Algunas partidas").check();
  await page.locator('input[name="lineId"]').first().check();
  await page.getByLabel("Mensaje").fill("El precio unitario no coincide con la cotización.");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Abrir aclaración" }).click();
  await expect(page.getByTestId("dispute-status")).toHaveText("Abierta");
  const number = (await page.getByRole("heading", { level: 1 }).innerText()).replace("Aclaración ", "");

  await signInFresh(page, "rep2@accounts.example");
  await page.getByRole("link", { name: "Aclaraciones" }).click();
  await page.getByRole("link", { name: number }).click();
  await expect(page.getByText("El precio unitario no coincide con la cotización.")).toBeVisible();
  await page.getByLabel("Importe de la nota de crédito").fill("250.00");
  await page.getByLabel("Explicación para el cliente").first().fill("Ajustamos el precio a lo cotizado.");
  await page.getByRole("button", { name: "Emitir nota de crédito" }).click();
  await expect(page.getByTestId("rep-dispute-result")).toContainText("Nota de crédito emitida");
  await expectAccessible(page);

  await signInFresh(page, "cxp@distnorte.example");
  await page.goto(invoiceUrl);
  expect(minor(await page.getByTestId("invoice-balance").innerText())).toBe(balance - 25000);
  await expect(page.getByTestId("invoice-disputes")).toContainText("Resuelta con nota de crédito");
});

test("a reloaded invoice list comes from the page cache and still runs its scripts under the replay's CSP", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to execute/i.test(message.text())) violations.push(message.text());
  });
  await signInFresh(page, "ap@acme-industrial.example");
  const rendered = await page.goto("/invoices?sort=dueOn");
  expect(await rendered!.headerValue("x-page-cache")).toBe("miss");
  const replayed = await page.reload();
  expect(await replayed!.headerValue("x-page-cache")).toBe("hit");
  expect(await replayed!.headerValue("content-security-policy")).toMatch(/'sha256-/);
  // Only a hydrated page opens the chat: the replayed inline scripts ran.
  await page.getByRole("button", { name: "Chat with Customer Accounts" }).click();
  await expect(page.getByRole("button", { name: "Start chat" })).toBeVisible();
  // A row's plain link opens its invoice in the same document, as a router link would.
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
  await page.getByTestId("invoice-table").locator("tbody tr th a").first().click();
  await expect(page.getByTestId("invoice-balance")).toBeVisible();
  expect(page.url()).toMatch(/\/invoices\/[^/?]+$/);
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  expect(violations).toEqual([]);
});

test("the invoice list filters and searches in the browser, rows in the reader's language and formats, then opens a row", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await signInFresh(page, "cxp@distnorte.example");
  await page.goto("/invoices");
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
  const rows = page.getByTestId("invoice-table").locator("tbody tr");
  // Filtered in the browser (the form's GET, no reload): only paid invoices, with the words and dates in Spanish.
  await page.getByLabel("Estatus", { exact: true }).selectOption("paid");
  await page.getByRole("button", { name: "Aplicar" }).click();
  await expect(page).toHaveURL(/status=paid/);
  await expect(rows.first()).toBeVisible();
  for (const status of await rows.locator("td:nth-child(7)").allInnerTexts()) expect(status).toMatch(/^Pagada/);
  expect(await rows.first().locator("td:nth-child(3)").innerText()).toMatch(/^\d{1,2} [a-z]{3} \d{4}$/);
  // A search that finds nothing says so; a search for one invoice finds it.
  const number = await rows.first().locator("th a").innerText();
  await page.getByLabel("Número de factura u orden de compra").fill("no-such-invoice-<b>");
  await page.getByRole("button", { name: "Aplicar" }).click();
  await expect(page.getByTestId("invoice-count")).toHaveText("0 facturas");
  await page.getByLabel("Número de factura u orden de compra").fill(number);
  await page.getByRole("button", { name: "Aplicar" }).click();
  await expect(rows).toHaveCount(1);
  await rows.first().locator("th a").click();
  await expect(page.getByTestId("invoice-balance")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  expect(errors).toEqual([]);
});
