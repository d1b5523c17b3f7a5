import { useTranslation } from "react-i18next";
import { Form } from "react-router";
import { pageTitle } from "../i18n/meta";
import type { Route } from "./+types/_customer.statement";
import invoicesStyles from "../styles/invoices.css?url";
import { requireCustomer } from "../utils/authorize.server";
import { statementFor, statementRange } from "../domain/invoices/statement.server";
import { useFormat } from "../i18n/format";
import { AGING_BUCKETS } from "../domain/accounts/aging";
import { Field } from "../components/field";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: invoicesStyles }];

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "invoices:statement.title");

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireCustomer(request);
  const range = statementRange(new URL(request.url).searchParams);
  return { range, statement: await statementFor(user.accountId, range) };
}

export default function StatementPage({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("invoices");
  const f = useFormat();
  const { range, statement } = loaderData;
  const qs = `from=${range.from}&to=${range.to}`;
  return (
    <div className="page">
      <h1>{t("statement.title")}</h1>
      <p className="lead">{t("statement.lead")}</p>
      <Form method="get" className="inline-form">
        <Field name="from" label={t("statement.from")} type="date" defaultValue={range.from} />
        <Field name="to" label={t("statement.to")} type="date" defaultValue={range.to} />
        <button type="submit" className="button">
          {t("filters.apply")}
        </button>
      </Form>
      <p className="actions">
        <a className="button" href={`/statement.pdf?${qs}`} download>
          {t("statement.pdf")}
        </a>
        <a className="button secondary" href={`/statement.csv?${qs}`} download>
          {t("statement.csvDownload")}
        </a>
      </p>
      <p>{t("statement.period", { from: f.date(range.from), to: f.date(range.to) })}</p>
      {statement.sections.map((s) => (
        <section key={s.currency} className="panel" aria-labelledby={`st-${s.currency}`}>
          <h2 id={`st-${s.currency}`}>{s.currency}</h2>
          <div className="statement-summary">
            <p className="due-now">
              {t("statement.dueNow")}: <strong data-testid={`due-now-${s.currency}`}>{f.money({ amountMinor: s.dueNowMinor, currency: s.currency })}</strong>
            </p>
            <table className="data" data-testid={`statement-aging-${s.currency}`}>
              <caption>{t("statement.aging.title", { date: f.date(range.to) })}</caption>
              <thead>
                <tr>
                  {AGING_BUCKETS.map((b) => (
                    <th key={b} scope="col" className="num">
                      {t(`statement.aging.${b}`)}
                    </th>
                  ))}
                  {s.inDisputeMinor > 0 ? (
                    <th scope="col" className="num">
                      {t("statement.aging.inDispute")}
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                <tr>
                  {AGING_BUCKETS.map((b) => (
                    <td key={b} className="num">
                      {f.money({ amountMinor: s.aging[b], currency: s.currency })}
                    </td>
                  ))}
                  {s.inDisputeMinor > 0 ? <td className="num">{f.money({ amountMinor: s.inDisputeMinor, currency: s.currency })}</td> : null}
                </tr>
              </tbody>
            </table>
          </div>
          <div className="table-wrap">
            <table className="data" data-testid={`statement-${s.currency}`}>
              <thead>
                <tr>
                  <th scope="col">{t("statement.csv.date")}</th>
                  <th scope="col">{t("statement.csv.type")}</th>
                  <th scope="col">{t("statement.csv.reference")}</th>
                  <th scope="col" className="num">
                    {t("statement.csv.debit")}
                  </th>
                  <th scope="col" className="num">
                    {t("statement.csv.credit")}
                  </th>
                  <th scope="col" className="num">
                    {t("statement.csv.balance")}
                  </th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <td>{f.date(range.from)}</td>
                  <td colSpan={4}>{t("statement.opening")}</td>
                  <td className="num">{f.money({ amountMinor: s.openingMinor, currency: s.currency })}</td>
                </tr>
                {s.lines.map((l, i) => (
                  <tr key={i}>
                    <td>{f.date(l.date)}</td>
                    <td>
                      {l.memoMinor !== undefined
                        ? t(`statement.kinds.${l.kind}`, { amount: f.money({ amountMinor: l.memoMinor, currency: s.currency }) })
                        : t(`statement.kinds.${l.kind}`)}
                    </td>
                    <td>{l.reference}</td>
                    <td className="num">{l.debitMinor ? f.money({ amountMinor: l.debitMinor, currency: s.currency }) : ""}</td>
                    <td className="num">{l.creditMinor ? f.money({ amountMinor: l.creditMinor, currency: s.currency }) : ""}</td>
                    <td className="num">{f.money({ amountMinor: l.balanceMinor, currency: s.currency })}</td>
                  </tr>
                ))}
                <tr>
                  <td>{f.date(range.to)}</td>
                  <th scope="row" colSpan={4}>
                    {t("statement.closing")}
                  </th>
                  <td className="num" data-testid={`closing-${s.currency}`}>
                    {f.money({ amountMinor: s.closingMinor, currency: s.currency })}
                  </td>
                </tr>
              </tbody>
            </table>
          </div>
          {s.unappliedMinor > 0 ? (
            <p className="note" data-testid={`unapplied-${s.currency}`}>
              {t("statement.unappliedNote", { amount: f.money({ amountMinor: s.unappliedMinor, currency: s.currency }) })}
            </p>
          ) : null}
          {s.accountCreditMinor > 0 ? (
            <p className="note" data-testid={`account-credit-${s.currency}`}>
              {t("statement.accountCreditNote", { amount: f.money({ amountMinor: s.accountCreditMinor, currency: s.currency }) })}
            </p>
          ) : null}
        </section>
      ))}
    </div>
  );
}
