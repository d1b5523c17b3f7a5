import { describe, expect, it } from "vitest";
import { formatMoney, sumMoney, toMinor } from "../../app/domain/money/money";
import { convertWithRate } from "../../app/domain/fx/fx-rates.server";
import { formatterFor } from "../../app/i18n/format";

describe("money", () => {
  it("formats minor units per locale and currency", () => {
    expect(formatMoney({ amountMinor: 123456789, currency: "USD" }, "en-US")).toBe("$1,234,567.89");
    expect(formatMoney({ amountMinor: 123456789, currency: "MXN" }, "es-MX")).toBe("$1,234,567.89");
    expect(formatMoney({ amountMinor: 123456789, currency: "MXN" }, "en-US")).toBe("MX$1,234,567.89");
    expect(formatMoney({ amountMinor: 123456789, currency: "EUR" }, "es-MX")).toBe("€1,234,567.89");
    expect(formatMoney({ amountMinor: 12000000, currency: "EUR" }, "es-ES")).toBe("120.000,00\u00a0€");
    expect(formatMoney({ amountMinor: -5, currency: "USD" }, "en-US")).toBe("-$0.05");
  });

  it("groups thousands in every locale: Spain writes 1.234,56 €, not 1234,56 €", () => {
    expect(formatMoney({ amountMinor: 123456, currency: "EUR" }, "es-ES")).toBe("1.234,56\u00a0€");
    expect(formatMoney({ amountMinor: 12000000, currency: "EUR" }, "es-ES")).toBe("120.000,00\u00a0€");
  });

  it("never shows a bare $ for a currency that is not the reader's own", () => {
    const cases: [string, string, string][] = [
      ["en-US", "USD", "$1,250.00"],
      ["en-US", "MXN", "MX$1,250.00"],
      ["en-US", "CAD", "CA$1,250.00"],
      ["en-US", "EUR", "€1,250.00"],
      ["es-MX", "MXN", "$1,250.00"],
      ["es-MX", "USD", "USD\u00a01,250.00"],
      ["es-MX", "CAD", "CAD\u00a01,250.00"],
      ["es-MX", "EUR", "€1,250.00"],
      ["es-ES", "EUR", "1.250,00\u00a0€"],
      ["es-ES", "USD", "1.250,00\u00a0US$"],
      ["es-ES", "MXN", "1.250,00\u00a0MXN"],
      ["es-ES", "CAD", "1.250,00\u00a0CAD"],
    ];
    for (const [locale, currency, shown] of cases) expect(formatMoney({ amountMinor: 125000, currency }, locale), `${locale} ${currency}`).toBe(shown);
  });

  it("refuses to add different currencies without a rate", () => {
    expect(
      sumMoney(
        [
          { amountMinor: 100, currency: "USD" },
          { amountMinor: 250, currency: "USD" },
        ],
        "USD",
      ).amountMinor,
    ).toBe(350);
    expect(() => sumMoney([{ amountMinor: 100, currency: "MXN" }], "USD")).toThrow(/FX rate/);
  });

  it("reads database BigInts only while they are safe integers", () => {
    expect(toMinor(12345n)).toBe(12345);
    expect(toMinor(null)).toBe(0);
    expect(() => toMinor(2n ** 60n)).toThrow(RangeError);
  });

  it("converts with a dated rate exactly, rounding half away from zero", () => {
    expect(convertWithRate(100_00, { rate: "17.25000000" })).toBe(1725_00);
    expect(convertWithRate(1, { rate: "0.50000000" })).toBe(1);
    expect(convertWithRate(-1, { rate: "0.50000000" })).toBe(-1);
    expect(convertWithRate(3, { rate: "0.33333333" })).toBe(1);
  });
});

describe("calendar days", () => {
  it("are written in each reader's locale, the same the first time and every time after, whatever was written before", () => {
    const en = formatterFor({ locale: "en-US", timeZone: "America/Chicago" });
    const mx = formatterFor({ locale: "es-MX", timeZone: "America/Mexico_City" });
    const es = formatterFor({ locale: "es-ES", timeZone: "Europe/Madrid" });
    // A calendar day is the day itself, not shifted into the reader's zone.
    for (let round = 0; round < 2; round++) {
      expect(en.date("2026-04-10")).toBe("Apr 10, 2026");
      expect(mx.date("2026-04-10")).toBe("10 abr 2026");
      expect(es.date("2026-04-10")).toBe("10 abr 2026");
      expect(en.date("2026-01-01")).toBe("Jan 1, 2026");
      expect(en.date(new Date("2026-01-01T00:00:00Z"))).toBe("Jan 1, 2026");
    }
    expect(() => en.date("not a day")).toThrow(RangeError);
  });
});
