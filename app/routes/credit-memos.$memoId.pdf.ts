import type { Route } from "./+types/credit-memos.$memoId.pdf";
import { downloadNotFound, downloadResponse } from "../utils/downloads.server";
import { mayReadAccount, requireUser } from "../utils/authorize.server";
import { postedCreditMemo } from "../domain/invoices/credit-memo.server";
import { creditMemoPdf } from "../domain/invoices/credit-memo-pdf.server";
import { sellerProfile } from "../domain/invoices/seller.server";
import { resolveReader, translatorFor } from "../i18n/i18n.server";

/**
 * A posted credit memo as a PDF in the reader's language and regional words: a customer
 * only their own account's (anything else is not found), a rep of any level or a manager any.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const memo = await postedCreditMemo(params.memoId);
  // Another account's memo is not found, like one that does not exist.
  if (!memo || !mayReadAccount(user, memo.account.id)) return downloadNotFound(request, user);
  const { language, locale } = await resolveReader(request, user);
  const pdf = await creditMemoPdf(memo, await sellerProfile(), await translatorFor(language, locale), locale);
  return downloadResponse(pdf, { fileName: `credit-memo-${memo.number}.pdf`, contentType: "application/pdf", language });
}
