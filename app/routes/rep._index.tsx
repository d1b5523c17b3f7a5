import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/rep._index";
import { pageTitle } from "../i18n/meta";
import { requireStaff } from "../utils/authorize.server";
import { repWorkCounts } from "../domain/staff/work-counts.server";
import { accountDirectory } from "../domain/accounts/account-directory.server";
import { useFormat } from "../i18n/format";

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.rep");

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireStaff(request);
  const [counts, accounts] = await Promise.all([repWorkCounts(), accountDirectory(user.id)]);
  return {
    counts,
    me: { name: user.name, level: user.staffLevel, languages: user.languages },
    accounts,
  };
}

export default function RepHome({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("rep");
  const f = useFormat();
  const { counts, me } = loaderData;
  const tiles = [
    { id: "applicationsToReview", value: counts.applicationsToReview },
    { id: "heldOrders", value: counts.heldOrders },
    { id: "openDisputes", value: counts.openDisputes },
    { id: "pastDueAccounts", value: counts.pastDueAccounts },
    { id: "queuedChats", value: counts.queuedChats },
  ] as const;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <p className="eyebrow">
            {t(`levels.${me.level ?? "REP_I"}`)} · {me.languages.map((l) => t(`languages.${l}`)).join(", ")}
          </p>
          <h1>{t("home.title", { name: me.name.split(" ")[0] })}</h1>
        </div>
      </div>
      <section aria-labelledby="work-title">
        <h2 id="work-title">{t("home.openWork")}</h2>
        <div className="figures" role="list">
          {tiles.map((tile) => (
            <div key={tile.id} className="figure" role="listitem" data-testid={`count-${tile.id}`}>
              <span className="figure-label">{t(`counts.${tile.id}`)}</span>
              <span className="figure-value">{f.number(tile.value)}</span>
            </div>
          ))}
        </div>
      </section>
      <section className="panel" aria-labelledby="accounts-title">
        <h2 id="accounts-title">{t("home.accounts")}</h2>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("accounts.number")}</th>
                <th scope="col">{t("accounts.name")}</th>
                <th scope="col">{t("accounts.status")}</th>
                <th scope="col" className="num">
                  {t("accounts.limit")}
                </th>
              </tr>
            </thead>
            <tbody>
              {loaderData.accounts.map((account) => (
                <tr key={account.id}>
                  <td>{account.number}</td>
                  <td>
                    <Link to={`/rep/accounts/${account.id}`}>{account.legalName}</Link>
                    {account.mine ? <span className="tag">{t("accounts.mine")}</span> : null}
                  </td>
                  <td>{t(`account:status.${account.status}`)}</td>
                  <td className="num">{f.money(account.creditLimit)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
