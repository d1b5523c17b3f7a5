import { db } from "../../utils/db.server";
import { toMinor } from "../money/money";

/** The accounts a rep sees on their home, by name, each marked when it is the rep's own. */
export async function accountDirectory(repId: string, take = 50) {
  const accounts = await db().account.findMany({
    orderBy: { legalName: "asc" },
    take,
    select: { id: true, number: true, legalName: true, currency: true, status: true, creditLimitMinor: true, preferredLanguage: true, ownerRepId: true },
  });
  return accounts.map((a) => ({
    ...a,
    creditLimit: { amountMinor: toMinor(a.creditLimitMinor), currency: a.currency },
    creditLimitMinor: undefined,
    mine: a.ownerRepId === repId,
  }));
}
