import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { pageTitle } from "../i18n/meta";
import type { Route } from "./+types/rep.payments._index";
import invoicesStyles from "../styles/invoices.css?url";
import { requireStaff } from "../utils/authorize.server";
import { reconciliationQueue } from "../domain/payments/reconciliation.server";
import { useFormat } from "../i18n/format";
import { SandboxBadge } from "../components/sandbox-badge";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: invoicesStyles }];

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "payments:rep.queueTitle");

export async function loader({ request }: Route.LoaderArgs) {
  await requireStaff(request);
  return { rows: await reconciliationQueue() };
}

export default function RepPayments({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("payments");
  const f = useFormat();
  return (
    <div className="page">
      <h1>{t("rep.queueTitle")}</h1>
      <p className="lead">{t("rep.queueLead")}</p>
      {loaderData.rows.length === 0 ? (
        <p className="note">{t("rep.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="reconciliation-queue">
            <thead>
              <tr>
                <th scope="col">{t("receipt.title", { reference: "" })}</th>
                <th scope="col">{t("rep.account")}</th>
                <th scope="col">{t("rep.received")}</th>
                <th scope="col" className="num">
                  {t("rep.amount")}
                </th>
                <th scope="col" className="num">
                  {t("rep.unapplied")}
                </th>
                <th scope="col">{t("rep.flag")}</th>
              </tr>
            </thead>
            <tbody>
              {loaderData.rows.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link to={`/rep/payments/${p.id}`}>{p.number}</Link> <SandboxBadge sandbox={p.sandbox} />
                  </th>
                  <td>{p.account.legalName}</td>
                  <td>{p.receivedAt ? f.dateTime(p.receivedAt) : ""}</td>
                  <td className="num">{f.money(p.amount)}</td>
                  <td className="num">{f.money(p.unapplied)}</td>
                  <td>{p.flaggedReason ? t(`rep.flags.${p.flaggedReason}`, { defaultValue: p.flaggedReason }) : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
