/**
 * The team dashboard (issue 17) in a browser: the manager's view in English with its charts
 * drawn and the figures one click away, the Spanish rep's own view with Spanish numbers,
 * and the tables still there without JavaScript.
 */
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./support";

const SCREENS = process.env.DASHBOARD_SCREENS_DIR ?? "test-results/screens/dashboard";

// Each test signs in and draws a page of charts: heavy on a loaded machine.
test.describe.configure({ timeout: 120_000 });
test.beforeAll(() => fs.mkdirSync(SCREENS, { recursive: true }));

test("the manager reads the team's charts in English and sets objectives", async ({ browser }) => {
  const en = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
  const manager = await en.newPage();
  await signIn(manager, "manager@accounts.example");
  await manager.getByRole("link", { name: "Team dashboard" }).click();
  await manager.getByRole("link", { name: "This quarter" }).click();
  await expect(manager.getByRole("heading", { name: "Team dashboard", level: 1 })).toBeVisible();
  const receivables = manager.getByRole("region", { name: "Receivables" });
  // Drawn in the browser: an SVG with the chart's own title and description.
  await expect(receivables.locator("svg.recharts-surface title")).toHaveText("DSO and best possible DSO, in days");
  await expect(receivables.getByRole("table")).toBeHidden();
  await receivables.getByText("Show the figures as a table").click();
  await expect(receivables.getByRole("rowheader", { name: "DSO (days)", exact: true })).toBeVisible();
  // Amounts in other currencies are converted, and the page says with which rate.
  await expect(manager.getByText(/converted to USD at the rate on file/)).toBeVisible();
  await expectAccessible(manager);
  await manager.screenshot({ path: `${SCREENS}/manager-en.png`, fullPage: true });

  const download = manager.waitForEvent("download");
  await manager.getByRole("region", { name: "Promises to pay" }).getByRole("link", { name: "Download CSV" }).click();
  expect((await download).suggestedFilename()).toMatch(/^dashboard-promises-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);

  await manager.getByRole("link", { name: "Set the team's objectives" }).click();
  await manager.waitForURL("**/rep/dashboard/objectives");
  await expect(manager.getByRole("heading", { name: "Team objectives", level: 1 })).toBeVisible();
  await manager.getByLabel("Promises kept rate (%)").fill("120");
  await manager.getByRole("button", { name: "Save objectives" }).click();
  await expect(manager.getByText("Enter a whole percentage from 0 to 100.")).toBeVisible();
  await manager.screenshot({ path: `${SCREENS}/objectives-error-en.png`, fullPage: true });
  await en.close();
});

test("a Spanish rep reads their own figures in Spanish", async ({ browser }) => {
  const es = await browser.newContext({ locale: "es-MX", viewport: { width: 1280, height: 900 } });
  const rep = await es.newPage();
  await signIn(rep, "rep2@accounts.example");
  await rep.goto("/rep/dashboard?preset=quarter");
  await expect(rep.getByRole("heading", { name: "Mis indicadores", level: 1 })).toBeVisible();
  await expect(rep.getByRole("region", { name: "Cuentas por cobrar" }).locator("svg.recharts-surface")).toBeVisible();
  const promises = rep.getByRole("region", { name: "Promesas de pago" });
  await promises.getByText("Ver las cifras en una tabla").click();
  await expect(promises.getByRole("rowheader", { name: "Tasa de cumplimiento", exact: true })).toBeVisible();
  // Dates as Mexico writes them ("1 oct 2026"), not ISO.
  await expect(rep.locator(".lead")).toContainText(/Del \d{1,2} [a-z]{3}\.? \d{4} al/);
  await rep.screenshot({ path: `${SCREENS}/rep-es.png`, fullPage: true });
  await es.close();
});

test("without JavaScript nothing is drawn, and every table stands open", async ({ browser }) => {
  const noJs = await browser.newContext({ locale: "en-US", javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const plain = await noJs.newPage();
  await plain.goto("/login");
  await plain.locator("#email").fill("senior@accounts.example");
  await plain.locator("#password").fill("Demo-Portal-2026");
  await plain.getByRole("button", { name: "Sign in" }).click();
  await plain.waitForURL((url) => !url.pathname.startsWith("/login"));
  await plain.goto("/rep/dashboard?preset=quarter");
  await expect(plain.locator("svg.recharts-surface")).toHaveCount(0);
  await expect(plain.getByRole("region", { name: "Chats by language" }).getByRole("table")).toBeVisible();
  await expect(
    plain.getByRole("region", { name: "Receivables" }).getByRole("rowheader", { name: "Collection effectiveness index", exact: true }),
  ).toBeVisible();
  await plain.screenshot({ path: `${SCREENS}/senior-no-js-en.png`, fullPage: true });
  await noJs.close();
});
