import type { Route } from "./+types/_customer.invoices.$invoiceId_.pdf";
import { downloadNotFound, downloadResponse } from "../utils/downloads.server";
import { requireCustomer } from "../utils/authorize.server";
import { invoicePdf } from "../domain/invoices/documents-pdf.server";
import { sellerProfile } from "../domain/invoices/seller.server";
import { invoiceForAccount } from "../domain/invoices/invoice-detail.server";
import { resolveReader, translatorFor } from "../i18n/i18n.server";

/** The invoice as a PDF in the reader's language — only for the session's own account. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireCustomer(request);
  const invoice = await invoiceForAccount(user.accountId, params.invoiceId);
  if (!invoice) return downloadNotFound(request, user);
  const { language, locale } = await resolveReader(request, user);
  const pdf = await invoicePdf(invoice, await translatorFor(language, locale), locale, await sellerProfile());
  return downloadResponse(pdf, { fileName: `invoice-${invoice.number}.pdf`, contentType: "application/pdf", language });
}
