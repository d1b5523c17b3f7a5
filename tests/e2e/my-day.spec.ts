/**
 * My day (issue 17) in a browser, in both languages: the seeded rep's day lists a dispute
 * to answer, a broken promise, a credit review and a watch signal; the
 * signal opens the account 360, and marking it reviewed takes it off the day; held orders
 * show on their account owner's day with what releases them. A Spanish
 * customer reports a change of address from their account page.
 */
import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("the rep's day lists each kind of work, opens it, and loses a signal once reviewed", async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  await signIn(page, "rep1@accounts.example");
  await page.getByRole("link", { name: "My day" }).click();
  await expect(page.getByRole("heading", { name: "My day", level: 1 })).toBeVisible();
  const day = page.getByTestId("my-day");
  // Applications are decided by the earlier credit specs; the Spanish test below reads one on Rep III's day.
  for (const kind of ["dispute_reply", "promise", "credit_review", "watch_signal"]) {
    await expect(day.locator(`[data-testid="day-item"][data-kind="${kind}"]`).first()).toBeVisible();
  }

  const signals = day.locator('[data-testid="day-item"][data-kind="watch_signal"]');
  const before = await signals.count();
  await signals.filter({ hasText: "reported a change of address" }).getByTestId("open-item").click();
  await expect(page.getByTestId("watch-signals")).toBeVisible();
  const signal = page.getByTestId("watch-signal").filter({ hasText: "reported a change of address" });
  await signal.getByRole("button", { name: "Mark reviewed" }).click();
  await expect(page.getByTestId("signal-saved")).toBeVisible();
  await page.goto("/rep/day");
  await expect(signals).toHaveCount(before - 1);
  await context.close();

  // Held orders: the earlier specs release Acme's, so they are read on Norte's owner's day,
  // whose orders wait on the account's own hold, with what lifts it.
  const ownerContext = await browser.newContext({ locale: "en-US" });
  const owner = await ownerContext.newPage();
  await signIn(owner, "rep2@accounts.example");
  await owner.goto("/rep/day");
  const held = owner.getByTestId("my-day").locator('[data-testid="day-item"][data-kind="held_order"]');
  await expect(held.first()).toBeVisible();
  await expect(held.first().getByTestId("release-condition")).not.toBeEmpty();
  await ownerContext.close();
});

test("en español: el día del ejecutivo y un cliente que informa un cambio", async ({ browser }) => {
  test.setTimeout(120_000);
  const repContext = await browser.newContext({ locale: "es-MX" });
  const rep = await repContext.newPage();
  await signIn(rep, "rep3@accounts.example");
  await rep.goto("/rep/day");
  await expect(rep.getByRole("heading", { name: "Mi día", level: 1 })).toBeVisible();
  await expect(rep.getByTestId("my-day")).toContainText("Revisar la solicitud de crédito");
  await repContext.close();

  const customerContext = await browser.newContext({ locale: "es-MX" });
  const customer = await customerContext.newPage();
  await signIn(customer, "cxp@distnorte.example");
  await customer.goto("/account");
  await customer.getByLabel("Qué cambió").selectOption("address");
  await customer.getByLabel("Los datos nuevos").fill("Av. Constitución 400, Monterrey, N.L.");
  await customer.getByRole("button", { name: "Enviar el cambio" }).click();
  await expect(customer.getByTestId("report-saved")).toBeVisible();
  await expect(customer.getByTestId("reported-changes")).toContainText("domicilio");
  await customerContext.close();
});
