/**
 * Collections (issue 16) in a browser: a Spanish customer promises to pay from the portal,
 * the rep finds the promise on the account 360, and logs a call without JavaScript.
 */
import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("a Spanish customer promises; the rep sees it on the 360 and logs a call without JavaScript", async ({ browser }) => {
  test.setTimeout(90_000);
  const customerContext = await browser.newContext({ locale: "es-MX" });
  const customer = await customerContext.newPage();
  await signIn(customer, "admin@herramientas-ibericas.example");
  await customer.goto("/promises");
  await expect(customer.getByRole("heading", { name: "Promesas de pago", level: 1 })).toBeVisible();
  const firstInvoice = customer.locator('input[name="invoiceId"]').first();
  const invoiceNumber = await firstInvoice.getAttribute("aria-label");
  await firstInvoice.check();
  await customer.getByLabel("Importe", { exact: true }).fill("10,00");
  const date = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
  await customer.getByLabel("Pagar a más tardar el").fill(date);
  await customer.getByRole("button", { name: "Prometer el pago" }).click();
  await expect(customer.getByTestId("saved")).toHaveText("Promesa registrada.");
  await expect(customer.getByTestId("promise-table")).toContainText(invoiceNumber!);
  await customerContext.close();

  const repContext = await browser.newContext({ locale: "en-US", javaScriptEnabled: false });
  const rep = await repContext.newPage();
  await rep.goto("/login");
  await rep.locator("#email").fill("rep3@accounts.example");
  await rep.locator("#password").fill("Demo-Portal-2026");
  await rep.getByRole("button", { name: /^(Sign in|Iniciar sesión)$/ }).click();
  await rep.waitForURL((url) => !url.pathname.startsWith("/login"));
  await rep.goto("/rep/collections?currency=EUR");
  await rep.getByRole("link", { name: "Herramientas Ibéricas S.L." }).click();
  await rep.getByRole("link", { name: /^(Promises|Promesas)$/ }).click();
  await expect(rep.getByTestId("promise-table")).toContainText(invoiceNumber!);

  await rep.getByRole("link", { name: /^(Contacts|Contactos)$/ }).click();
  const form = rep.getByTestId("contact-form-contacts");
  await form.locator('input[name="note"]').fill("Called Javier: confirms the promise");
  await form.locator('select[name="outcome"]').selectOption("PROMISE");
  await form.getByRole("button").click();
  await expect(rep.getByTestId("saved")).toBeVisible();
  await expect(rep.getByTestId("contacts-360")).toContainText("Called Javier: confirms the promise");
  await repContext.close();
});
