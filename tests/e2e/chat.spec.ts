import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectAccessible, openLiveChatAroundTheClock, signIn } from "./support";

/** A rep in their own browser, on the console, set Online (or another presence). */
async function repOnline(browser: Browser, email: string, presence: "ONLINE" | "OFFLINE" = "ONLINE"): Promise<Page> {
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  await signIn(page, email);
  await page.goto("/rep/chat");
  await page.getByLabel("Status").selectOption(presence);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  return page;
}

test.beforeAll(async ({ browser }) => openLiveChatAroundTheClock(browser));

test("a Spanish-speaking guest on the help page gets the bilingual rep, not the English-only one", async ({ browser }) => {
  const rep1 = await repOnline(browser, "rep1@accounts.example");
  const rep3 = await repOnline(browser, "rep3@accounts.example");

  const guestContext = await browser.newContext({ locale: "es-MX" });
  const guest = await guestContext.newPage();
  await guest.goto("/help");
  await expect(guest.locator("html")).toHaveAttribute("lang", "es");
  await expect(guest.getByRole("heading", { name: "Iniciar un chat" })).toBeVisible();
  await expectAccessible(guest);
  await guest.getByLabel("Su nombre").fill("María López");
  await guest.getByLabel("Correo electrónico").fill("maria.lopez@example.mx");
  await guest.getByLabel("¿De qué se trata?").selectOption("INVOICE");
  await guest.getByRole("button", { name: "Iniciar chat" }).click();

  await expect(guest.getByTestId("chat-status")).toHaveText("Le atiende Carlos.");
  await expect(guest.getByText("Carlos se unió al chat.")).toBeVisible();
  await guest.getByLabel("Su mensaje", { exact: true }).fill("Hola, <b>tengo</b> una duda con mi factura");
  await guest.getByRole("button", { name: "Enviar", exact: true }).click();

  // The bilingual rep has it in "Mine", with the message as plain text.
  await expect(rep3.getByTestId("inbox-mine")).toContainText("María López");
  await rep3.getByTestId("inbox-mine").getByRole("button", { name: "María López" }).click();
  const conversation = rep3.getByTestId("rep-conversation");
  await expect(conversation.getByText("Hola, <b>tengo</b> una duda con mi factura")).toBeVisible();
  await expect(rep3.getByTestId("account-glance")).toContainText("Guest — not linked to an account.");
  await conversation.getByLabel("Reply").fill("¡Hola, María! Con gusto le ayudo.");
  await conversation.getByRole("button", { name: "Send" }).click();
  await expect(guest.getByText("¡Hola, María! Con gusto le ayudo.")).toBeVisible();
  // The guest read it: the rep sees the read mark.
  await expect(conversation.getByText("Read")).toBeVisible();

  // The English-only rep never got it.
  await expect(rep1.getByTestId("inbox-mine")).toContainText("Nothing here.");

  await rep3.getByLabel("Disposition").selectOption("resolved");
  await rep3.getByRole("button", { name: "Close with this disposition" }).click();
  await expect(guest.getByTestId("chat-status")).toHaveText("Este chat está cerrado.");
  await guestContext.close();
  await rep1.context().close();
  await rep3.context().close();
});

