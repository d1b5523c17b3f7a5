import { useTranslation } from "react-i18next";
import { data, Form, Link, useSearchParams } from "react-router";
import { pageTitle } from "../i18n/meta";
import type { Route } from "./+types/_customer.invoices._index";
import invoicesStyles from "../styles/invoices.css?url";
import { AgingBars } from "../components/account-figures";
import { customerAccountSummary } from "../domain/accounts/account-summary.server";
import { requireCustomer } from "../utils/authorize.server";
import { listInvoices, parseInvoiceListQuery } from "../domain/invoices/invoice-list.server";
import { INVOICE_FILTER_STATUSES, INVOICE_SORTS } from "../domain/invoices/invoice-query";
import { SUPPORTED_CURRENCIES } from "../domain/money/money";
import { useRowLinks } from "../components/row-links";
import { invoiceRowsMarkup } from "../components/invoice-rows";
import { useFormat } from "../i18n/format";
import { Field, SelectField } from "../components/field";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: invoicesStyles }];

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "invoices:title");

export async function loader({ request }: Route.LoaderArgs) {
  // The account is the session's; filters come from the query string and are validated.
  const user = await requireCustomer(request);
  const query = parseInvoiceListQuery(new URL(request.url).searchParams);
  const [list, summary] = await Promise.all([listInvoices(user.account, query), customerAccountSummary(user)]);
  if (!summary) throw data({ reason: "not_found" }, { status: 404 });
  // Only what the page shows: the rest of the summary would be serialized into every list page for nothing.
  const { aging, disputed, asOf } = summary;
  return { list, query, legalName: summary.account.legalName, agingFigures: { aging, disputed, asOf } };
}

export default function Invoices({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation(["invoices", "account"]);
  const f = useFormat();
  const followRowLink = useRowLinks();
  const { list, query, legalName, agingFigures } = loaderData;
  const [params] = useSearchParams();
  const pageLink = (page: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(page));
    return `?${next.toString()}`;
  };
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <p className="eyebrow">{legalName}</p>
          <h1>{t("title")}</h1>
          <p className="lead">{t("lead")}</p>
        </div>
        <p className="actions">
          <Link className="button" to="/pay">
            {t("pay")}
          </Link>{" "}
          <Link to="/disputes">{t("disputesLink")}</Link> <Link to="/statement">{t("statement.link")}</Link>
        </p>
      </div>

      <section className="panel" aria-labelledby="filters-title">
        <h2 id="filters-title" className="visually-hidden">
          {t("filters.label")}
        </h2>
        <Form method="get" className="filters" role="search">
          <Field name="q" label={t("filters.q")} type="search" defaultValue={query.q ?? ""} />
          <SelectField
            name="status"
            label={t("filters.status")}
            choose={t("filters.any")}
            defaultValue={query.status ?? ""}
            options={INVOICE_FILTER_STATUSES.map((s) => ({ value: s, label: t(`statusFilter.${s}`) }))}
          />
          <SelectField
            name="currency"
            label={t("filters.currency")}
            choose={t("filters.anyCurrency")}
            defaultValue={query.currency ?? ""}
            options={SUPPORTED_CURRENCIES.map((c) => ({ value: c, label: c }))}
          />
          <Field name="from" label={t("filters.from")} type="date" defaultValue={query.from ?? ""} />
          <Field name="to" label={t("filters.to")} type="date" defaultValue={query.to ?? ""} />
          <SelectField
            name="sort"
            label={t("filters.sort")}
            choose={false}
            defaultValue={query.sort}
            options={INVOICE_SORTS.map((s) => ({ value: s, label: t(`sorts.${s}`) }))}
          />
          <SelectField
            name="dir"
            label={t("filters.dir")}
            choose={false}
            defaultValue={query.dir}
            options={[
              { value: "desc", label: t("filters.desc") },
              { value: "asc", label: t("filters.asc") },
            ]}
          />
          <div className="actions">
            <button type="submit" className="button">
              {t("filters.apply")}
            </button>
            <Link to="/invoices">{t("filters.clear")}</Link>
          </div>
        </Form>
      </section>

      <p role="status" data-testid="invoice-count">
        {t("count", { count: list.total, formattedCount: f.number(list.total) })}
      </p>
      {list.rows.length === 0 ? (
        <p className="note">{t("empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="invoice-table" onClick={followRowLink}>
            <thead>
              <tr>
                <th scope="col">{t("columns.number")}</th>
                <th scope="col">{t("columns.po")}</th>
                <th scope="col">{t("columns.issued")}</th>
                <th scope="col">{t("columns.due")}</th>
                <th scope="col" className="num">
                  {t("columns.total")}
                </th>
                <th scope="col" className="num">
                  {t("columns.balance")}
                </th>
                <th scope="col">{t("columns.status")}</th>
                <th scope="col" className="num">
                  {t("columns.daysPastDue")}
                </th>
              </tr>
            </thead>
            <tbody
              dangerouslySetInnerHTML={{
                __html: invoiceRowsMarkup(list.rows, {
                  money: f.money,
                  date: f.date,
                  number: f.number,
                  status: (status) => t(`status.${status}`),
                  disputedTag: t("disputedTag"),
                }).html,
              }}
            />
          </table>
        </div>
      )}
      <nav aria-label={t("pagination")} className="pagination">
        {list.page > 1 ? <Link to={pageLink(list.page - 1)}>← {t("previous")}</Link> : null}
        <span>{t("page", { page: f.number(list.page), pages: f.number(list.pageCount) })}</span>
        {list.page < list.pageCount ? <Link to={pageLink(list.page + 1)}>{t("next")} →</Link> : null}
      </nav>

      <div className="grid-2">
        <section className="panel" aria-labelledby="totals-title">
          <h2 id="totals-title">{t("totals.title")}</h2>
          <table className="data" data-testid="invoice-totals">
            <thead>
              <tr>
                <th scope="col">{t("totals.currency")}</th>
                <th scope="col" className="num">
                  {t("totals.count")}
                </th>
                <th scope="col" className="num">
                  {t("totals.total")}
                </th>
                <th scope="col" className="num">
                  {t("totals.balance")}
                </th>
                {query.status === "pastDue" ? (
                  <th scope="col" className="num">
                    {t("totals.pastDue")}
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {list.totals.map((row) => (
                <tr key={row.currency}>
                  <th scope="row">{row.currency}</th>
                  <td className="num">{f.number(row.count)}</td>
                  <td className="num">{f.money(row.total)}</td>
                  <td className="num">{f.money(row.balance)}</td>
                  {row.pastDue ? (
                    <td className="num" data-testid={`past-due-${row.currency}`}>
                      {f.money(row.pastDue)}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel" aria-labelledby="aging-title">
          <h2 id="aging-title">{t("agingTitle")}</h2>
          <AgingBars summary={agingFigures} />
        </section>
      </div>
    </div>
  );
}
