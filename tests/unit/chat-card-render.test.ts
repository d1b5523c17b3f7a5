/**
 * The chat card as the widget and the console draw it (issue 15), rendered to HTML the
 * way the server renders a page: the real component, the real translations and the
 * reader's formatting from the root loader's data. The customer's pay card is a plain
 * link ("Pay $7,015.40" / "Pagar 7.015,40 €") to the pay page with its invoices chosen;
 * the rep's card has no pay button, a link to the account instead.
 */
import { createElement as h } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { createRoutesStub } from "react-router";
import { describe, expect, it } from "vitest";
import { ChatCardView } from "../../app/components/chat/chat-card";
import { chatCardOf, type ChatCard } from "../../app/domain/chat/cards";
import type { TextLanguage } from "../../app/i18n/config";
import { i18nFor } from "../../app/i18n/i18n.server";

type Reader = { language: "en" | "es"; textLanguage: TextLanguage; locale: string; timeZone: string };
const US: Reader = { language: "en", textLanguage: "en", locale: "en-US", timeZone: "America/Chicago" };
const MX: Reader = { language: "es", textLanguage: "es", locale: "es-MX", timeZone: "America/Monterrey" };
const ES: Reader = { language: "es", textLanguage: "es-ES", locale: "es-ES", timeZone: "Europe/Madrid" };

async function render(card: ChatCard, side: "customer" | "rep", reader: Reader) {
  const i18n = await i18nFor(reader.textLanguage);
  const Stub = createRoutesStub([{ id: "root", path: "/", Component: () => h(ChatCardView, { card, side, accountId: "acc-1" }) }]);
  const html = renderToString(h(I18nextProvider, { i18n }, h(Stub, { initialEntries: ["/"], hydrationData: { loaderData: { root: reader } } })));
  return { html, text: html.replace(/<[^>]+>/g, " ").replace(/&amp;/g, "&").replace(/\s+/g, " ") };
}

/** The amount as a reader in `locale` writes it (Intl's own rules; its no-break space read as a space, as in `text`). */
const written = (amountMinor: number, currency: string, locale: string) =>
  new Intl.NumberFormat(locale, { style: "currency", currency, useGrouping: "always" } as Intl.NumberFormatOptions).format(amountMinor / 100).replace(/\s/g, " ");

const payCard = (currency: string): ChatCard => ({
  kind: "pay_link",
  total: { amountMinor: 701540, currency },
  invoices: [
    { id: "inv-a", number: "INV-2041", balance: { amountMinor: 500000, currency } },
    { id: "inv-b", number: "INV-2042", balance: { amountMinor: 201540, currency } },
  ],
  path: `/pay?currency=${currency}&invoice=inv-a&invoice=inv-b`,
});

describe("the pay card", () => {
  it("is a 'Pay $7,015.40' link to the pay page with the invoices, for a customer in the US", async () => {
    const { html, text } = await render(payCard("USD"), "customer", US);
    expect(html).toMatch(/<a class="button primary chat-card-pay" href="\/pay\?currency=USD&amp;invoice=inv-a&amp;invoice=inv-b">Pay \$7,015\.40<\/a>/);
    expect(text).toContain("INV-2041 · $5,000.00");
    expect(text).toContain("INV-2042 · $2,015.40");
  });

  it("reads 'Pagar …' in Mexico's and Spain's figures", async () => {
    expect((await render(payCard("MXN"), "customer", MX)).text).toContain(`Pagar ${written(701540, "MXN", "es-MX")}`);
    const spain = await render(payCard("EUR"), "customer", ES);
    expect(spain.text).toContain(`Pagar ${written(701540, "EUR", "es-ES")}`);
    expect(spain.text).toContain("Facturas");
  });

  it("has no pay button for the rep: the total and a link to the account", async () => {
    const { html, text } = await render(payCard("USD"), "rep", US);
    expect(html).not.toContain('href="/pay');
    expect(text).toContain("Pay $7,015.40");
    expect(html).toContain('href="/rep/accounts/acc-1?tab=invoices"');
  });
});

describe("promise and dispute cards", () => {
  it("show the promise's amount, day and invoices", async () => {
    const card: ChatCard = { kind: "promise", amount: { amountMinor: 125050, currency: "USD" }, promisedFor: "2026-12-24", invoices: [{ id: "i1", number: "INV-7" }] };
    const { text } = await render(card, "customer", US);
    expect(text).toContain("Promise to pay");
    expect(text).toContain("$1,250.50 by Dec 24, 2026");
    expect(text).toContain("INV-7");
  });

  it("show the dispute in Spain's word, linked to the customer's dispute page (the rep's to the staff page)", async () => {
    const card: ChatCard = {
      kind: "dispute",
      disputeId: "d1",
      number: "DSP-0042",
      invoice: { id: "i1", number: "INV-7" },
      amount: { amountMinor: 99000, currency: "EUR" },
      path: "/disputes/d1",
    };
    const spain = await render(card, "customer", ES);
    expect(spain.text).toContain("Reclamación DSP-0042");
    expect(spain.text).toContain(`${written(99000, "EUR", "es-ES")} sobre la factura INV-7`);
    expect(spain.html).toContain('href="/disputes/d1"');
    expect((await render(card, "customer", MX)).text).toContain("Aclaración DSP-0042");
    expect((await render(card, "rep", US)).html).toContain('href="/rep/disputes/d1"');
  });
});

describe("stored cards", () => {
  it("draw only what a card is: an unknown kind or a link out of the portal is no card", () => {
    expect(chatCardOf(payCard("USD"))).toEqual(payCard("USD"));
    expect(chatCardOf({ ...payCard("USD"), path: "https://evil.example/pay?x" })).toBeNull();
    expect(chatCardOf({ ...payCard("USD"), path: "//evil.example/pay?x" })).toBeNull();
    expect(chatCardOf({ kind: "nonsense" })).toBeNull();
    expect(chatCardOf(null)).toBeNull();
  });
});
