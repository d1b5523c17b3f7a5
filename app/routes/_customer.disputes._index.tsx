import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { pageTitle } from "../i18n/meta";
import type { Route } from "./+types/_customer.disputes._index";
import invoicesStyles from "../styles/invoices.css?url";
import { requireCustomer } from "../utils/authorize.server";
import { disputesOfAccount } from "../domain/disputes/dispute-queries.server";
import { useFormat } from "../i18n/format";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: invoicesStyles }];

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "disputes:list.title");

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireCustomer(request);
  return { disputes: await disputesOfAccount(user.accountId) };
}

export default function Disputes({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("disputes");
  const f = useFormat();
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{t("list.title")}</h1>
          <p className="lead">{t("list.lead")}</p>
        </div>
        <Link className="button" to="/invoices?status=open">
          {t("list.open")}
        </Link>
      </div>
      {loaderData.disputes.length === 0 ? (
        <p className="note">{t("list.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("list.number")}</th>
                <th scope="col">{t("list.invoice")}</th>
                <th scope="col">{t("list.reason")}</th>
                <th scope="col" className="num">
                  {t("list.amount")}
                </th>
                <th scope="col">{t("list.status")}</th>
                <th scope="col">{t("list.opened")}</th>
              </tr>
            </thead>
            <tbody>
              {loaderData.disputes.map((d) => (
                <tr key={d.id}>
                  <th scope="row">
                    <Link to={`/disputes/${d.id}`}>{d.number}</Link>
                  </th>
                  <td>
                    <Link to={`/invoices/${d.invoice.id}`}>{d.invoice.number}</Link>
                  </td>
                  <td>{t(`reasons.${d.reason}`)}</td>
                  <td className="num">{f.money(d.amount)}</td>
                  <td>{t(`status.${d.status}`)}</td>
                  <td>{f.date(d.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
