import { data } from "react-router";
import type { Route } from "./+types/rep.accounts.$accountId";
import { pageTitle } from "../i18n/meta";
import { Account360 } from "../components/account-360/account-360";
import { requireStaff } from "../utils/authorize.server";
import { account360, tabFrom } from "../domain/collections/account-360.server";
import { noticeFrom } from "../domain/collections/notices";
import { filterQuery, filtersFrom } from "../domain/collections/worklist.server";
import { amountExample } from "../domain/money/amount-input";
import { resolveReader } from "../i18n/i18n.server";
import { accountDeliveryOverview } from "../domain/invoice-delivery/delivery-ledger.server";
import { accountSignals } from "../domain/watch/signals.server";
import { WatchSignalsPanel } from "../components/my-day/watch-signals";

export const meta: Route.MetaFunction = ({ matches, data }) => pageTitle(matches, "common:titles.repAccount", data?.view.summary.account.legalName);

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireStaff(request);
  const url = new URL(request.url);
  const view = await account360(params.accountId, tabFrom(url.searchParams.get("tab")), url.searchParams);
  if (!view) throw data({ reason: "not_found" }, { status: 404 });
  const { locale } = await resolveReader(request, user);
  const filters = filterQuery(filtersFrom(url.searchParams));
  const nextHref =
    url.searchParams.get("from") === "worklist" ? `/rep/collections/next?after=${encodeURIComponent(params.accountId)}${filters ? `&${filters}` : ""}` : null;
  const delivery = await accountDeliveryOverview(params.accountId);
  const signal = url.searchParams.get("signal");
  const signals = {
    list: await accountSignals(params.accountId),
    outcome: signal === "reviewed" || signal === "gone" ? (signal as "reviewed" | "gone") : null,
  };
  return { signals, view, delivery, requestKey: crypto.randomUUID(), amountExample: amountExample(locale), notice: noticeFrom(url.searchParams), nextHref };
}

export default function RepAccount({ loaderData, params }: Route.ComponentProps) {
  return (
    <Account360
      view={loaderData.view}
      delivery={loaderData.delivery}
      context={{
        accountId: params.accountId,
        requestKey: loaderData.requestKey,
        amountExample: loaderData.amountExample,
        errors: loaderData.notice.field && loaderData.notice.error ? { [loaderData.notice.field]: loaderData.notice.error } : null,
      }}
      notice={loaderData.notice}
      nextHref={loaderData.nextHref}
      signals={<WatchSignalsPanel accountId={params.accountId} signals={loaderData.signals.list} outcome={loaderData.signals.outcome} />}
    />
  );
}
