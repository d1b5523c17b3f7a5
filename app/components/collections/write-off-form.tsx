import { useTranslation } from "react-i18next";
import { Form } from "react-router";

/**
 * Proposes a write-off of an invoice's uncollectable amount. Posts to the write-offs page,
 * which posts it within the rep's authority or queues it for a level that may approve,
 * and sends the rep back to `returnTo` — a plain form, no JavaScript needed.
 */
export function WriteOffForm({
  accountId,
  returnTo,
  invoiceNumber,
  typed,
  error,
}: {
  accountId: string;
  returnTo: string;
  invoiceNumber?: string;
  /** What the rep sent, when it was refused: shown again to correct, not typed again. */
  typed?: { invoiceNumber?: string; amount?: string; reason?: string };
  /** The refusal's translation key. */
  error?: string;
}) {
  const { t } = useTranslation("dunning");
  return (
    <section className="panel" aria-labelledby="write-off-title">
      <h2 id="write-off-title">{t("writeOffs.formTitle")}</h2>
      {error ? (
        <p className="field-error" role="alert">
          {t(error)}
        </p>
      ) : null}
      <Form method="post" action="/rep/collections/write-offs" className="stacked-form">
        <input type="hidden" name="intent" value="propose" />
        <input type="hidden" name="accountId" value={accountId} />
        <input type="hidden" name="returnTo" value={returnTo} />
        <label htmlFor="write-off-invoice">{t("writeOffs.invoice")}</label>
        <input id="write-off-invoice" name="invoiceNumber" defaultValue={typed?.invoiceNumber ?? invoiceNumber} required maxLength={40} />
        <label htmlFor="write-off-amount">{t("writeOffs.amount")}</label>
        <input id="write-off-amount" name="amount" inputMode="decimal" required maxLength={20} defaultValue={typed?.amount} />
        <label htmlFor="write-off-reason">{t("writeOffs.reason")}</label>
        <textarea id="write-off-reason" name="reason" required maxLength={500} rows={2} defaultValue={typed?.reason} />
        <button type="submit" className="button">
          {t("writeOffs.propose")}
        </button>
      </Form>
    </section>
  );
}
