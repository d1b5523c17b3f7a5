import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { openLiveChatAroundTheClock, signIn } from "./support";

/**
 * axe on every main page, as the user who sees it, in English and in Spanish: no serious
 * or critical violation. One browser context per user and language, signed in once; each
 * test collects every page's violations and fails once with all of them, so one run shows
 * the whole list to fix.
 */

// A trace would record every axe pass over every page: many seconds for nothing.
test.use({ trace: "off" });

type Language = "en" | "es";
const LOCALE: Record<Language, string> = { en: "en-US", es: "es-MX" };

/** Serious and critical violations on the current page, one readable paragraph each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).options({ resultTypes: ["violations"] }).analyze();
  const where = new URL(page.url()).pathname;
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) =>
      [
        `${where} — ${v.impact} ${v.id}: ${v.help} (${v.helpUrl})`,
        ...v.nodes.map((n) => `    at ${n.target.join(" ")}\n      ${(n.failureSummary ?? "").replace(/\n/g, "\n      ")}`),
      ].join("\n"),
    );
}

/** Visits each path in turn (a function computes it from the pages before) and checks it. */
async function auditPages(page: Page, language: Language, paths: (string | (() => Promise<string>))[]) {
  const found: string[] = [];
  for (const entry of paths) {
    const path = typeof entry === "string" ? entry : await entry();
    const response = await page.goto(path);
    expect(response?.status(), `${path} answered`).toBe(200);
    await expect(page.locator("html")).toHaveAttribute("lang", language);
    found.push(...(await seriousViolations(page)));
  }
  expect(found.join("\n\n"), `${found.length} serious or critical accessibility violation(s)`).toBe("");
}

