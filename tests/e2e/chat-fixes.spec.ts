import { expect, test, type Browser, type Page } from "@playwright/test";
import { openLiveChatAroundTheClock, signIn } from "./support";

/** Screens of the console and the widget, looked at by a person after the run. */

async function page(browser: Browser, locale: string, email: string): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 860 } });
  const p = await context.newPage();
  await signIn(p, email);
  return p;
}

async function repOnline(p: Page, status: string, save: string) {
  await p.goto("/rep/chat");
  await p.getByLabel(status).selectOption("ONLINE");
  await p.getByRole("button", { name: save, exact: true }).click();
}

test.beforeAll(async ({ browser }) => openLiveChatAroundTheClock(browser));

test("the launcher goes away under the open panel, and a 20,000-character paste is refused with a notice, not cut", async ({ browser }) => {
  // Two browsers, a 20,000-character paste and a 4,000-character message: more than the default 30 s on a busy machine.
  test.setTimeout(90_000);
  const rep = await page(browser, "en-US", "rep1@accounts.example");
  await repOnline(rep, "Status", "Save");
  await expect(rep.getByText("Settings saved.")).toBeVisible();

  const customer = await page(browser, "en-US", "ap@acme-industrial.example");
  const launcher = customer.getByRole("button", { name: "Chat with Customer Accounts" });
  await launcher.click();
  await expect(launcher).toBeHidden();
  await customer.getByLabel("What is it about?").selectOption("INVOICE");
  await customer.getByRole("button", { name: "Start chat" }).click();
  await expect(customer.getByTestId("chat-status")).toHaveText("You are chatting with Alice.");

  const box = customer.getByLabel("Your message", { exact: true });
  await box.fill("a".repeat(20_000));
  // Nothing cut: the whole paste stays for the customer to shorten or split.
  expect(await box.inputValue()).toHaveLength(20_000);
  await expect(customer.getByTestId("chat-counter")).toContainText("20,000 of 4,000 characters.");
  await expect(customer.getByTestId("chat-counter")).toContainText("Messages can be up to 4,000 characters.");
  await customer.getByRole("button", { name: "Send", exact: true }).click();
  await expect(customer.getByTestId("chat-outgoing")).toHaveCount(0);
  expect(await box.inputValue()).toHaveLength(20_000);

  // Near the limit the counter shows; at the limit the message goes.
  await box.fill("b".repeat(4_000));
  await expect(customer.getByTestId("chat-counter")).toHaveText("4,000 of 4,000 characters.");
  await customer.getByRole("button", { name: "Send", exact: true }).click();
  await expect(customer.getByTestId("chat-message").filter({ hasText: "bbbb" })).toHaveCount(1);

  await rep.getByTestId("inbox-mine").getByRole("button", { name: /Pat/ }).click();
  const conversation = rep.getByTestId("rep-conversation");
  await conversation.getByRole("checkbox", { name: /Internal note/ }).check();
  await conversation.getByLabel("Reply").fill("Checking the PO first");
  await conversation.getByRole("button", { name: "Send" }).click();
  // A note is a one-off: the switch is off again for the next message.
  await expect(conversation.getByRole("checkbox", { name: /Internal note/ })).not.toBeChecked();
  await rep.getByLabel("Disposition").selectOption("resolved");
  await rep.getByRole("button", { name: "Close with this disposition" }).click();
  await expect(rep.getByRole("group", { name: "Open chats" }).getByRole("button", { name: /Pat/ })).toHaveCount(0);
  await rep.context().close();
  await customer.context().close();
});

test("the public navigation has no mail outbox link", async ({ browser }) => {
  const context = await browser.newContext({ locale: "en-US" });
  const p = await context.newPage();
  await p.goto("/");
  await expect(p.getByRole("navigation").getByRole("link", { name: "Mail outbox" })).toHaveCount(0);
  await context.close();
});