test("a signed-in customer's chat goes to the account's own rep, who sees the account and sends a canned reply in its currency", async ({ browser }) => {
  const rep1 = await repOnline(browser, "rep1@accounts.example");

  const customerContext = await browser.newContext({ locale: "en-US" });
  const customer = await customerContext.newPage();
  await signIn(customer, "ap@acme-industrial.example");
  await customer.getByRole("button", { name: "Chat with Customer Accounts" }).click();
  await customer.getByLabel("What is it about?").selectOption("INVOICE");
  await customer.getByRole("button", { name: "Start chat" }).click();
  await expect(customer.getByTestId("chat-status")).toHaveText("You are chatting with Alice.");
  await customer.getByLabel("Your message", { exact: true }).fill("Can you check my oldest invoice?");
  await customer.getByRole("button", { name: "Send", exact: true }).click();

  await rep1.getByTestId("inbox-mine").getByRole("button", { name: /Pat/ }).click();
  const conversation = rep1.getByTestId("rep-conversation");
  await expect(conversation.getByText("Can you check my oldest invoice?")).toBeVisible();
  const glance = rep1.getByTestId("account-glance");
  await expect(glance).toContainText("Acme Industrial Supply");
  await expect(rep1.getByTestId("glance-balance")).toHaveText(/^\$[\d,]+\.\d{2}$/);
  await expect(rep1.getByTestId("glance-past-due")).toHaveText(/^\$[\d,]+\.\d{2}$/);
  // The seeded account has open disputes: that money is shown apart, not as past due.
  await expect(rep1.getByTestId("glance-in-dispute")).toHaveText(/^\$[\d,]+\.\d{2}$/);

  // The invoice picked for the placeholders is the oldest past-due one; its balance is in USD.
  const invoiceOption = await conversation.getByLabel("Invoice for placeholders").locator("option:checked").innerText();
  const [invoiceNumber, amount] = invoiceOption.split(" · ");
  expect(amount).toMatch(/^\$[\d,]+\.\d{2}$/);
  await conversation.getByLabel("Canned response").selectOption({ label: "Invoice balance" });
  await expect(conversation.getByLabel("Reply")).toHaveValue(`Invoice ${invoiceNumber} has an open balance of ${amount}.`);
  await conversation.getByRole("button", { name: "Send" }).click();
  await expect(customer.getByText(`Invoice ${invoiceNumber} has an open balance of ${amount}.`)).toBeVisible();

  // Internal notes never reach the customer.
  await conversation.getByLabel("Internal note (never sent to the customer)").check();
  await conversation.getByLabel("Reply").fill("Customer seems ready to pay this week");
  await conversation.getByRole("button", { name: "Send" }).click();
  await expect(conversation.getByText("Customer seems ready to pay this week")).toBeVisible();
  await customer.getByLabel("Your message", { exact: true }).fill("Thanks!");
  await customer.getByRole("button", { name: "Send", exact: true }).click();
  await expect(conversation.getByText("Thanks!")).toBeVisible();
  await expect(customer.getByText("Customer seems ready to pay this week")).toHaveCount(0);

  // The chat survives a page change: the widget reopens the same conversation.
  await customer.reload();
  await expect(customer.getByText(`Invoice ${invoiceNumber} has an open balance of ${amount}.`)).toBeVisible();

  await rep1.getByLabel("Disposition").selectOption("payment_promised");
  await rep1.getByRole("button", { name: "Close with this disposition" }).click();
  await expect(customer.getByTestId("chat-status")).toHaveText("This chat is closed.");
  await customerContext.close();
  await rep1.context().close();
});

test("with only the English-only rep online, a Spanish guest is offered the offline form in Spanish and the message reaches the inbox as email", async ({
  browser,
}) => {
  // The bilingual rep signs off; only the English-only rep stays.
  await (await repOnline(browser, "rep3@accounts.example", "OFFLINE")).context().close();
  const rep1 = await repOnline(browser, "rep1@accounts.example");
  const guestContext = await browser.newContext({ locale: "es-MX" });
  const guest = await guestContext.newPage();
  await guest.goto("/help");
  await guest.getByLabel("Su nombre").fill("Jorge Salas");
  await guest.getByLabel("Correo electrónico").fill("jorge.salas@example.mx");
  await guest.getByLabel("¿De qué se trata?").selectOption("PAYMENT");
  await guest.getByRole("button", { name: "Iniciar chat" }).click();
  await expect(guest.getByTestId("chat-status")).toHaveText(/no hay un asesor en línea que hable su idioma/);
  await guest.getByLabel("Su mensaje para el equipo").fill("¿Me pueden enviar mi estado de cuenta?");
  await guest.getByRole("button", { name: "Dejar un mensaje" }).click();
  await expect(guest.getByTestId("chat-status")).toHaveText("Recibimos su mensaje y le responderemos por correo electrónico.");

  // In the same inbox, marked as email; the rep sees the message.
  const queued = rep1.getByTestId("inbox-queued");
  await expect(queued).toContainText("Jorge Salas");
  await expect(queued).toContainText("Email");
  await guestContext.close();

  // The receipt went out in Spanish (the outbox stands in for SMTP here).
  const manager = await (await browser.newContext({ locale: "en-US" })).newPage();
  await signIn(manager, "manager@accounts.example");
  await manager.goto("/outbox");
  await expect(manager.getByText("Recibimos su mensaje [#", { exact: false }).first()).toBeVisible();
  await manager.context().close();
  await rep1.context().close();
});