/** The first link on `from` whose address matches, as the page shows it. */
function firstLink(page: Page, from: string, href: RegExp) {
  return async () => {
    await page.goto(from);
    const hrefs = await page.locator("a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    const found = hrefs.find((h) => href.test(h));
    expect(found, `a link matching ${href} on ${from}`).toBeTruthy();
    return found!;
  };
}

async function contextFor(browser: Browser, language: Language, email?: string) {
  const context = await browser.newContext({ locale: LOCALE[language] });
  const page = await context.newPage();
  if (email) await signIn(page, email);
  return { context, page };
}

// Each customer reads the portal in their profile's language, so neither profile changes.
const CUSTOMERS: Record<Language, string> = { en: "ap@acme-industrial.example", es: "cxp@distnorte.example" };

for (const language of ["en", "es"] as const) {
  test(`public pages in ${language}`, async ({ browser }) => {
    const { context, page } = await contextFor(browser, language);
    await auditPages(page, language, ["/", "/login", "/forgot-password", "/credit/apply", "/help"]);
    await context.close();
  });

  test(`customer pages in ${language}`, async ({ browser }) => {
    test.setTimeout(90_000);
    const { context, page } = await contextFor(browser, language, CUSTOMERS[language]);
    await auditPages(page, language, [
      "/account",
      "/invoices",
      firstLink(page, "/invoices", /^\/invoices\/[^/?]+$/),
      "/pay",
      "/statement",
      "/disputes",
      async () => firstLink(page, await firstLink(page, "/invoices?status=open", /^\/invoices\/[^/?]+$/)(), /^\/disputes\/new\?invoice=/)(),
      firstLink(page, "/disputes", /^\/disputes\/(?!new)[^/?]+$/),
      "/promises",
      "/credit",
      async () => firstLink(page, await firstLink(page, "/invoices?status=paid", /^\/invoices\/[^/?]+$/)(), /^\/payments\/[^/?]+$/)(),
    ]);
    await context.close();
  });

  // The manager has no language of their own on file, so the browser's language decides.
  test(`rep pages in ${language}`, async ({ browser }) => {
    test.setTimeout(90_000);
    const { context, page } = await contextFor(browser, language, "manager@accounts.example");
    const account = firstLink(page, "/rep/collections", /^\/rep\/accounts\/[^/?]+/);
    await auditPages(page, language, [
      "/rep",
      "/rep/chat",
      account,
      "/rep/collections",
      "/rep/collections/write-offs",
      "/rep/collections/final-demands",
      "/rep/notes",
      "/rep/credit",
      firstLink(page, "/rep/credit", /^\/rep\/credit\/applications\/[^/?]+$/),
      "/rep/credit/held-orders",
      "/rep/disputes",
      firstLink(page, "/rep/disputes", /^\/rep\/disputes\/[^/?]+$/),
      "/rep/payments",
      firstLink(page, "/rep/payments", /^\/rep\/payments\/[^/?]+$/),
    ]);
    await context.close();
  });
}

/** Presses Tab (only Tab) until `target` has the focus, as a keyboard user would move through the page. */
async function tabTo(page: Page, target: Locator, limit = 80) {
  for (let presses = 0; presses < limit; presses++) {
    if (await target.evaluate((element) => element === document.activeElement).catch(() => false)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`${target} never got the focus after ${limit} presses of Tab`);
}

test.describe("with only the keyboard", () => {
  test.beforeAll(async ({ browser }) => openLiveChatAroundTheClock(browser));

  test("a customer pays part of an invoice through the sandbox checkout and lands on the receipt", async ({ browser }) => {
    test.setTimeout(90_000);
    const { context, page } = await contextFor(browser, "en", "ap@acme-industrial.example");
    await page.goto("/pay");
    const row = page.locator("tbody tr").first();
    const number = (await row.locator("th").innerText()).trim();

    await tabTo(page, row.getByRole("checkbox"));
    await page.keyboard.press("Space");
    await expect(row.getByRole("checkbox")).toBeChecked();
    await tabTo(page, row.getByRole("textbox"));
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("25.00");
    await tabTo(page, page.getByRole("button", { name: "Continue to payment" }));
    await page.keyboard.press("Enter");

    await expect(page.getByTestId("sandbox-amount")).toHaveText("$25.00");
    await tabTo(page, page.getByRole("button", { name: /^Pay .* \(sandbox\)$/ }));
    await page.keyboard.press("Enter");

    // Back in the portal: the receipt, and from it the invoice.
    await expect(page.getByTestId("payment-status")).toHaveText("Received");
    await tabTo(page, page.getByRole("link", { name: number }));
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("invoice-status")).toHaveText("Partly paid");
    await context.close();
  });

  test("a customer opens the chat, writes, sends and reads the rep's reply", async ({ browser }) => {
    test.setTimeout(90_000);
    // The rep answers with the mouse; only the customer is keyboard-only.
    const repContext = await browser.newContext({ locale: "en-US" });
    const rep = await repContext.newPage();
    await signIn(rep, "rep1@accounts.example");
    await rep.goto("/rep/chat");
    await rep.getByLabel("Status").selectOption("ONLINE");
    await rep.getByRole("button", { name: "Save" }).click();
    await expect(rep.getByText("Settings saved.")).toBeVisible();

    const { context, page } = await contextFor(browser, "en", "ap@acme-industrial.example");
    await tabTo(page, page.getByRole("button", { name: "Chat with Customer Accounts" }));
    await page.keyboard.press("Enter");
    // Opening moves the focus into the panel, so the form is a few presses away, not the whole page.
    await tabTo(page, page.getByLabel("What is it about?"), 5);
    await page.keyboard.press("ArrowDown");
    await tabTo(page, page.getByRole("button", { name: "Start chat" }), 5);
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("chat-status")).toHaveText("You are chatting with Alice.");

    const message = page.getByLabel("Your message", { exact: true });
    await tabTo(page, message, 10);
    await page.keyboard.type("Typed without a mouse: where is my statement?");
    await page.keyboard.press("Enter");
    await expect(message).toHaveValue("");

    await rep.getByTestId("inbox-mine").getByRole("button", { name: /Pat/ }).click();
    const conversation = rep.getByTestId("rep-conversation");
    await expect(conversation.getByText("Typed without a mouse: where is my statement?")).toBeVisible();
    await conversation.getByLabel("Reply").fill("It is under Statement, in the menu.");
    await conversation.getByRole("button", { name: "Send" }).click();

    // The reply arrives in the conversation log, which a screen reader announces as it grows.
    const log = page.getByRole("list", { name: "Chat messages" });
    await expect(log).toHaveAttribute("aria-live", "polite");
    await expect(log.getByText("It is under Statement, in the menu.")).toBeVisible();

    await rep.getByLabel("Disposition").selectOption("resolved");
    await rep.getByRole("button", { name: "Close with this disposition" }).click();
    await expect(page.getByTestId("chat-status")).toHaveText("This chat is closed.");
    await context.close();
    await repContext.close();
  });
});
