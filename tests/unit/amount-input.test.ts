import { describe, expect, it } from "vitest";
import { amountErrorKey, amountExample, amountForInput, parseAmountInput } from "../../app/domain/money/amount-input";

const read = (text: string, locale: string, currency = "USD") => {
  const r = parseAmountInput(text, locale, currency);
  return r.ok ? r.amountMinor : r.error;
};

describe("parseAmountInput: one reader for every typed amount", () => {
  it("en-US: point for cents, commas only between groups of three", () => {
    expect(read("1,250", "en-US")).toBe(125000);
    expect(read("1,250.5", "en-US")).toBe(125050);
    expect(read("12,500,000.00", "en-US")).toBe(1250000000);
    expect(read("1250.00", "en-US")).toBe(125000);
    expect(read("0.5", "en-US")).toBe(50);
    expect(read(" $1,250.00 ", "en-US")).toBe(125000);
    // The examples: once read as $125.00 and $10,050.00.
    expect(read("12,5", "en-US")).toBe("ambiguous");
    expect(read("100,50", "en-US")).toBe("ambiguous");
    expect(read("1,25", "en-US")).toBe("ambiguous");
    expect(read("1,2500", "en-US")).toBe("ambiguous");
    expect(read("1.250,00", "en-US")).toBe("ambiguous");
    expect(read("1,250,5", "en-US")).toBe("ambiguous");
    expect(read("1.250", "en-US")).toBe("decimals");
    expect(read("1.2.3", "en-US")).toBe("invalid");
  });

  it("es-MX writes amounts as Mexico does: point for cents", () => {
    expect(read("1,250.50", "es-MX", "MXN")).toBe(125050);
    expect(read("100.50", "es-MX", "MXN")).toBe(10050);
    expect(read("100,50", "es-MX", "MXN")).toBe("ambiguous");
    expect(read("$2,500", "es-MX", "MXN")).toBe(250000);
  });

  it("es-ES writes amounts as Spain does: comma for cents, points between groups of three", () => {
    expect(read("100,50", "es-ES", "EUR")).toBe(10050);
    expect(read("1.250,50", "es-ES", "EUR")).toBe(125050);
    expect(read("1.250", "es-ES", "EUR")).toBe(125000);
    expect(read("1250,5", "es-ES", "EUR")).toBe(125050);
    expect(read("120.000,00 €", "es-ES", "EUR")).toBe(12000000);
    expect(read("1 250,00", "es-ES", "EUR")).toBe(125000);
    expect(read("12.5", "es-ES", "EUR")).toBe("ambiguous");
    expect(read("1,250.00", "es-ES", "EUR")).toBe("ambiguous");
    expect(read("1,255", "es-ES", "EUR")).toBe("decimals");
  });

  it("refuses what is not an amount, never rounding or guessing", () => {
    expect(read("", "en-US")).toBe("required");
    expect(read("   ", "en-US")).toBe("required");
    expect(read("-5", "en-US")).toBe("invalid");
    expect(read("1e5", "en-US")).toBe("invalid");
    expect(read("abc", "en-US")).toBe("invalid");
    expect(read("12.345", "en-US")).toBe("decimals");
    expect(read("9999999999999999", "en-US")).toBe("too_large");
    expect(read("€5", "en-US", "USD")).toBe("invalid");
    expect(read("0", "en-US")).toBe(0);
  });

  it("names the message that shows the reader's own way of writing an amount", () => {
    expect(amountErrorKey("ambiguous", "en-US")).toBe("common:amountInput.ambiguous_point");
    expect(amountErrorKey("ambiguous", "es-MX")).toBe("common:amountInput.ambiguous_point");
    expect(amountErrorKey("ambiguous", "es-ES")).toBe("common:amountInput.ambiguous_comma");
    expect(amountErrorKey("decimals", "es-ES")).toBe("common:amountInput.decimals");
  });

  it("writes default values and hints that it reads back the same", () => {
    for (const locale of ["en-US", "es-MX", "es-ES"]) {
      const text = amountForInput({ amountMinor: 250_000_000, currency: "EUR" }, locale);
      expect(read(text, locale, "EUR")).toBe(250_000_000);
      expect(read(amountExample(locale), locale, "EUR")).toBe(125000);
    }
    expect(amountForInput({ amountMinor: 5, currency: "USD" }, "en-US")).toBe("0.05");
    expect(amountForInput({ amountMinor: 250_000_000, currency: "EUR" }, "es-ES")).toBe("2500000,00");
    expect(amountForInput({ amountMinor: 1200, currency: "JPY" }, "en-US")).toBe("1200");
    expect(amountExample("es-ES")).toBe("1.250,00");
  });
});
