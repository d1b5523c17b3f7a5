import { describe, expect, it } from "vitest";
import { formatMoney, parseMoneyInput, sumMoney, toMinor } from "../../app/domain/money/money";
import { convertWithRate } from "../../app/domain/fx/fx-rates.server";

describe("money", () => {
  it("formats minor units per locale and currency", () => {
    expect(formatMoney({ amountMinor: 123456789, currency: "USD" }, "en-US")).toBe("$1,234,567.89");
    expect(formatMoney({ amountMinor: 123456789, currency: "MXN" }, "es-MX")).toBe("$1,234,567.89");
    expect(formatMoney({ amountMinor: 123456789, currency: "MXN" }, "en-US")).toBe("MX$1,234,567.89");
    expect(formatMoney({ amountMinor: 123456789, currency: "EUR" }, "es-MX")).toBe("EUR\u00a01,234,567.89");
    expect(formatMoney({ amountMinor: -5, currency: "USD" }, "en-US")).toBe("-$0.05");
  });

  it("parses what people type, in their locale, and rejects the rest", () => {
    expect(parseMoneyInput("1,234.56", "USD", "en-US")).toBe(123456);
    expect(parseMoneyInput("1234", "MXN", "es-MX")).toBe(123400);
    expect(parseMoneyInput("0.5", "USD", "en-US")).toBe(50);
    expect(parseMoneyInput("1.234", "USD", "en-US")).toBeNull();
    expect(parseMoneyInput("-3", "USD", "en-US")).toBeNull();
    expect(parseMoneyInput("abc", "USD", "en-US")).toBeNull();
    expect(parseMoneyInput("", "USD", "en-US")).toBeNull();
  });

  it("refuses to add different currencies without a rate", () => {
    expect(sumMoney([{ amountMinor: 100, currency: "USD" }, { amountMinor: 250, currency: "USD" }], "USD").amountMinor).toBe(350);
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
