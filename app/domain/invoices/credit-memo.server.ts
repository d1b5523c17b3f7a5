/**
 * A posted credit memo (an Adjustment of kind CREDIT_MEMO) as its reader sees it: the
 * memo PDF on the portal, the one attached to a memo's delivery email. A customer reads
 * only their own account's memos; staff (a rep of any level, a manager) any.
 */
import { db } from "../../utils/db.server";
import { toMinor, type Money } from "../money/money";

export type CreditMemo = {
  id: string;
  number: string;
  postedOn: string;
  amount: Money;
  reason: string;
  account: { id: string; legalName: string; number: string };
  invoice: { id: string; number: string; issuedOn: string } | null;
  dispute: { id: string; number: string } | null;
  /** The part above the invoice's open balance that became credit on the account (zero when none). */
  accountCredit: Money;
};

/** The memo by id when it is posted and the reader may see it: null otherwise (one answer for "absent" and "not yours"). */
export async function creditMemoFor(reader: { role: string; accountId: string | null }, memoId: string): Promise<CreditMemo | null> {
  const staff = reader.role === "REP" || reader.role === "MANAGER";
  if (!staff && !reader.accountId) return null;
  const memo = await db().adjustment.findFirst({
    where: { id: memoId, kind: "CREDIT_MEMO", status: "POSTED", ...(staff ? {} : { accountId: reader.accountId! }) },
    include: {
      account: { select: { id: true, legalName: true, number: true } },
      invoice: { select: { id: true, number: true, issuedOn: true } },
      dispute: { select: { id: true, number: true } },
      accountCredit: { select: { amountMinor: true } },
    },
  });
  if (!memo) return null;
  return {
    id: memo.id,
    number: memo.number,
    postedOn: (memo.postedAt ?? memo.createdAt).toISOString(),
    amount: { amountMinor: toMinor(memo.amountMinor), currency: memo.currency },
    reason: memo.reason,
    account: memo.account,
    invoice: memo.invoice ? { id: memo.invoice.id, number: memo.invoice.number, issuedOn: memo.invoice.issuedOn.toISOString() } : null,
    dispute: memo.dispute,
    accountCredit: { amountMinor: toMinor(memo.accountCredit?.amountMinor ?? 0), currency: memo.currency },
  };
}

/** The memo for the delivery job, which acts for the account it queued it for. */
export function creditMemoOfAccount(accountId: string, memoId: string): Promise<CreditMemo | null> {
  return creditMemoFor({ role: "CUSTOMER", accountId }, memoId);
}
