/**
 * A posted credit memo (an Adjustment of kind CREDIT_MEMO) as its reader sees it: the
 * memo PDF on the portal, the one attached to a memo's delivery email. Who may read it is
 * the route's to decide (assertAccountAccess), as for every other account document.
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

/** The memo by id when it is posted (and, given an account, belongs to it): null otherwise. */
export async function postedCreditMemo(memoId: string, accountId?: string): Promise<CreditMemo | null> {
  const memo = await db().adjustment.findFirst({
    where: { id: memoId, kind: "CREDIT_MEMO", status: "POSTED", ...(accountId ? { accountId } : {}) },
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
