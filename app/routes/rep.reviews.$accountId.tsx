import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/rep.reviews.$accountId";
import { pageTitle } from "../i18n/meta";
import { requireStaff } from "../utils/authorize.server";
import { readForm } from "../utils/form-body.server";
import { fieldErrorsOf, freeText, type FieldErrors } from "../utils/forms";
import { resolveReader } from "../i18n/i18n.server";
import { useFormat } from "../i18n/format";
import { creditReviewOf, decideCreditReview } from "../domain/credit/periodic-review.server";
import { REVIEW_ACTIONS } from "../domain/credit/periodic-review";
import { amountErrorKey, amountForInput, parseAmountInput } from "../domain/money/amount-input";
import { isStaffLevel } from "../domain/authority/approval-limits";
import { CreditFigures } from "../components/account-figures";
import { Field, SelectField, TextAreaField } from "../components/field";
import { FormAlerts } from "../components/form-alerts";

export const meta: Route.MetaFunction = ({ matches, data }) => pageTitle(matches, "watch:review.pageTitle", data?.view.summary.account.legalName);

const DONE = ["kept", "changed", "held", "escalated"] as const;

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireStaff(request);
  const view = await creditReviewOf(params.accountId);
  if (!view) throw data({ reason: "not_found" }, { status: 404 });
  const { locale } = await resolveReader(request, user);
  const url = new URL(request.url);
  const done = DONE.find((d) => d === url.searchParams.get("done")) ?? null;
  const level = url.searchParams.get("level");
  return {
    view,
    proposedInput: amountForInput({ amountMinor: view.recommendation.proposedLimitMinor, currency: view.summary.account.currency }, locale),
    done,
    next: url.searchParams.get("next")?.slice(0, 30) ?? null,
    level: isStaffLevel(level) ? level : null,
    applicationId: url.searchParams.get("application")?.slice(0, 40) ?? null,
  };
}

const schema = z.object({
  decision: z.enum(REVIEW_ACTIONS, { error: "watch:review.errors.decision" }),
  limit: freeText().trim().max(30, "credit:errors.amountInvalid").optional().default(""),
  note: freeText().trim().max(500, "watch:review.errors.note").optional().default(""),
});

/** The rep's decision: kept, a limit change (within authority, or escalated like an application), or a hold. */
export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireStaff(request);
  const view = await creditReviewOf(params.accountId);
  if (!view) throw data({ reason: "not_found" }, { status: 404 });
  const parsed = schema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return data({ fieldErrors: fieldErrorsOf(parsed.error), formError: null as string | null }, { status: 400 });
  const { decision, note } = parsed.data;
  let limitMinor = view.summary.creditLimit.amountMinor;
  const changesLimit = decision === "raise" || decision === "lower";
  if (changesLimit && !parsed.data.limit) return data({ fieldErrors: { limit: "watch:review.errors.limit" } as FieldErrors, formError: null }, { status: 400 });
  // A limit that cannot be read is refused whatever the decision: the rep sees what they typed was not taken.
  if (parsed.data.limit) {
    const { locale } = await resolveReader(request, user);
    const read = parseAmountInput(parsed.data.limit, locale, view.summary.account.currency);
    if (!read.ok) return data({ fieldErrors: { limit: amountErrorKey(read.error, locale) } as FieldErrors, formError: null }, { status: 400 });
    if (changesLimit) limitMinor = read.amountMinor;
  }
  const result = await decideCreditReview(user, params.accountId, { action: decision, limitMinor, note });
  if (!result.ok)
    return data(
      { fieldErrors: {} as FieldErrors, formError: `watch:review.errors.${result.error}` as string | null },
      { status: result.error === "not_found" ? 404 : 409 },
    );
  const query = new URLSearchParams({ done: result.outcome, next: result.nextReviewOn.slice(0, 10) });
  if (result.outcome === "escalated") {
    query.set("level", result.requiredLevel);
    query.set("application", result.applicationId);
  }
  throw redirect(`/rep/reviews/${encodeURIComponent(params.accountId)}?${query}`);
}

