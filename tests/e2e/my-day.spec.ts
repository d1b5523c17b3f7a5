/**
 * My day (issue 17) in a browser, in both languages: the seeded rep's day lists a held
 * order, an application under its review SLA, a broken promise and a watch signal; the
 * signal opens the account 360, and marking it reviewed takes it off the day. A Spanish
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
  for (const kind of ["held_order", "credit_application", "promise", "watch_signal"]) {
    await expect(day.locator(`[data-testid="day-item"][data-kind="${kind}"]`).first()).toBeVisible();
  }
  await expect(day.locator('[data-kind="held_order"]').first().getByTestId("release-condition")).not.toBeEmpty();

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
