import { useTranslation } from "react-i18next";
import { data, Link } from "react-router";
import { pageTitle } from "../i18n/meta";
import type { Route } from "./+types/_customer.payments.$paymentId";
import invoicesStyles from "../styles/invoices.css?url";
import { requireCustomer } from "../utils/authorize.server";
import { receiptForAccount } from "../domain/payments/receipt.server";
import { useFormat } from "../i18n/format";
import { Facts } from "../components/facts";
import { SandboxBadge } from "../components/sandbox-badge";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: invoicesStyles }];

export const meta: Route.MetaFunction = ({ matches, data }) => pageTitle(matches, "payments:receipt.title", data?.payment.number);

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireCustomer(request);
  const payment = await receiptForAccount(user.accountId, params.paymentId);
  if (!payment) throw data({ reason: "not_found" }, { status: 404 });
  return { payment };
}

export default function PaymentReceipt({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("payments");
  const f = useFormat();
  const { payment } = loaderData;
  return (
    <div className="page">
      <p>
        <Link to="/invoices">← {t("receipt.back")}</Link>
      </p>
      <div className="page-head">
        <h1>{t(payment.accountCredit ? "receipt.creditTitle" : "receipt.title", { reference: payment.number })}</h1>
        <span className={`status-pill status-${payment.status.toLowerCase()}`} data-testid="payment-status">
          {t(`status.${payment.status}`)}
        </span>
        <SandboxBadge sandbox={payment.sandbox} />
      </div>
      <div className={payment.status === "FAILED" ? "alert error" : "alert"} role="status" data-testid="payment-message">
        {payment.accountCredit
          ? t("receipt.fromMemo", { memo: payment.accountCredit.memoNumber, amount: f.money(payment.amount) })
          : payment.underReview && payment.status === "SUCCEEDED"
            ? t("receipt.flagged")
            : t(`receipt.${payment.status}`)}
      </div>
      {payment.heldAsCredit ? (
        <p className="alert" role="note" data-testid="payment-credit">
          {t(payment.allocations.length ? "receipt.creditPart" : "receipt.creditAll", { amount: f.money(payment.unapplied) })}
        </p>
      ) : null}
      {payment.status !== "PENDING" && payment.status !== "FAILED" && payment.status !== "EXPIRED" ? (
        <p>
          <a className="button secondary" href={`/payments/${payment.id}/pdf`} download>
            {t("receipt.pdf")}
          </a>
        </p>
      ) : null}
      {payment.status === "FAILED" ? (
        <p>
          <Link
            className="button"
            to={`/pay?${new URLSearchParams([["currency", payment.amount.currency], ...payment.intendedInvoiceIds.map((id) => ["invoice", id])])}`}
          >
            {t("receipt.tryAgain")}
          </Link>
        </p>
      ) : null}
      <section className="panel">
        <Facts
          items={[
            { term: t("receipt.amount"), value: f.money(payment.amount), testId: "payment-amount" },
            payment.receivedAt && { term: t("receipt.received"), value: f.dateTime(payment.receivedAt) },
            payment.unapplied.amountMinor > 0 && { term: t("receipt.unapplied"), value: f.money(payment.unapplied) },
            payment.refunded.amountMinor > 0 && { term: t("receipt.refunded"), value: f.money(payment.refunded) },
          ]}
        />
        {payment.allocations.length ? (
          <table className="data" data-testid="payment-allocations">
            <caption>{t("receipt.applied")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("receipt.invoice")}</th>
                <th scope="col" className="num">
                  {t("receipt.appliedAmount")}
                </th>
              </tr>
            </thead>
            <tbody>
              {payment.allocations.map((a, i) => (
                <tr key={`${a.invoiceId}-${i}`}>
                  <td>
                    <Link to={`/invoices/${a.invoiceId}`}>{a.number}</Link>
                  </td>
                  <td className="num">{f.money(a.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </div>
  );
}
