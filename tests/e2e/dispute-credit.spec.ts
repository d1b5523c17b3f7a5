/**
 * Issue 14 in a browser: a customer in Spain disputes a paid invoice in Spain's Spanish,
 * typing the amount with a decimal comma; a senior rep (English) credits it, is refused
 * one cent too much, then posts it; the whole memo becomes credit on the account, which
 * the customer reads on the account page and the dispute, with the memo's PDF to download.
 * Runs after the flows that read the seed as it is (it changes Ibérica's balance).
 */
import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./support";

test("a paid invoice disputed in Spain's Spanish, credited by a senior rep, becomes credit on the account", async ({ browser }) => {
  test.setTimeout(120_000);
  const customerContext = await browser.newContext({ locale: "es-ES" });
  const customer = await customerContext.newPage();
  await signIn(customer, "admin@herramientas-ibericas.example");
  await customer.goto("/invoices?status=paid");
  const paid = customer.getByRole("table").getByRole("link").first();
  const invoiceNumber = (await paid.innerText()).trim();
  await paid.click();
  await customer.getByRole("link", { name: "Reclamar esta factura" }).click();
  await expect(customer.getByRole("heading", { level: 1 })).toHaveText(`Reclamación de la factura ${invoiceNumber}`);
  await customer.getByLabel("Motivo").selectOption("PRICING");
  await customer.getByLabel("Importe reclamado").fill("50,00");
  await customer.getByLabel("Mensaje").fill("El precio no es el del contrato.");
  await customer.getByRole("button", { name: "Abrir reclamación" }).click();
  await expect(customer).toHaveURL(/\/disputes\/(?!new)[^/?]+$/);
  const disputeId = new URL(customer.url()).pathname.split("/").pop()!;
  await expect(customer.getByText("50,00 €").first()).toBeVisible();

  const repContext = await browser.newContext({ locale: "en-US" });
  const rep = await repContext.newPage();
  await signIn(rep, "senior@accounts.example");
  await rep.goto(`/rep/disputes/${disputeId}`);
  await expect(rep.getByTestId("dispute-creditable")).toHaveText("€50.00");
  // The panel holds the memo form and the reject form; each has its own explanation.
  const resolve = rep.locator("form", { has: rep.getByLabel("Credit memo amount") });
  // One cent more than may be credited is refused, in the rep's language, and nothing is posted.
  await resolve.getByLabel("Credit memo amount").fill("50.01");
  await resolve.getByLabel("Explanation for the customer").fill("Price corrected to the contract rate.");
  await resolve.getByRole("button", { name: "Post credit memo" }).click();
  await expect(rep.getByText("A credit memo cannot be more than the disputed amount").first()).toBeVisible();
  await resolve.getByLabel("Credit memo amount").fill("50.00");
  await resolve.getByLabel("Explanation for the customer").fill("Price corrected to the contract rate.");
  await resolve.getByRole("button", { name: "Post credit memo" }).click();
  await expect(rep.getByTestId("rep-dispute-result")).toContainText("the invoice was already paid, so all €50.00 is now credit on the account");
  await expectAccessible(rep);
  await repContext.close();

  await customer.goto("/account");
  const credit = customer.getByText("Saldo a favor (de notas de crédito, aún sin aplicar)");
  await expect(credit).toBeVisible();
  await expect(customer.locator("body")).toContainText("50,00 €");
  await customer.goto(`/disputes/${disputeId}`);
  await expect(customer.locator("body")).toContainText("queda como saldo a favor en su cuenta");
  const download = customer.getByRole("link", { name: /Descargar la nota de crédito .* \(PDF\)/ });
  await expect(download).toBeVisible();
  const pdf = await customer.request.get((await download.getAttribute("href"))!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  await expectAccessible(customer);
  await customerContext.close();
});
