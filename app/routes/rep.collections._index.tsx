import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/rep.collections._index";
import { pageTitle } from "../i18n/meta";
import { requireStaff } from "../utils/authorize.server";
import { logContact } from "../domain/collections/contacts.server";
import { isoDay } from "../domain/collections/policy.server";
import { PAST_DUE_BUCKETS } from "../domain/collections/codes";
import { collectionsWorklist, filterQuery, filtersFrom, worklistCurrencies, worklistOwners } from "../domain/collections/worklist.server";
import { FormAlerts } from "../components/form-alerts";
import { WorklistTable } from "../components/account-360/worklist-table";
import { readForm } from "../utils/form-body.server";

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "collections:titles.worklist");

export async function loader({ request }: Route.LoaderArgs) {
  await requireStaff(request);
  const url = new URL(request.url);
  const filters = filtersFrom(url.searchParams);
  const [worklist, owners, currencies] = await Promise.all([collectionsWorklist(filters), worklistOwners(), worklistCurrencies()]);
  const saved = url.searchParams.get("saved");
  return {
    ...worklist,
    filters,
    query: filterQuery(filters),
    owners,
    currencies,
    today: isoDay(new Date()),
    savedFor: saved ? (worklist.rows.find((r) => r.accountId === saved)?.legalName ?? null) : null,
    done: url.searchParams.get("done") === "1",
  };
}

/** A contact logged from a worklist row; back to the same filtered list. */
export async function action({ request }: Route.ActionArgs) {
  const user = await requireStaff(request);
  const form = await readForm(request);
  const accountId = String(form.get("accountId") ?? "");
  if (form.get("intent") !== "contact" || !accountId)
    return data({ accountId, errors: { form: "collections:errors.checkFields" } as Record<string, string> }, { status: 400 });
  const result = await logContact({ accountId, repId: user.id, form });
  if (!result.ok) return data({ accountId, errors: result.errors }, { status: result.errors.form === "collections:errors.noAccount" ? 404 : 400 });
  const query = filterQuery(filtersFrom(new URL(request.url).searchParams));
  throw redirect(`/rep/collections?${query ? `${query}&` : ""}saved=${encodeURIComponent(accountId)}`, { status: 303 });
}

export default function Worklist({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("collections");
  const { filters } = loaderData;
  const startHref = `/rep/collections/next${loaderData.query ? `?${loaderData.query}` : ""}`;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{t("worklist.title")}</h1>
          <p className="note">{t("worklist.intro")}</p>
        </div>
        {loaderData.rows.length > 0 ? (
          <Link to={startHref} className="button primary" data-testid="start-worklist">
            {t("worklist.start")}
          </Link>
        ) : null}
      </div>
      <FormAlerts
        success={loaderData.savedFor ? t("worklist.saved", { account: loaderData.savedFor }) : loaderData.done ? t("worklist.done") : null}
        error={actionData?.errors ? t(Object.values(actionData.errors)[0] ?? "errors.checkFields") : null}
        testIds={{ success: "saved", error: "form-error" }}
      />
      <Form method="get" className="filters inline-form" aria-label={t("worklist.filters.legend")}>
        <label htmlFor="f-owner">{t("worklist.filters.owner")}</label>
        <select id="f-owner" name="owner" defaultValue={filters.owner ?? ""}>
          <option value="">{t("worklist.filters.any")}</option>
          {loaderData.owners.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
        <label htmlFor="f-language">{t("worklist.filters.language")}</label>
        <select id="f-language" name="language" defaultValue={filters.language ?? ""}>
          <option value="">{t("worklist.filters.any")}</option>
          <option value="en">{t("languages.en")}</option>
          <option value="es">{t("languages.es")}</option>
        </select>
        <label htmlFor="f-bucket">{t("worklist.filters.bucket")}</label>
        <select id="f-bucket" name="bucket" defaultValue={filters.bucket ?? ""}>
          <option value="">{t("worklist.filters.any")}</option>
          {PAST_DUE_BUCKETS.map((b) => (
            <option key={b} value={b}>
              {t(`buckets.${b}`)}
            </option>
          ))}
        </select>
        <label htmlFor="f-currency">{t("worklist.filters.currency")}</label>
        <select id="f-currency" name="currency" defaultValue={filters.currency ?? ""}>
          <option value="">{t("worklist.filters.any")}</option>
          {loaderData.currencies.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <button type="submit" className="button">
          {t("worklist.filters.apply")}
        </button>{" "}
        <Link to="/rep/collections">{t("worklist.filters.clear")}</Link>
      </Form>
      <p className="note" data-testid="worklist-policy">
        {t("worklist.policyNote", {
          currency: loaderData.policyCurrency,
          rates: loaderData.conversions.length ? loaderData.conversions.map((c) => `1 ${c.base} = ${c.rate} ${c.quote} (${c.effectiveOn})`).join("; ") : "—",
        })}
      </p>
      {loaderData.rows.length === 0 ? (
        <p className="note">{t("worklist.empty")}</p>
      ) : (
        <WorklistTable rows={loaderData.rows} query={loaderData.query} today={loaderData.today} errors={actionData ?? null} />
      )}
    </div>
  );
}
