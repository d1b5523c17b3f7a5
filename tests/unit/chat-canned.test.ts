import { describe, expect, it } from "vitest";
import { fillPlaceholders } from "../../app/domain/chat/canned";
import { formatMoney } from "../../app/domain/money/money";

describe("canned responses", () => {
  it("fills customer name, invoice number and an amount formatted in the account's currency for the conversation's language", () => {
    const es = "La factura {{invoiceNumber}} tiene un saldo pendiente de {{amount}}.";
    const amount = formatMoney({ amountMinor: 1_234_567, currency: "MXN" }, "es-MX");
    expect(fillPlaceholders(es, { customerName: "Rosa", invoiceNumber: "INV-1001", amount })).toBe(
      "La factura INV-1001 tiene un saldo pendiente de $12,345.67.",
    );
    const en = "Hi {{ customerName }}, invoice {{invoiceNumber}}: {{amount}}";
    expect(fillPlaceholders(en, { customerName: "Pat", invoiceNumber: "INV-7", amount: formatMoney({ amountMinor: 5000, currency: "EUR" }, "en-US") })).toBe(
      "Hi Pat, invoice INV-7: €50.00",
    );
  });

  it("never leaves an unknown placeholder in the text", () => {
    expect(fillPlaceholders("Hello {{nobody}}!", { customerName: "", invoiceNumber: "", amount: "" })).toBe("Hello !");
  });
});
