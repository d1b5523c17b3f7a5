import { useTranslation } from "react-i18next";
import { data, redirect } from "react-router";
import { CreditHoldNotice } from "../components/collections/credit-hold-notice";
import { FinalDemandNotice } from "../components/collections/final-demand-notice";
import { lettersOfAccount } from "../domain/collections/final-demand.server";
import type { Route } from "./+types/_customer.account";
import { pageTitle } from "../i18n/meta";
import { AgingBars, ConversionNote, CreditFigures } from "../components/account-figures";
import { customerAccountSummary } from "../domain/accounts/account-summary.server";
import { requireCustomer } from "../utils/authorize.server";
import { useFormat } from "../i18n/format";
import { Facts } from "../components/facts";
import { ChangeReportForm } from "../components/my-day/change-report-form";
import { changeReportsOf, reportAccountChange } from "../domain/watch/signals.server";
import { readForm } from "../utils/form-body.server";
import { formValues } from "../utils/forms";

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.account");

export async function loader({ request }: Route.LoaderArgs) {
  // The account is always the session's: nothing in the URL can point elsewhere.
  const user = await requireCustomer(request);
  const [summary, letters, reports] = await Promise.all([customerAccountSummary(user), lettersOfAccount(user.accountId), changeReportsOf(user.accountId)]);
  if (!summary) throw data({ reason: "not_found" }, { status: 404 });
  const reported = new URL(request.url).searchParams.get("reported") === "1";
  return { summary, letters, firstName: user.name.split(" ")[0], reports, reported };
}

/** The customer reports a change of legal name, address, tax id or ownership: a watch signal for their rep. */
export async function action({ request }: Route.ActionArgs) {
  const user = await requireCustomer(request);
  const form = await readForm(request);
  const result = await reportAccountChange(user, form);
  if (!result.ok) return data({ errors: result.errors, typed: formValues(form) }, { status: 400 });
  throw redirect("/account?reported=1#report-change", { status: 303 });
}

export default function AccountHome({ loaderData, actionData }: Route.ComponentProps) {
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
      <CreditHoldNotice account={summary.account} audience="customer" />
      <FinalDemandNotice letters={loaderData.letters} />
      <CreditFigures summary={summary} />
      <ConversionNote summary={summary} />
      <div className="grid-2">
        <section className="panel" aria-labelledby="aging-title">
          <h2 id="aging-title">{t("aging.title")}</h2>
          <AgingBars summary={summary} />
        </section>
        <section className="panel" aria-labelledby="terms-title">
          <h2 id="terms-title">{t("terms.title")}</h2>
          <Facts
            items={[
              { term: t("terms.paymentTerms"), value: t("terms.netDays", { count: summary.account.paymentTermsDays }) },
              { term: t("terms.currency"), value: summary.account.currency },
              { term: t("figures.exposure"), value: f.money(summary.exposure) },
              { term: t("figures.openOrders"), value: f.money(summary.openOrders) },
              { term: t("figures.heldOrders"), value: f.number(summary.heldOrderCount) },
              { term: t("figures.openInvoices"), value: f.number(summary.openInvoiceCount) },
              { term: t("figures.unapplied"), value: f.money(summary.unapplied), testId: "fact-unapplied" },
              summary.accountCredit.amountMinor > 0 && {
                term: t("figures.accountCredit"),
                value: f.money(summary.accountCredit),
                testId: "fact-account-credit",
              },
              {
                term: t(summary.accountCredit.amountMinor > 0 ? "figures.balanceWithCredit" : "figures.balance"),
                value: f.money(summary.balance),
                testId: "fact-balance",
              },
            ]}
          />
        </section>
      </div>
      <ChangeReportForm reports={loaderData.reports} saved={loaderData.reported} errors={actionData?.errors ?? {}} typed={actionData?.typed ?? null} />
    </div>
  );
}
