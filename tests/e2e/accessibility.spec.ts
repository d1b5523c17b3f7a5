import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { openLiveChatAroundTheClock, signIn } from "./support";

/**
 * axe on every main page, as the user who sees it, in English and in Spanish: no serious
 * or critical violation, each printed with where it is and what axe says to fix. Then
 * paying and chatting with only the keyboard.
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

type Path = string | ((page: Page) => Promise<string>);

/** The first link on `from` whose address matches, as the page shows it. */
function firstLink(from: Path, href: RegExp) {
  return async (page: Page) => {
    const on = typeof from === "string" ? from : await from(page);
    await page.goto(on);
    const hrefs = await page.locator("a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    const found = hrefs.find((h) => href.test(h));
    expect(found, `a link matching ${href} on ${on}`).toBeTruthy();
    return found!;
  };
}

/**
 * One test per page, all of a user and language in one browser context signed in once:
 * each page has its own time budget, and a failing page names itself.
 */
function auditAs(title: string, language: Language, email: string | null, paths: [string, Path][]) {
  test.describe(title, () => {
    // axe walks the whole page (contrast of every text node included): seconds per page on a busy machine.
    test.describe.configure({ timeout: 60_000 });
    let context: BrowserContext;
    let page: Page;
    test.beforeAll(async ({ browser }) => {
      test.setTimeout(60_000);
      context = await browser.newContext({ locale: LOCALE[language] });
      page = await context.newPage();
      if (email) await signIn(page, email);
    });
    test.afterAll(async () => context?.close());
    for (const [name, entry] of paths) {
      test(name, async () => {
        const path = typeof entry === "string" ? entry : await entry(page);
        const response = await page.goto(path);
        expect(response?.status(), `${path} answered`).toBe(200);
        await expect(page.locator("html")).toHaveAttribute("lang", language);
        const found = await seriousViolations(page);
        expect(found.join("\n\n"), `${found.length} serious or critical accessibility violation(s)`).toBe("");
      });
    }
  });
}

async function contextFor(browser: Browser, language: Language, email?: string) {
  const context = await browser.newContext({ locale: LOCALE[language] });
  const page = await context.newPage();
  if (email) await signIn(page, email);
  return { context, page };
}

// Each customer reads the portal in their profile's language, so neither profile changes.
const CUSTOMERS: Record<Language, string> = { en: "ap@acme-industrial.example", es: "cxp@distnorte.example" };
const anInvoice = (status: string) => firstLink(`/invoices?status=${status}`, /^\/invoices\/[^/?]+$/);

for (const language of ["en", "es"] as const) {
  auditAs(`public pages in ${language}`, language, null, [
    ["home", "/"],
    ["sign-in", "/login"],
    ["forgot password", "/forgot-password"],
    ["credit application", "/credit/apply"],
    ["help and chat", "/help"],
  ]);

  auditAs(`customer pages in ${language}`, language, CUSTOMERS[language], [
    ["account home", "/account"],
    ["invoices", "/invoices"],
    ["one invoice", anInvoice("open")],
    ["pay", "/pay"],
    ["statement", "/statement"],
    ["disputes", "/disputes"],
    ["new dispute", firstLink(anInvoice("open"), /^\/disputes\/new\?invoice=/)],
    ["one dispute", firstLink("/disputes", /^\/disputes\/(?!new)[^/?]+$/)],
    ["promises to pay", "/promises"],
    ["credit", "/credit"],
    ["payment receipt", firstLink(anInvoice("paid"), /^\/payments\/[^/?]+$/)],
  ]);

  // The manager has no language of their own on file, so the browser's language decides.
  auditAs(`rep pages in ${language}`, language, "manager@accounts.example", [
    ["rep home", "/rep"],
    ["chat console", "/rep/chat"],
    ["account 360", firstLink("/rep/collections", /^\/rep\/accounts\/[^/?]+/)],
    ["collections worklist", "/rep/collections"],
    ["write-offs", "/rep/collections/write-offs"],
    ["final demands", "/rep/collections/final-demands"],
    ["notes", "/rep/notes"],
    ["credit queue", "/rep/credit"],
    ["a credit application", firstLink("/rep/credit", /^\/rep\/credit\/applications\/[^/?]+$/)],
    ["held orders", "/rep/credit/held-orders"],
    ["disputes", "/rep/disputes"],
    ["one dispute", firstLink("/rep/disputes", /^\/rep\/disputes\/[^/?]+$/)],
    ["payments", "/rep/payments"],
    // The reconciliation queue may be empty: a payment is reached from the first worklist account's payments tab.
    [
      "one payment",
      firstLink(
        async (page) => `${(await firstLink("/rep/collections", /^\/rep\/accounts\/[^/?]+/)(page)).split("?")[0]}?tab=payments`,
        /^\/rep\/payments\/[^/?]+$/,
      ),
    ],
    ["my day", "/rep/day"],
    ["team dashboard", "/rep/dashboard"],
  ]);
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
  // Each test walks a whole flow (and the hook saves two teams' hours): a heavier budget than one page.
  test.describe.configure({ timeout: 90_000 });

  test("a customer pays part of an invoice through the sandbox checkout and lands on the receipt", async ({ browser }) => {
    test.setTimeout(180_000);
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
    // Past every other open invoice's checkbox and amount, as a keyboard user goes.
    await tabTo(page, page.getByRole("button", { name: "Continue to payment" }), 400);
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
    await openLiveChatAroundTheClock(browser);
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
