import type { Account, User } from "../../generated/prisma/client";

/**
 * Who is signed in, with their account (customers). The account's `ledgerVersion` (as
 * text) moves with every change to its ledger: the page cache keys on it.
 */
export type SessionUser = User & {
  account: (Pick<Account, "id" | "number" | "legalName" | "currency" | "status" | "locale" | "timeZone"> & { ledgerVersion: string }) | null;
};
