import { expect, test, type Page } from "@playwright/test";
import { deliveredMail, expectAccessible, resetLinkIn, signIn } from "./support";

async function signOut(page: Page) {
  await page.getByRole("button", { name: /^(Sign out|Cerrar sesión)$/ }).click();
  await page.waitForURL((url) => url.pathname === "/");
}

const EMAIL = "direccion@ferreteria-trevino.example";

test("a new company applies in Spanish, a Rep II escalates, a Senior approves, the customer sees its new line", async ({ page }) => {
  test.setTimeout(90_000);
  // ── The applicant, signed out, in Spanish ──
  await page.goto("/");
  await page.getByRole("button", { name: "Español" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await page.goto("/credit/apply");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Solicite crédito para su empresa");
  await page.getByLabel("Su nombre completo").fill("Marisol Treviño");
  await page.getByLabel("Su correo electrónico de trabajo").fill(EMAIL);
  await page.getByLabel("Razón social").fill("Ferretería Treviño S.A. de C.V.");
  await page.getByLabel("País").selectOption("MX");
  await page.getByLabel("Identificación fiscal").fill("FTR-15-06");
  await page.getByLabel("Moneda en la que compra").selectOption("MXN");
  await page.getByLabel("Calle y número").fill("Av. Constitución 1200");
  // City left empty on purpose.
  await page.getByLabel("Estado o provincia").fill("NL");
  await page.getByLabel("Código postal").fill("64000");
  await page.getByLabel("Años de operación").fill("12");
  await page.getByLabel("Ventas anuales").fill("60,000,000.00");
  await page.getByRole("button", { name: "Guardar y continuar" }).click();

  await expect(page.getByText("Escriba un RFC válido", { exact: false })).toBeVisible();
  await expect(page.locator("#city-error")).toHaveText("Este campo es obligatorio.");
  await expect(page.getByLabel("Identificación fiscal")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Razón social")).toHaveValue("Ferretería Treviño S.A. de C.V.");
  await expectAccessible(page);
  // Nothing is lost on a reload either.
  await page.goto("/credit/apply");
  await expect(page.getByLabel("Identificación fiscal")).toHaveValue("FTR-15-06");
  await expect(page.getByLabel("Ventas anuales")).toHaveValue("60,000,000.00");

  await page.getByLabel("Identificación fiscal").fill("FTR150604AB1");
  await page.getByLabel("Ciudad").fill("Monterrey");
  await page.getByRole("button", { name: "Guardar y continuar" }).click();
  await expect(page.getByRole("heading", { name: "Paso 2 de 4: Referencias" })).toBeVisible();

  await page.locator("#ref1Company").fill("Materiales del Norte");
  await page.locator("#ref1Contact").fill("Jorge Ruiz");
  await page.locator("#ref1Email").fill("jorge@matnorte.example");
  // Second trade reference left empty.
  await page.getByLabel("Banco", { exact: true }).fill("BBVA México");
  await page.getByLabel("Últimos 4 dígitos de la cuenta").fill("0932");
  await page.getByRole("button", { name: "Guardar y continuar" }).click();
  await expect(page.locator("#ref2Company-error")).toHaveText("Este campo es obligatorio.");
  await expect(page.locator("#ref1Company")).toHaveValue("Materiales del Norte");
  await page.locator("#ref2Company").fill("Aceros Regios");
  await page.locator("#ref2Contact").fill("Claudia Ibarra");
  await page.locator("#ref2Email").fill("claudia@acerosregios.example");
  await page.getByRole("button", { name: "Guardar y continuar" }).click();

  await expect(page.getByRole("heading", { name: "Paso 3 de 4: Crédito solicitado" })).toBeVisible();
  await page.getByLabel("Línea de crédito solicitada").fill("2,500,000.00");
  await page.getByLabel("Plazo de pago solicitado").selectOption("45");
  await page.getByRole("button", { name: "Guardar y continuar" }).click();
  await expect(page.getByRole("heading", { name: /^Paso 4 de 4/ })).toBeVisible();

  await page.getByLabel("Escriba su nombre completo para firmar").fill("Marisol Treviño");
  await page.getByLabel(/Autorizo que consulten/).check();
  await page.getByRole("button", { name: "Firmar y enviar" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Recibimos su solicitud");
  const number = (await page.getByText(/Su número de solicitud es/).innerText()).match(/CA-\d{4}-\d{4}/)![0];

  // ── A Spanish-speaking Rep II: above her authority, it escalates ──
  await signIn(page, "rep2@accounts.example");
  await page.getByRole("link", { name: "Revisión de crédito" }).click();
  await page.getByLabel("Idioma de la solicitud").selectOption("es");
  await page.getByRole("button", { name: "Filtrar" }).click();
  await page.getByRole("link", { name: number }).click();
  await expect(page.getByTestId("score-breakdown")).toContainText("Años de operación");
  await page.getByLabel("Límite de crédito (MXN)").fill("2,500,000.00");
  await page.getByLabel("Plazo de pago", { exact: true }).selectOption("45");
  await page.getByRole("button", { name: "Aprobar", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText("Excede su nivel de autorización: se turnó a Ejecutivo III.");
  await expect(page.getByTestId("application-status")).toContainText("Escalada");
  await expect(page.getByRole("button", { name: "Aprobar", exact: true })).toHaveCount(0);
  await expectAccessible(page);
  await signOut(page);

  // ── A Senior approves ──
  await signIn(page, "senior@accounts.example");
  await page.goto("/rep/credit");
  await expect(page.getByTestId(`queue-${number}`)).toContainText(/Escalated|Escalada/);
  await page.getByRole("link", { name: number }).click();
  await page.getByLabel(/^(Credit limit|Límite de crédito) \(MXN\)$/).fill("2,500,000.00");
  await page.getByLabel(/^(Payment terms|Plazo de pago)$/).selectOption("45");
  await page.getByRole("button", { name: /^(Approve|Aprobar)$/ }).click();
  await expect(page.getByTestId("application-status")).toContainText(/Approved|Aprobada/);
  await signOut(page);

  // ── The new customer sets a password from the welcome email and sees the line ──
  const welcome = await deliveredMail(EMAIL, /reset-password\?token=/);
  await page.goto(resetLinkIn(welcome));
  await page.getByLabel("Contraseña nueva", { exact: true }).fill("Trevino-Clave-2026");
  await page.getByLabel("Repita la contraseña nueva").fill("Trevino-Clave-2026");
  await page.getByRole("button", { name: "Guardar contraseña" }).click();
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, EMAIL, "Trevino-Clave-2026");
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expect(page.getByTestId("figure-creditLimit")).toContainText("$2,500,000.00");
  await page.getByRole("link", { name: "Crédito", exact: true }).click();
  await expect(page.getByTestId("figure-creditLimit")).toContainText("$2,500,000.00");
  await expect(page.getByTestId("credit-terms")).toHaveText("Crédito a 45 días");
  await expect(page.getByTestId(`application-${number}`)).toContainText("Aprobada");
  await expect(page.getByTestId(`application-${number}`)).toContainText("Aprobado: $2,500,000.00, Crédito a 45 días.");
  await expectAccessible(page);
});

test("an order over the limit is held, the customer sees why and what to pay, a rep releases it", async ({ page }) => {
  await signIn(page, "ap@acme-industrial.example");
  await page.getByRole("link", { name: "Credit", exact: true }).click();
  await expect(page.getByTestId("held-SO-1001-5001")).toContainText("Over the credit limit");
  await page.getByLabel("Order amount (USD)").fill("5,000,000.00");
  await page.getByRole("button", { name: "Check" }).click();
  await expect(page.getByTestId("headroom-result")).toContainText("An order of $5,000,000.00 would go on credit hold");
  await expectAccessible(page);
  await signOut(page);

  await signIn(page, "senior@accounts.example");
  await page.goto("/rep/credit/held-orders");
  const row = page.getByTestId("held-SO-1001-5001");
  const trail = await row.getByRole("link", { name: "Limit, terms and audit trail" }).getAttribute("href");
  await row.getByLabel("Note for SO-1001-5001").fill("Customer paid by wire today");
  await row.getByRole("button", { name: "Release" }).click();
  await expect(page.getByRole("status")).toContainText("Order released");
  await expect(page.getByTestId("held-SO-1001-5001")).toHaveCount(0);
  // The audit trail says who, what, before and after.
  await page.goto(trail!);
  const entry = page.getByTestId("credit-audit").getByRole("listitem").filter({ hasText: "released order SO-1001-5001 from its credit hold" });
  await expect(entry).toContainText("Diana Brooks (Senior Rep) released order SO-1001-5001 from its credit hold: on hold → open");
  await expect(entry).toContainText("Note: Customer paid by wire today");
  await expect(entry).toContainText(/Exposure: \$[\d,]+\.\d{2}/);
  await expect(entry).not.toContainText("ON_HOLD");
  await expectAccessible(page);
});

test("a small application is approved at once; a Rep I can only escalate one above their authority", async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto("/credit/apply");
  await page.getByLabel("Your full name").fill("Dana Smith");
  await page.getByLabel("Your work email").fill("dana@smallshop.example");
  await page.getByLabel("Company legal name").fill("Small Shop LLC");
  await page.getByLabel("Country").selectOption("US");
  await page.getByLabel("Tax ID").fill("12-3456789");
  await page.getByLabel("Currency you buy in").selectOption("USD");
  await page.getByLabel("Street address").fill("100 Main St");
  await page.getByLabel("City").fill("Austin");
  await page.getByLabel("State or province").fill("TX");
  await page.getByLabel("Postal code").fill("78701");
  await page.getByLabel("Years in business").fill("11");
  await page.getByLabel("Annual revenue").fill("3,000,000.00");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { name: /^Step 2 of 4/ })).toBeVisible();
  await page.locator("#ref1Company").fill("Lone Star Supply");
  await page.locator("#ref1Contact").fill("Ann Lee");
  await page.locator("#ref1Email").fill("ann@lonestar.example");
  await page.locator("#ref2Company").fill("Gulf Tools");
  await page.locator("#ref2Contact").fill("Bo Diaz");
  await page.locator("#ref2Email").fill("bo@gulftools.example");
  await page.getByLabel("Bank", { exact: true }).fill("Frost Bank");
  await page.getByLabel("Last 4 digits of the account").fill("1234");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { name: /^Step 3 of 4/ })).toBeVisible();
  await page.getByLabel("Credit limit requested").fill("8,000.00");
  await page.getByLabel("Payment terms requested").selectOption("30");
  await page.getByRole("button", { name: "Save and continue" }).click();
  // Each step has a Back button: wait for step 4 before going back, or the click
  // lands on step 3's own Back while the form is still posting.
  await expect(page.getByRole("heading", { name: /^Step 4 of 4/ })).toBeVisible();
  // Back keeps what was typed.
  await page.getByRole("button", { name: "Back" }).click();
  await expect(page.getByRole("heading", { name: /^Step 3 of 4/ })).toBeVisible();
  await expect(page.getByLabel("Credit limit requested")).toHaveValue("8,000.00");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { name: /^Step 4 of 4/ })).toBeVisible();
  await page.getByLabel("Type your full name to sign").fill("Dana Smith");
  await page.getByLabel(/I authorize you/).check();
  await page.getByRole("button", { name: "Sign and submit" }).click();
  await expect(page.getByText(/It has been approved/)).toBeVisible();

  await signIn(page, "rep1@accounts.example");
  await page.goto("/rep/credit");
  await page.getByRole("link", { name: "CA-2026-0002" }).click();
  await page.getByLabel("Credit limit (MXN)").fill("900,000.00");
  await page.getByLabel("Payment terms", { exact: true }).selectOption("30");
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText("Above your authority: escalated to Rep III.");
  await expect(page.getByRole("button", { name: "Approve", exact: true })).toHaveCount(0);
  await expect(page.getByText("Waiting for a Rep III or above to decide.")).toBeVisible();
});
