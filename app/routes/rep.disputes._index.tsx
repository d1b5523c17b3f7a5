import { useTranslation } from "react-i18next";
import { Form, Link } from "react-router";
import { z } from "zod";
import { pageTitle } from "../i18n/meta";
import type { Route } from "./+types/rep.disputes._index";
import invoicesStyles from "../styles/invoices.css?url";
import { requireStaff } from "../utils/authorize.server";
import { disputeQueue } from "../domain/disputes/dispute-queries.server";
import { useFormat } from "../i18n/format";
import { SelectField } from "../components/field";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: invoicesStyles }];

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "disputes:rep.queueTitle");

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireStaff(request);
  const assigned = z
    .enum(["me", "unassigned"])
    .optional()
    .catch(undefined)
    .parse(new URL(request.url).searchParams.get("assigned") || undefined);
  return { rows: await disputeQueue({ assigned, repId: user.id }), assigned: assigned ?? "", now: Date.now() };
}

export default function RepDisputes({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation(["disputes", "payments"]);
  const f = useFormat();
  return (
    <div className="page">
      <h1>{t("rep.queueTitle")}</h1>
      <p className="lead">{t("rep.queueLead")}</p>
      <p>
        <Link to="/rep/payments">{t("payments:rep.queueTitle")}</Link>
      </p>
      <Form method="get" className="inline-form">
        <SelectField
          name="assigned"
          label={t("rep.assigned")}
          choose={t("rep.all")}
          defaultValue={loaderData.assigned}
          options={[
            { value: "me", label: t("rep.mine") },
            { value: "unassigned", label: t("rep.unassigned") },
          ]}
        />
        <button type="submit" className="button">
          {t("rep.show")}
        </button>
      </Form>
      {loaderData.rows.length === 0 ? (
        <p className="note">{t("rep.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="dispute-queue">
            <thead>
              <tr>
                <th scope="col">{t("list.number")}</th>
                <th scope="col">{t("rep.account")}</th>
                <th scope="col">{t("list.invoice")}</th>
                <th scope="col">{t("rep.age")}</th>
                <th scope="col" className="num">
                  {t("list.amount")}
                </th>
                <th scope="col">{t("list.reason")}</th>
                <th scope="col">{t("rep.language")}</th>
                <th scope="col">{t("list.status")}</th>
                <th scope="col">{t("rep.assigned")}</th>
              </tr>
            </thead>
            <tbody>
              {loaderData.rows.map((d) => (
                <tr key={d.id} data-testid={`queue-${d.number}`}>
                  <th scope="row">
                    <Link to={`/rep/disputes/${d.id}`}>{d.number}</Link>
                  </th>
                  <td>{d.account.legalName}</td>
                  <td>{d.invoiceNumber}</td>
                  <td>{t("rep.ageDays", { count: Math.floor((loaderData.now - Date.parse(d.createdAt)) / 86_400_000) })}</td>
                  <td className="num">{f.money(d.amount)}</td>
                  <td>{t(`reasons.${d.reason}`)}</td>
                  <td>{d.language.toUpperCase()}</td>
                  <td>{t(`status.${d.status}`)}</td>
                  <td>{d.assignedTo ?? t("rep.nobody")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
