import { composeEmail } from "./app/domain/mail/outbox.server";
import { receiptEmail } from "./app/domain/payments/after-payment.server";
const to = { email: "a@b.c", name: "Ana", reader: { language: "es" as const, locale: "es-MX", timeZone: "America/Mexico_City" }, legalName: "X" };
const mk = () => receiptEmail(to, { number: "PMT-000001", currency: "USD", amountMinor: 12345n, unappliedMinor: 0n, receivedAt: new Date() }, [{ invoiceNumber: "INV-1", amountMinor: 12345n }], ["INV-1"]);
for (let i = 0; i < 200; i++) await composeEmail(mk());
const t = performance.now();
for (let i = 0; i < 2000; i++) await composeEmail(mk());
console.log("per compose ms", ((performance.now() - t) / 2000).toFixed(3));
