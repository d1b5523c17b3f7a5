/**
 * What one request works out once (the session lookup: the page cache, the root, layout
 * and page loaders all ask), and the kept texts of a server render's translations.
 */
import { describe, expect, it } from "vitest";
import { i18nFor, i18nRenderView } from "../../app/i18n/i18n.server";
import { forgetForThisRequest, oncePerRequest, withRequestLogger } from "../../app/utils/logger.server";

function counter() {
  let calls = 0;
  return { compute: () => ++calls, calls: () => calls };
}

describe("oncePerRequest", () => {
  it("works a value out once in a reading request, again after it is forgotten", () => {
    const c = counter();
    withRequestLogger(
      "r1",
      () => {
        expect(oncePerRequest("signed-in:a", c.compute)).toBe(1);
        expect(oncePerRequest("signed-in:a", c.compute)).toBe(1);
        expect(oncePerRequest("signed-in:b", c.compute)).toBe(2);
        forgetForThisRequest("signed-in:");
        expect(oncePerRequest("signed-in:a", c.compute)).toBe(3);
      },
      true,
    );
    expect(c.calls()).toBe(3);
  });

  it("keeps nothing in a writing request (an action may change what it read) nor outside a request", () => {
    const c = counter();
    withRequestLogger("r2", () => {
      oncePerRequest("k", c.compute);
      oncePerRequest("k", c.compute);
    });
    oncePerRequest("k", c.compute);
    oncePerRequest("k", c.compute);
    expect(c.calls()).toBe(4);
  });

  it("shares nothing between two requests served at once", async () => {
    const c = counter();
    const request = (id: string) =>
      withRequestLogger(
        id,
        async () => {
          const first = oncePerRequest("k", c.compute);
          await new Promise((resolve) => setTimeout(resolve, 5));
          return [first, oncePerRequest("k", c.compute)];
        },
        true,
      );
    const [a, b] = await Promise.all([request("a"), request("b")]);
    expect(a[0]).toBe(a[1]);
    expect(b[0]).toBe(b[1]);
    expect(a[0]).not.toBe(b[0]);
  });
});

describe("a server render's translations", () => {
  it("give the same texts as i18next, plain keys and keys with values, in each language", async () => {
    for (const language of ["en", "es"] as const) {
      const instance = await i18nFor(language);
      const direct = instance.getFixedT(language, ["invoices", "account"]);
      const t = i18nRenderView(instance).getFixedT(language, ["invoices", "account"]);
      for (let round = 0; round < 2; round++) {
        expect(t("title")).toBe(direct("title"));
        expect(t("status.OPEN")).toBe(direct("status.OPEN"));
        expect(t("count", { count: 1 })).toBe(direct("count", { count: 1 }));
        expect(t("count", { count: 7 + round })).toBe(direct("count", { count: 7 + round }));
      }
      // A text made with values is kept under those values: the plural follows the count on every call.
      for (const count of [1, 2, 1, 5000, 2, 1]) {
        const values = { count, formattedCount: String(count) };
        expect(t("count", values)).toBe(direct("count", values));
      }
      // A value that is not plain (an object) is not kept: the text is i18next's own.
      expect(t("page", { page: "2", pages: "9", note: { x: 1 } })).toBe(direct("page", { page: "2", pages: "9", note: { x: 1 } }));
      expect(t("count", { count: 1 })).toMatch(language === "en" ? /^1 invoice$/ : /^1 factura$/);
      expect(t("page", { page: "2", pages: "9" })).toBe(language === "en" ? "Page 2 of 9" : "Página 2 de 9");
    }
    // A missing key's default value, and a key only the regional variant changes, through its fallback.
    const es = await i18nFor("es");
    const view = i18nRenderView(es).getFixedT("es", "watch");
    expect(view("changeKinds.spaceship", { defaultValue: "spaceship" })).toBe("spaceship");
    expect(view("changeKinds.legal_name", { defaultValue: "x" })).toBe("razón social");
    // Spain's Spanish: its own words where it has them, the Americas' Spanish for the rest.
    const spain = i18nRenderView(await i18nFor("es-ES")).getFixedT("es-ES", ["invoices", "account"]);
    expect(spain("account:figures.disputed")).toBe("En reclamación");
    expect(spain("account:aging.caption", { date: "1 dic 2026" })).toBe("Saldo pendiente sin reclamaciones abiertas, por días de vencimiento, a 1 dic 2026");
    expect(spain("title")).toBe("Facturas");
    const en = i18nRenderView(await i18nFor("en")).getFixedT("en", "invoices");
    const esInvoices = i18nRenderView(es).getFixedT("es", "invoices");
    expect(en("title")).toBe("Invoices");
    expect(esInvoices("title")).toBe("Facturas");
  });
});
