import crypto from "node:crypto";
import type { StaffLevel } from "../../generated/prisma/client";

/** The staff member acting on a dispute, with their authority level. */
export type Actor = { id: string; staffLevel?: StaffLevel | null };

/** A dispute's or a credit memo's number: the prefix, the account's digits, a random suffix. */
export function newNumber(prefix: string, accountNumber: string) {
  return `${prefix}-${accountNumber.replace("ACC-", "")}-${crypto.randomBytes(3).toString("hex").toUpperCase()}`;
}
