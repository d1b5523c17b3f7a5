import { useTranslation } from "react-i18next";
import { Form, Link } from "react-router";
import type { Route } from "./+types/rep.credit._index";
import { pageTitle } from "../i18n/meta";
import { requireStaff } from "../utils/authorize.server";
import { reviewQueue } from "../domain/credit/review-queue.server";
import { useFormat } from "../i18n/format";

import creditStyles from "../styles/credit.css?url";
import { SelectField } from "../components/field";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: creditStyles }];

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.creditQueue");

const STATUSES = ["SUBMITTED", "IN_REVIEW", "ESCALATED", "INFO_REQUESTED", "COUNTER_OFFERED"] as const;

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireStaff(request);
  const url = new URL(request.url);
  const status = url.searchParams.get("status") ?? "";
  const language = url.searchParams.get("language") ?? "";
  const queue = await reviewQueue(user, { status, language });
  // Work this rep can act on first (oldest first within it); escalations above their level after.
  const items = [...queue.items.filter((i) => i.forMe), ...queue.items.filter((i) => !i.forMe)];
  return { slaHours: queue.slaHours, items, filter: { status, language } };
}

export default function RepCreditQueue({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("credit");
  const f = useFormat();
  const { items, filter } = loaderData;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <p className="eyebrow">{t("queue.eyebrow", { hours: loaderData.slaHours })}</p>
          <h1>{t("queue.title")}</h1>
        </div>
        <Link to="/rep/credit/held-orders" className="button">
          {t("queue.heldOrders")}
        </Link>
      </div>
      <Form method="get" className="filters">
        <SelectField
          name="status"
          label={t("queue.filterStatus")}
          choose={t("queue.allOpen")}
          defaultValue={filter.status}
          options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        />
        <SelectField
          name="language"
          label={t("queue.filterLanguage")}
          choose={t("queue.allLanguages")}
          defaultValue={filter.language}
          options={[
            { value: "en", label: t("languages.en") },
            { value: "es", label: t("languages.es") },
          ]}
        />
        <button type="submit" className="button">
          {t("queue.filter")}
        </button>
      </Form>
      <section className="panel" aria-labelledby="queue-title">
        <h2 id="queue-title">{t("queue.listTitle", { count: items.length })}</h2>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("queue.number")}</th>
                <th scope="col">{t("queue.company")}</th>
                <th scope="col">{t("queue.status")}</th>
                <th scope="col">{t("queue.language")}</th>
                <th scope="col" className="num">
                  {t("queue.requested")}
                </th>
                <th scope="col" className="num">
                  {t("queue.score")}
                </th>
                <th scope="col">{t("queue.age")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id} data-testid={`queue-${i.number}`}>
                  <td>
                    <Link to={`/rep/credit/applications/${i.id}`}>{i.number}</Link>
                  </td>
                  <td>{i.company}</td>
                  <td>
                    {t(`status.${i.status}`)}
                    {i.escalatedToLevel ? ` · ${t("queue.needs", { level: t(`levels.${i.escalatedToLevel}`) })}` : ""}
                    {i.waitingForMyLevel ? (
                      <>
                        {" "}
                        <span className="tag" data-testid={`waiting-${i.number}`}>
                          {t("queue.waitingForYou")}
                        </span>
                      </>
                    ) : null}
                  </td>
                  <td>{t(`languages.${i.language === "es" ? "es" : "en"}`)}</td>
                  <td className="num">{f.money(i.requested)}</td>
                  <td className="num">{i.score ?? "—"}</td>
                  <td className={i.overdue ? "bad" : undefined}>
                    {i.overdue ? t("queue.overdue", { hours: i.ageHours }) : t("queue.ageHours", { hours: i.ageHours })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
