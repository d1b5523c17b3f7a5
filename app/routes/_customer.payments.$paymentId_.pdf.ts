import type { Route } from "./+types/_customer.payments.$paymentId_.pdf";
import { downloadNotFound, downloadResponse } from "../utils/downloads.server";
import { requireCustomer } from "../utils/authorize.server";
import { receiptPdf } from "../domain/invoices/documents-pdf.server";
import { sellerProfile } from "../domain/invoices/seller.server";
import { receiptForAccount } from "../domain/payments/receipt.server";
import { resolveReader, translatorFor } from "../i18n/i18n.server";

/** The receipt as a PDF in the reader's language — authorized as the receipt page is: the session's own account only. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireCustomer(request);
  const receipt = await receiptForAccount(user.accountId, params.paymentId);
  if (!receipt) return downloadNotFound(request, user);
  const { language, locale } = await resolveReader(request, user);
  const pdf = await receiptPdf(receipt, await sellerProfile(), await translatorFor(language, locale), locale);
  return downloadResponse(pdf, { fileName: `receipt-${receipt.number}.pdf`, contentType: "application/pdf", language });
}
