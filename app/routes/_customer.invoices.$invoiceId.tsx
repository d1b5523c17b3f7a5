import { useTranslation } from "react-i18next";
import { data, Link } from "react-router";
import { pageTitle } from "../i18n/meta";
import type { Route } from "./+types/_customer.invoices.$invoiceId";
import invoicesStyles from "../styles/invoices.css?url";
import { requireCustomer } from "../utils/authorize.server";
import { invoiceForAccount } from "../domain/invoices/invoice-detail.server";
import { useFormat } from "../i18n/format";
import { Facts } from "../components/facts";
import { SandboxBadge } from "../components/sandbox-badge";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: invoicesStyles }];

export const meta: Route.MetaFunction = ({ matches, data }) => pageTitle(matches, "invoices:title", data?.invoice.number);

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireCustomer(request);
  // Looked up together with the session's account: another account's id is "not found".
  const invoice = await invoiceForAccount(user.accountId, params.invoiceId);
  if (!invoice) throw data({ reason: "not_found" }, { status: 404 });
  return { invoice };
}

export default function InvoiceDetailPage({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("invoices");
  const f = useFormat();
  const { invoice } = loaderData;
  const payable = (invoice.status === "OPEN" || invoice.status === "PARTIALLY_PAID") && invoice.balance.amountMinor > 0;
  return (
    <div className="page">
      <p>
        <Link to="/invoices">← {t("detail.back")}</Link>
      </p>
      <div className="page-head">
        <div>
          <p className="eyebrow">{invoice.account.legalName}</p>
          <h1>{t("detail.title", { number: invoice.number })}</h1>
        </div>
        <span className={`status-pill status-${invoice.status.toLowerCase()}`} data-testid="invoice-status">
          {t(`status.${invoice.status}`)}
        </span>
      </div>
      <section className="panel">
        <Facts
          items={[
            { term: t("detail.po"), value: invoice.poNumber ?? "—" },
            invoice.orderNumber && { term: t("detail.order"), value: invoice.orderNumber },
            { term: t("detail.issued"), value: f.date(invoice.issuedOn) },
            { term: t("detail.due"), value: f.date(invoice.dueOn) },
            { term: t("detail.daysPastDue"), value: f.number(invoice.daysPastDue), testId: "invoice-days-past-due" },
            { term: t("detail.total"), value: f.money(invoice.total) },
            { term: t("detail.paid"), value: f.money(invoice.paid) },
            { term: t("detail.balance"), value: f.money(invoice.balance), testId: "invoice-balance" },
          ]}
        />
        {payable ? (
          <p>
            <Link className="button" to={`/pay?currency=${invoice.currency}&invoice=${invoice.id}`}>
              {t("detail.payThis")}
            </Link>{" "}
            <Link className="button secondary" to={`/disputes/new?invoice=${invoice.id}`}>
              {t("detail.disputeThis")}
            </Link>
          </p>
        ) : invoice.status === "PAID" ? (
          <p>
            <Link className="button secondary" to={`/disputes/new?invoice=${invoice.id}`}>
              {t("detail.disputeThis")}
            </Link>
          </p>
        ) : null}
        <p>
          <a href={`/invoices/${invoice.id}/pdf`} download>
            {t("detail.pdf")}
          </a>
        </p>
      </section>

      <section className="panel" aria-labelledby="lines-title">
        <h2 id="lines-title">{t("detail.lines")}</h2>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("detail.line.no")}</th>
                <th scope="col">{t("detail.line.sku")}</th>
                <th scope="col">{t("detail.line.description")}</th>
                <th scope="col" className="num">
                  {t("detail.line.quantity")}
                </th>
                <th scope="col" className="num">
                  {t("detail.line.unitPrice")}
                </th>
                <th scope="col" className="num">
                  {t("detail.line.amount")}
                </th>
              </tr>
            </thead>
            <tbody>
              {invoice.lines.map((line) => (
                <tr key={line.id}>
                  <td>{line.lineNo}</td>
                  <td>{line.sku}</td>
                  <td>{line.description}</td>
                  <td className="num">{f.number(line.quantity)}</td>
                  <td className="num">{f.money(line.unitPrice)}</td>
                  <td className="num">{f.money(line.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <div className="grid-2">
        <section className="panel" aria-labelledby="payments-title">
          <h2 id="payments-title">{t("detail.payments")}</h2>
          {invoice.payments.length === 0 ? (
            <p className="note">{t("detail.noPayments")}</p>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("detail.paymentDate")}</th>
                  <th scope="col" className="num">
                    {t("detail.paymentAmount")}
                  </th>
                  <th scope="col">{t("detail.receipt")}</th>
                </tr>
              </thead>
              <tbody>
                {invoice.payments.map((p, i) => (
                  <tr key={`${p.paymentId}-${i}`}>
                    <td>{p.receivedAt ? f.date(p.receivedAt) : t("detail.notYet")}</td>
                    <td className="num">{f.money(p.amount)}</td>
                    <td>
                      <Link to={`/payments/${p.paymentId}`}>{t("detail.receipt")}</Link> <SandboxBadge sandbox={p.sandbox} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="panel" aria-labelledby="disputes-title">
          <h2 id="disputes-title">{t("detail.disputes")}</h2>
          {invoice.disputes.some((d) => d.open) ? <p className="note">{t("detail.disputedNote")}</p> : null}
          {invoice.disputes.length === 0 ? (
            <p className="note">{t("detail.noDisputes")}</p>
          ) : (
            <ul data-testid="invoice-disputes">
              {invoice.disputes.map((d) => (
                <li key={d.id}>
                  <Link to={`/disputes/${d.id}`}>{d.number}</Link> · {t(`disputeReason.${d.reason}`)} · {f.money(d.amount)} · {t(`disputeStatus.${d.status}`)}
                </li>
              ))}
            </ul>
          )}
          {invoice.adjustments.length ? (
            <>
              <h3>{t("detail.adjustments")}</h3>
              <ul>
                {invoice.adjustments.map((a) => (
                  <li key={a.number}>
                    {a.kind === "CREDIT_MEMO" ? (
                      <a href={`/credit-memos/${a.id}/pdf`} download data-testid={`credit-memo-pdf-${a.number}`}>
                        {t("creditMemo.pdf", { number: a.number })}
                      </a>
                    ) : (
                      a.number
                    )}{" "}
                    · {f.money(a.amount)}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      </div>
    </div>
  );
}
