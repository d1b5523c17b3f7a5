import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "../../routes/+types/_customer.credit";
import { useFormat } from "../../i18n/format";
import { ReleaseConditionText } from "../release-condition";

/** The account's orders on credit hold, each with what clears it. */
export function HeldOrders({ held }: { held: Route.ComponentProps["loaderData"]["held"] }) {
  const { t } = useTranslation("credit");
  const f = useFormat();
  return (
    <section className="panel" aria-labelledby="held-title">
      <h2 id="held-title">{t("held.title")}</h2>
      {held.length === 0 ? (
        <p>{t("held.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("held.order")}</th>
                <th scope="col" className="num">
                  {t("held.amount")}
                </th>
                <th scope="col">{t("held.reason")}</th>
                <th scope="col">{t("held.clears")}</th>
              </tr>
            </thead>
            <tbody>
              {held.map((o) => (
                <tr key={o.id} data-testid={`held-${o.number}`}>
                  <td>{o.number}</td>
                  <td className="num">{f.money(o.amount)}</td>
                  <td>{t(`holdReason.${o.reason ?? "OVER_LIMIT"}`)}</td>
                  <td>
                    <ReleaseConditionText condition={o.clears} />
                    {o.clears.kind === "pay_past_due" || o.clears.kind === "pay_to_fit" || (o.clears.kind === "rep_lifts_hold" && o.clears.pastDue) ? (
                      <>
                        {" "}
                        <Link to={o.clears.kind === "pay_to_fit" ? "/pay" : "/pay?select=past_due"} className="button small-dark">
                          {t("held.pay")}
                        </Link>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
