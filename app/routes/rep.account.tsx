import { useTranslation } from "react-i18next";
import { data, Link } from "react-router";
import type { Route } from "./+types/rep.account";
import { pageTitle } from "../i18n/meta";
import { AgingBars, ConversionNote, CreditFigures } from "../components/account-figures";
import { accountSummary } from "../domain/accounts/account-summary.server";
import { requireStaff } from "../utils/authorize.server";

export const meta: Route.MetaFunction = ({ matches, data }) => pageTitle(matches, "common:titles.repAccount", data?.summary.account.legalName);

export async function loader({ request, params }: Route.LoaderArgs) {
  await requireStaff(request);
  const summary = await accountSummary(params.accountId);
  if (!summary) throw data({ reason: "not_found" }, { status: 404 });
  return { summary };
}

export default function RepAccount({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation(["rep", "account"]);
  const { summary } = loaderData;
  return (
    <div className="page">
      <p>
        <Link to="/rep">← {t("rep:account.back")}</Link>
      </p>
      <div className="page-head">
        <div>
          <p className="eyebrow">{t("account:accountNumber", { number: summary.account.number })}</p>
          <h1>{summary.account.legalName}</h1>
        </div>
        <span className={`status-pill status-${summary.account.status.toLowerCase()}`}>{t(`account:status.${summary.account.status}`)}</span>
      </div>
      <CreditFigures summary={summary} />
      <ConversionNote summary={summary} />
      <section className="panel" aria-labelledby="aging-title">
        <h2 id="aging-title">{t("account:aging.title")}</h2>
        <AgingBars summary={summary} />
      </section>
    </div>
  );
}
