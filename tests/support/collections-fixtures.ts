/** Accounts and invoices made for a collections test, apart from the seed's, with a customer who can sign in. */
import crypto from "node:crypto";
import { hashPassword } from "../../app/domain/auth/password.server";
import type { PrismaClient } from "../../app/utils/db.server";
import { DEMO_PASSWORD } from "../../prisma/demo-users";

const DAY = 86_400_000;

export async function collectionsAccount(db: PrismaClient, opts: { country: string; language: string; locale: string; timeZone: string; currency: string }) {
  const t = crypto.randomBytes(3).toString("hex");
  const account = await db.account.create({
    data: {
      number: `ACC-T${t}`,
      legalName: `Test ${t} Ltd.`,
      taxId: `TAX${t}`,
      country: opts.country,
      preferredLanguage: opts.language,
      locale: opts.locale,
      timeZone: opts.timeZone,
      currency: opts.currency,
      creditLimitMinor: 50_000_000n,
    },
  });
  const email = `ap-${t}@collections.example`;
  await db.user.create({ data: { email, name: `AP ${t}`, passwordHash: await hashPassword(DEMO_PASSWORD), role: "CUSTOMER", accountId: account.id } });
  return { ...account, email };
}

/** An open invoice due `daysPastDue` days before today (UTC). */
export async function pastDueInvoice(db: PrismaClient, account: { id: string; currency: string }, daysPastDue: number, amountMinor: bigint) {
  const today = new Date(new Date().toISOString().slice(0, 10));
  return db.invoice.create({
    data: {
      number: `INV-T-${crypto.randomBytes(3).toString("hex")}`,
      accountId: account.id,
      currency: account.currency,
      issuedOn: new Date(today.getTime() - (daysPastDue + 30) * DAY),
      dueOn: new Date(today.getTime() - daysPastDue * DAY),
      totalMinor: amountMinor,
      balanceMinor: amountMinor,
    },
  });
}
