import { useTranslation } from "react-i18next";
import { data } from "react-router";
import type { Route } from "./+types/account";
import { pageTitle } from "../i18n/meta";
import { AgingBars, ConversionNote, CreditFigures } from "../components/account-figures";
import { accountSummary } from "../domain/accounts/account-summary.server";
import { requireCustomer } from "../domain/auth/authorize.server";
import { useFormat } from "../i18n/format";

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.account");

export async function loader({ request }: Route.LoaderArgs) {
  // The account is always the session's: nothing in the URL can point elsewhere.
  const user = await requireCustomer(request);
  const summary = await accountSummary(user.accountId);
  if (!summary) throw data({ reason: "not_found" }, { status: 404 });
  return { summary, firstName: user.name.split(" ")[0] };
}

export default function AccountHome({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("account");
  const f = useFormat();
  const { summary } = loaderData;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <p className="eyebrow">
            {summary.account.legalName} · {t("accountNumber", { number: summary.account.number })}
          </p>
          <h1>{t("home.title", { name: loaderData.firstName })}</h1>
        </div>
        <span className={`status-pill status-${summary.account.status.toLowerCase()}`}>{t(`status.${summary.account.status}`)}</span>
      </div>
      {summary.account.status === "CREDIT_HOLD" ? (
        <div className="alert warn" role="status">
          {t("home.onHold")}
        </div>
      ) : null}
      <CreditFigures summary={summary} />
      <ConversionNote summary={summary} />
      <div className="grid-2">
        <section className="panel" aria-labelledby="aging-title">
          <h2 id="aging-title">{t("aging.title")}</h2>
          <AgingBars summary={summary} />
        </section>
        <section className="panel" aria-labelledby="terms-title">
          <h2 id="terms-title">{t("terms.title")}</h2>
          <dl className="facts">
            <dt>{t("terms.paymentTerms")}</dt>
            <dd>{t("terms.netDays", { count: summary.account.paymentTermsDays })}</dd>
            <dt>{t("terms.currency")}</dt>
            <dd>{summary.account.currency}</dd>
            <dt>{t("figures.exposure")}</dt>
            <dd>{f.money(summary.exposure)}</dd>
            <dt>{t("figures.openOrders")}</dt>
            <dd>{f.money(summary.openOrders)}</dd>
            <dt>{t("figures.heldOrders")}</dt>
            <dd>{f.number(summary.heldOrderCount)}</dd>
            <dt>{t("figures.openInvoices")}</dt>
            <dd>{f.number(summary.openInvoiceCount)}</dd>
            <dt>{t("figures.unapplied")}</dt>
            <dd data-testid="fact-unapplied">{f.money(summary.unapplied)}</dd>
            <dt>{t("figures.balance")}</dt>
            <dd data-testid="fact-balance">{f.money(summary.balance)}</dd>
          </dl>
        </section>
      </div>
    </div>
  );
}
