import { CreditHoldNotice } from "../collections/credit-hold-notice";
import { WriteOffForm } from "../collections/write-off-form";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Account360 as View } from "../../domain/collections/account-360.server";
import { ACCOUNT_TABS } from "../../domain/collections/codes";
import { FormAlerts } from "../form-alerts";
import { AccountHeader } from "./account-header";
import { DeliveryPanel, type DeliveryOverview } from "../invoice-delivery/delivery-panel";
import { TabPanel, type PanelContext } from "./tab-panels";

/**
 * The account 360: header, aging, and one tab at a time. Tabs are links (`?tab=`), so the
 * page works without JavaScript and a tab can be bookmarked or sent to a colleague.
 * Coming from the worklist, the "next account" link keeps the worklist's filters.
 */
export function Account360({
  view,
  delivery,
  context,
  notice,
  nextHref,
  signals,
}: {
  view: View;
  delivery: DeliveryOverview;
  context: Omit<PanelContext, "today" | "maxDaysAhead">;
  notice: { saved: string | null; error: string | null };
  nextHref: string | null;
  /** The account's watch signals panel, shown above the tabs. */
  signals?: React.ReactNode;
}) {
  const { t } = useTranslation(["collections", "account", "rep"]);
  const { summary } = view;
  return (
    <div className="page account-360">
      <p>
        <Link to="/rep">← {t("rep:account.back")}</Link> · <Link to="/rep/collections">{t("collections:account.backToWorklist")}</Link>
        {nextHref ? (
          <>
            {" "}
            ·{" "}
            <Link to={nextHref} className="button" data-testid="next-account">
              {t("collections:worklist.nextAccount")}
            </Link>
          </>
        ) : null}
      </p>
      <div className="page-head">
        <div>
          <p className="eyebrow">{t("account:accountNumber", { number: summary.account.number })}</p>
          <h1>{summary.account.legalName}</h1>
        </div>
        <span className={`status-pill status-${summary.account.status.toLowerCase()}`}>{t(`account:status.${summary.account.status}`)}</span>
      </div>
      <CreditHoldNotice account={summary.account} audience="rep" />
      <AccountHeader view={view} delivery={delivery} />
      {signals}
      <nav className="tabs" aria-label={t("collections:account.tabsLabel")}>
        {ACCOUNT_TABS.map((tab) => (
          <Link
            key={tab}
            to={`?tab=${tab}`}
            className={`tab ${view.data.tab === tab ? "active" : ""}`}
            aria-current={view.data.tab === tab ? "page" : undefined}
          >
            {t(`collections:account.tabs.${tab}`)}
          </Link>
        ))}
      </nav>
      <section className="panel" aria-labelledby="tab-title">
        <h2 id="tab-title">{t(`collections:account.tabs.${view.data.tab}`)}</h2>
        <FormAlerts
          success={notice.saved ? t(notice.saved) : null}
          error={notice.error ? t(notice.error) : null}
          testIds={{ success: "saved", error: "form-error" }}
        />
        <TabPanel data={view.data} context={{ ...context, today: view.today, maxDaysAhead: view.promiseMaxDaysAhead }} />
      </section>
      <DeliveryPanel
        accountId={summary.account.id}
        overview={delivery}
        errors={notice.error?.startsWith("delivery:") ? (context.errors ?? { form: notice.error }) : null}
      />
      <WriteOffForm accountId={summary.account.id} returnTo={`/rep/accounts/${summary.account.id}`} />
    </div>
  );
}
