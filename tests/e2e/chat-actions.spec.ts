import { expect, test } from "@playwright/test";
import { expectAccessible, openLiveChatAroundTheClock, signIn } from "./support";

test.beforeAll(async ({ browser }) => openLiveChatAroundTheClock(browser));

test("the rep sends a pay link from the conversation; the Spanish customer gets it in Spanish, follows it and pays in the sandbox", async ({ browser }) => {
  // Opening the console is enough to be online. The bilingual rep works in English; the customer reads Spanish.
  const repContext = await browser.newContext({ locale: "en-US" });
  const rep = await repContext.newPage();
  await signIn(rep, "rep3@accounts.example");
  await rep.goto("/rep/chat");
  await expect(rep.getByLabel("Status")).toHaveValue("ONLINE");

  const customerContext = await browser.newContext({ locale: "es-MX" });
  const customer = await customerContext.newPage();
  await signIn(customer, "cxp@distnorte.example");
  await customer.getByRole("button", { name: "Chatear con Cuentas de Clientes" }).click();
  await customer.getByLabel("¿De qué se trata?").selectOption("PAYMENT");
  await customer.getByRole("button", { name: "Iniciar chat" }).click();
  await expect(customer.getByTestId("chat-status")).toHaveText("Le atiende Carlos.");

  await rep.getByTestId("inbox-mine").getByRole("button", { name: "Lucía Hernández" }).click();
  const conversation = rep.getByTestId("rep-conversation");
  const act = conversation.getByTestId("act-panel");
  await act.getByText("Send a pay link").click();
  const firstInvoice = act.getByRole("group", { name: "Open invoices to include (one currency)" }).getByRole("checkbox").first();
  const invoiceLabel = (await act.getByRole("group", { name: "Open invoices to include (one currency)" }).locator("label").first().innerText()).trim();
  const invoiceNumber = invoiceLabel.split(" · ")[0];
  await firstInvoice.check();
  await expectAccessible(rep);

  // Nothing chosen is refused inline, in the rep's language, and nothing is sent.
  await firstInvoice.uncheck();
  await act.getByRole("button", { name: "Send pay link" }).click();
  await expect(act.getByText("Choose at least one open invoice.")).toBeVisible();
  await firstInvoice.check();
  await act.getByRole("button", { name: "Send pay link" }).click();
  await expect(act.getByText("Pay link sent to the customer.")).toBeVisible();
  // The rep sees the payment card in their own language, with a way to the account rather than the customer's button.
  const repCard = conversation.getByTestId("chat-card").filter({ hasText: invoiceNumber });
  await expect(repCard).toContainText(/Pay (MX)?\$[\d,]+\.\d{2}/);
  await expect(repCard.getByRole("link", { name: "Open the account" })).toBeVisible();
  await repCard.screenshot({ path: test.info().outputPath("rep-pay-card.png") });

  // A promise covers past-due invoices; one with an amount that is not one is refused at its field, and nothing is logged.
  await act.getByText("Log a promise to pay").click();
  await act.getByRole("group", { name: "Past-due invoices it covers" }).getByRole("checkbox").first().check();
  await act.getByLabel("Amount (MXN)").fill("abc");
  await act.getByLabel("Promised for").fill(new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10));
  await act.getByRole("button", { name: "Log promise" }).click();
  await expect(act.getByLabel("Amount (MXN)")).toHaveAttribute("aria-invalid", "true");
  await expect(act.getByText("Enter an amount in numbers, like 1,250.50.").first()).toBeVisible();
  await act.getByLabel("Amount (MXN)").fill("1,000.00");
  await act.getByRole("button", { name: "Log promise" }).click();
  await expect(act.getByText("Promise to pay logged.")).toBeVisible();

  // The customer gets a payment card in Spanish, with the amount as they write it, and follows its button.
  await expect(customer.locator('[data-testid="chat-card"][data-kind="promise"]')).toContainText("Promesa de pago");
  const card = customer.locator('[data-testid="chat-card"][data-kind="pay_link"]').filter({ hasText: invoiceNumber });
  await expect(card).toContainText("Pago");
  await customer.screenshot({ path: test.info().outputPath("customer-pay-card.png") });
  await card.getByRole("link", { name: /^Pagar \$[\d,]+\.\d{2}$/ }).click();
  await expect(customer).toHaveURL(/\/pay\?currency=MXN&invoice=/);
  await expect(customer.getByRole("heading", { name: "Pagar facturas" })).toBeVisible();
  const row = customer.getByTestId(`pay-row-${invoiceNumber}`);
  await expect(row.getByRole("checkbox")).toBeChecked();
  await customer.getByRole("button", { name: "Continuar al pago" }).click();

  await expect(customer.getByText("SANDBOX — modo de prueba de Stripe. No se mueve dinero real.")).toBeVisible();
  await customer.getByRole("button", { name: /^Pagar .* \(sandbox\)$/ }).click();
  await expect(customer.getByText("Gracias, recibimos su pago.", { exact: false })).toBeVisible();

  await customerContext.close();
  await repContext.close();
});
