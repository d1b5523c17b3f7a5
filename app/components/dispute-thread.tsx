import { useTranslation } from "react-i18next";
import { isOpen } from "../domain/disputes/dispute-schemas";
import type { DisputeView } from "../domain/disputes/dispute-queries.server";
import { useFormat } from "../i18n/format";

/** The dispute's conversation; internal notes only reach this component on the rep side. */
export function DisputeThread({ dispute, viewer }: { dispute: DisputeView; viewer: "customer" | "staff" }) {
  const { t } = useTranslation("disputes");
  const f = useFormat();
  return (
    <ol className="thread" data-testid="dispute-thread">
      {dispute.messages.map((m) => (
        <li key={m.id} className={m.internal ? "message internal" : "message"}>
          <p className="mail-meta">
            <strong>{viewer === "customer" ? (m.fromCustomer ? t("detail.you") : t("detail.rep")) : (m.author ?? t("detail.rep"))}</strong>
            {m.internal ? <span className="tag"> {t("rep.internal")}</span> : null} · {f.dateTime(m.createdAt)}
          </p>
          <p className="mail-body">{m.body}</p>
          {m.attachments.length ? (
            <ul>
              {m.attachments.map((a) => (
                <li key={a.id}>
                  <a href={`/disputes/${dispute.id}/attachments/${a.id}`}>{a.fileName}</a>
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

export function DisputeFacts({ dispute }: { dispute: DisputeView }) {
  const { t } = useTranslation("disputes");
  const f = useFormat();
  return (
    <dl className="facts">
      <dt>{t("detail.status")}</dt>
      <dd data-testid="dispute-status">{t(`status.${dispute.status}`)}</dd>
      <dt>{t("detail.reason")}</dt>
      <dd>{t(`reasons.${dispute.reason}`)}</dd>
      <dt>{t("detail.amount")}</dt>
      <dd>{f.money(dispute.amount)}</dd>
      <dt>{t("detail.opened")}</dt>
      <dd>{f.date(dispute.createdAt)}</dd>
      <dt>{t("detail.invoiceBalance")}</dt>
      <dd data-testid="dispute-invoice-balance">{f.money(dispute.invoice.balance)}</dd>
      {dispute.lines.length ? (
        <>
          <dt>{t("detail.lines")}</dt>
          <dd>
            <ul>
              {dispute.lines.map((l) => (
                <li key={l.lineNo}>
                  {l.lineNo}. {l.description} · {f.money(l.amount)}
                </li>
              ))}
            </ul>
          </dd>
        </>
      ) : null}
      {dispute.resolution && !isOpen(dispute.status) ? (
        <>
          <dt>{t("detail.resolution")}</dt>
          <dd data-testid="dispute-resolution">{dispute.resolution}</dd>
        </>
      ) : null}
      {dispute.memos
        .filter((m) => m.status === "POSTED")
        .map((m) => (
          <dd key={m.number}>
            {t("detail.creditMemo", { number: m.number, amount: f.money(m.amount) })}{" "}
            <a href={`/credit-memos/${m.id}/pdf`} download data-testid={`credit-memo-pdf-${m.number}`}>
              {t("detail.creditMemoPdf", { number: m.number })}
            </a>
          </dd>
        ))}
      {dispute.accountCredit ? (
        <>
          <dt>{t("detail.accountCredit")}</dt>
          <dd data-testid="dispute-account-credit">{t("detail.accountCreditText", { amount: f.money(dispute.accountCredit) })}</dd>
        </>
      ) : null}
    </dl>
  );
}
