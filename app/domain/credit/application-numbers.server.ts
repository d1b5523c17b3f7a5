/** Application numbers (CA-<year>-<n>): counted per year, and made unique again if two drafts meet on one. */
import crypto from "node:crypto";
import type { CreditApplication, Prisma } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";

export async function nextApplicationNumber(client: Pick<Prisma.TransactionClient, "creditApplication"> = db()): Promise<string> {
  const year = new Date().getUTCFullYear();
  const count = await client.creditApplication.count({ where: { number: { startsWith: `CA-${year}-` } } });
  return `CA-${year}-${String(count + 1).padStart(4, "0")}`;
}

export async function createWithNumber(data: Omit<Prisma.CreditApplicationUncheckedCreateInput, "number">): Promise<CreditApplication> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const base = await nextApplicationNumber();
    const number = attempt === 0 ? base : `${base}-${crypto.randomBytes(2).toString("hex")}`;
    try {
      return await db().creditApplication.create({ data: { ...data, number } });
    } catch (error) {
      if (attempt === 4) throw error;
    }
  }
  throw new Error("unreachable");
}
