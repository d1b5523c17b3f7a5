import { useTranslation } from "react-i18next";
import { GRANTABLE_TERMS_DAYS, grantableTermsDays } from "../domain/credit/application-schema";
import { isStaffLevel } from "../domain/authority/approval-limits";
import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/rep.credit.accounts.$accountId";
import { pageTitle } from "../i18n/meta";
import { ConversionNote, CreditFigures } from "../components/account-figures";
import { Field, SelectField } from "../components/field";
import { accountSummary } from "../domain/accounts/account-summary.server";
import { requireStaff } from "../utils/authorize.server";
import { changeAccountTerms } from "../domain/credit/change-account-terms.server";
import { cutsBelowExposure } from "../domain/credit/limit-cut";
import { amountErrorKey, amountForInput, parseAmountInput } from "../domain/money/amount-input";
import { resolveReader } from "../i18n/i18n.server";
import { fieldErrorsOf, freeText, type FieldErrors } from "../utils/forms";
import { useFormat } from "../i18n/format";
import creditStyles from "../styles/credit.css?url";
import { FormAlerts } from "../components/form-alerts";
import { HistoryList } from "../components/history-list";
import { loadHistory } from "../domain/audit/history.server";
import { readForm } from "../utils/form-body.server";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: creditStyles }];

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.creditTerms");

export async function loader({ request, params }: Route.LoaderArgs) {
  await requireStaff(request);
  const summary = await accountSummary(params.accountId);
  if (!summary) throw data({ reason: "not_found" }, { status: 404 });
  const audit = await loadHistory(
    { accountId: params.accountId, entity: { in: ["Account", "Order", "CreditApplication", "ApplicationDocument"] } },
    { newestFirst: true, take: 50 },
  );
  const url = new URL(request.url);
  const done = url.searchParams.get("done");
  const level = url.searchParams.get("level");
  return {
    summary,
    audit,
    done: done === "changed" || done === "escalated" ? done : null,
    level: isStaffLevel(level) ? level : null,
    applicationId: url.searchParams.get("application")?.slice(0, 40) ?? null,
  };
}

const schema = z.object({
  limit: freeText().trim().min(1, "credit:errors.required").max(30, "credit:errors.amountInvalid"),
  termsDays: grantableTermsDays,
  reason: freeText().trim().min(1, "credit:errors.required").max(500, "credit:errors.tooLong"),
  confirmBelowExposure: z.literal("yes").optional().catch(undefined),
});

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireStaff(request);
  const summary = await accountSummary(params.accountId);
  if (!summary) throw data({ reason: "not_found" }, { status: 404 });
  const parsed = schema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return data({ fieldErrors: fieldErrorsOf(parsed.error), formError: null as string | null }, { status: 400 });
  const { locale } = await resolveReader(request, user);
  const read = parseAmountInput(parsed.data.limit, locale, summary.account.currency);
  if (!read.ok) return data({ fieldErrors: { limit: amountErrorKey(read.error, locale) } as FieldErrors, formError: null }, { status: 400 });
  const limitMinor = read.amountMinor;
  if (
    !parsed.data.confirmBelowExposure &&
    cutsBelowExposure({ currentMinor: summary.creditLimit.amountMinor, proposedMinor: limitMinor, exposureMinor: summary.exposure.amountMinor })
  ) {
    const typed = { limit: parsed.data.limit, termsDays: String(parsed.data.termsDays), reason: parsed.data.reason };
    return data(
      { fieldErrors: { confirmBelowExposure: "credit:limitChange.confirmRequired" } as FieldErrors, formError: null, belowExposure: typed },
      { status: 400 },
    );
  }
  const result = await changeAccountTerms(user, params.accountId, { limitMinor, termsDays: parsed.data.termsDays, reason: parsed.data.reason });
  if (!result.ok)
    return data(
      { fieldErrors: {} as FieldErrors, formError: `credit:limitChange.errors.${result.error}` as string | null },
      { status: result.error === "not_found" ? 404 : result.error === "unchanged" ? 400 : 409 },
    );
  if (result.outcome === "changed") throw redirect(`/rep/credit/accounts/${params.accountId}?done=changed`);
  throw redirect(`/rep/credit/accounts/${params.accountId}?done=escalated&level=${result.requiredLevel}&application=${result.applicationId}`);
}

export default function RepCreditAccount({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("credit");
  const f = useFormat();
  const { summary } = loaderData;
  const errors: FieldErrors = actionData?.fieldErrors ?? {};
  const typed = actionData && "belowExposure" in actionData ? (actionData.belowExposure as { limit: string; termsDays: string; reason: string }) : null;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <p className="eyebrow">
            <Link to={`/rep/accounts/${summary.account.id}`}>{summary.account.legalName}</Link> · {summary.account.number}
          </p>
          <h1>{t("limitChange.title")}</h1>
        </div>
      </div>
      <FormAlerts
        success={loaderData.done === "changed" && t("limitChange.changed")}
        warning={
          loaderData.done === "escalated" && (
            <>
              {t("limitChange.escalated", { level: loaderData.level ? t(`levels.${loaderData.level}`) : "" })}{" "}
              {loaderData.applicationId ? <Link to={`/rep/credit/applications/${loaderData.applicationId}`}>{t("limitChange.openRequest")}</Link> : null}
            </>
          )
        }
        error={actionData?.formError && t(actionData.formError)}
      />
      <CreditFigures summary={summary} />
      <ConversionNote summary={summary} />
      <p data-testid="current-terms">{t("limitChange.currentTerms", { terms: t("terms.net", { count: summary.account.paymentTermsDays }) })}</p>
      <section className="panel" aria-labelledby="change-title">
        <h2 id="change-title">{t("limitChange.formTitle")}</h2>
        <Form method="post" noValidate>
          <Field
            name="limit"
            label={t("review.limit", { currency: summary.account.currency })}
            inputMode="decimal"
            error={errors.limit}
            defaultValue={typed?.limit ?? amountForInput(summary.creditLimit, f.locale)}
          />
          <SelectField
            name="termsDays"
            label={t("review.terms")}
            error={errors.termsDays}
            defaultValue={typed?.termsDays ?? String(summary.account.paymentTermsDays)}
            options={GRANTABLE_TERMS_DAYS.map((d) => ({ value: String(d), label: t("terms.net", { count: d }) }))}
          />
          <Field name="reason" label={t("limitChange.reason")} error={errors.reason} defaultValue={typed?.reason} />
          {typed ? (
            <div className="alert warn" role="alert" data-testid="below-exposure">
              <p>{t("limitChange.belowExposure", { exposure: f.money(summary.exposure) })}</p>
              <label className="checkbox">
                <input type="checkbox" name="confirmBelowExposure" value="yes" aria-describedby="confirm-below-error" /> {t("limitChange.confirmBelowExposure")}
              </label>
              <p id="confirm-below-error" className="field-error">
                {t("limitChange.confirmRequired")}
              </p>
            </div>
          ) : null}
          <button type="submit" className="button primary">
            {t("limitChange.submit")}
          </button>
        </Form>
      </section>
      <section className="panel" aria-labelledby="audit-title">
        <h2 id="audit-title">{t("audit.title")}</h2>
        <HistoryList entries={loaderData.audit} testId="credit-audit" />
      </section>
    </div>
  );
}