export default function CreditReviewPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("watch");
  const f = useFormat();
  const { view } = loaderData;
  const { summary, score, recommendation } = view;
  const errors: FieldErrors = actionData?.fieldErrors ?? {};
  const nextDate = loaderData.next ? f.date(`${loaderData.next}T00:00:00Z`) : "";
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <p className="eyebrow">
            <Link to={`/rep/accounts/${summary.account.id}`}>{summary.account.legalName}</Link> · {summary.account.number}
          </p>
          <h1>{t("review.title")}</h1>
          <p data-testid="review-due">
            {view.due.isDue
              ? t("review.due", { date: f.date(view.due.on), risk: t(`riskClasses.${view.due.riskClass}`), days: view.intervalDays[view.due.riskClass] })
              : t("review.notDue", { date: f.date(view.due.on) })}
          </p>
        </div>
      </div>
      <FormAlerts
        success={loaderData.done && loaderData.done !== "escalated" ? t(`review.done.${loaderData.done}`, { date: nextDate }) : null}
        warning={
          loaderData.done === "escalated" ? (
            <>
              {t("review.done.escalated", { date: nextDate, level: loaderData.level ? t(`rep:levels.${loaderData.level}`) : "" })}{" "}
              {loaderData.applicationId ? <Link to={`/rep/credit/applications/${loaderData.applicationId}`}>{t("review.openRequest")}</Link> : null}
            </>
          ) : null
        }
        error={actionData?.formError ? t(actionData.formError) : null}
        testIds={{ success: "review-done", warning: "review-escalated", error: "form-error" }}
      />
      <CreditFigures summary={summary} />
      <section className="panel" aria-labelledby="score-title">
        <h2 id="score-title">{t("review.scoreTitle", { score: score.score })}</h2>
        <table className="data" data-testid="score-breakdown">
          <thead>
            <tr>
              <th scope="col">{t("credit:review.factor")}</th>
              <th scope="col" className="num">
                {t("credit:review.points")}
              </th>
              <th scope="col">{t("credit:review.why")}</th>
            </tr>
          </thead>
          <tbody>
            {score.factors.map((factor) => (
              <tr key={factor.id}>
                <th scope="row">{t(`credit:factors.${factor.id}`)}</th>
                <td className="num">
                  {factor.points} / {factor.weight}
                </td>
                <td>{t(factor.reason.key, { ...factor.reason.values })}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>{t("review.riskNow", { risk: t(`riskClasses.${view.riskClass}`) })}</p>
        <p data-testid="recommendation" data-action={recommendation.action}>
          <strong>
            {t("review.recommended", {
              action: t(`review.actions.${recommendation.action}`),
              limit: f.money({ amountMinor: recommendation.proposedLimitMinor, currency: summary.account.currency }),
            })}
          </strong>{" "}
          {t(recommendation.reason.key, { ...recommendation.reason.values })}
        </p>
      </section>
      {view.due.isDue && !loaderData.done ? (
        <section className="panel" aria-labelledby="decide-title">
          <h2 id="decide-title">{t("review.form.title")}</h2>
          <Form method="post" noValidate>
            <SelectField
              name="decision"
              label={t("review.form.decision")}
              error={errors.decision}
              defaultValue={recommendation.action}
              choose={false}
              options={REVIEW_ACTIONS.map((a) => ({ value: a, label: t(`review.actions.${a}`) }))}
            />
            <Field
              name="limit"
              label={t("review.form.limit")}
              hint={t("review.form.limitHint")}
              error={errors.limit}
              defaultValue={loaderData.proposedInput}
              inputMode="decimal"
            />
            <TextAreaField name="note" label={t("review.form.note")} error={errors.note} maxLength={500} />
            <button type="submit">{t("review.form.submit")}</button>
          </Form>
        </section>
      ) : null}
      {view.history.length ? (
        <section className="panel" aria-labelledby="history-title">
          <h2 id="history-title">{t("review.history")}</h2>
          <ul>
            {view.history.map((h) => (
              <li key={h.id}>
                {t("review.historyRow", { date: f.date(h.dueOn), decision: t(`review.actions.${h.decision}`, { defaultValue: h.decision }), score: h.score })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
