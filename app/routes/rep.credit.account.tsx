import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/rep.credit.account";
import { pageTitle } from "../i18n/meta";
import { ConversionNote, CreditFigures } from "../components/account-figures";
import { SelectField } from "../components/credit-fields";
import { Field } from "../components/field";
import { accountSummary } from "../domain/accounts/account-summary.server";
import { requireStaff } from "../domain/auth/authorize.server";
import { amountForInput } from "../domain/credit/amount-input";
import { changeAccountTerms } from "../domain/credit/applications.server";
import { parseMoneyInput } from "../domain/money/money";
import { formattingLocale } from "../i18n/config";
import { resolveLanguage } from "../i18n/i18n.server";
import { fieldErrorsOf, freeText, type FieldErrors } from "../utils/forms";
import { db } from "../utils/db.server";
import { useFormat } from "../i18n/format";
import creditStyles from "../styles/credit.css?url";
import { FormAlerts } from "../components/form-alerts";
import { readForm } from "../utils/form-body.server";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: creditStyles }];

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.creditTerms");

const TERMS = [0, 15, 30, 45, 60, 90, 120] as const;

export async function loader({ request, params }: Route.LoaderArgs) {
  await requireStaff(request);
  const summary = await accountSummary(params.accountId);
  if (!summary) throw data({ reason: "not_found" }, { status: 404 });
  const audit = await db().auditLog.findMany({
    where: { accountId: params.accountId, entity: { in: ["Account", "Order", "CreditApplication", "ApplicationDocument"] } },
    orderBy: { createdAt: "desc" },
    take: 50,
    include: { actor: { select: { name: true } } },
  });
  const url = new URL(request.url);
  const done = url.searchParams.get("done");
  const level = url.searchParams.get("level");
  return {
    summary,
    audit: audit.map((a) => ({
      id: a.id,
      at: a.createdAt.toISOString(),
      actor: a.actor?.name ?? null,
      entity: a.entity,
      action: a.action,
      before: (a.before ?? {}) as Record<string, unknown>,
      after: (a.after ?? {}) as Record<string, unknown>,
    })),
    done: done === "changed" || done === "escalated" ? done : null,
    level: level && ["REP_I", "REP_II", "REP_III", "SENIOR", "MANAGER"].includes(level) ? level : null,
    applicationId: url.searchParams.get("application")?.slice(0, 40) ?? null,
  };
}

const schema = z.object({
  limit: freeText().trim().min(1, "credit:errors.required").max(30, "credit:errors.amountInvalid"),
  termsDays: z.enum(TERMS.map(String) as [string, ...string[]], "credit:errors.termsInvalid").transform(Number),
  reason: freeText().trim().min(1, "credit:errors.required").max(500, "credit:errors.tooLong"),
});

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireStaff(request);
  const summary = await accountSummary(params.accountId);
  if (!summary) throw data({ reason: "not_found" }, { status: 404 });
  const parsed = schema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return data({ fieldErrors: fieldErrorsOf(parsed.error), formError: null as string | null }, { status: 400 });
  const language = await resolveLanguage(request, user.preferredLanguage);
  const limitMinor = parseMoneyInput(parsed.data.limit, summary.account.currency, formattingLocale(language));
  if (limitMinor === null) return data({ fieldErrors: { limit: "credit:errors.amountInvalid" } as FieldErrors, formError: null }, { status: 400 });
  const result = await changeAccountTerms(user, params.accountId, { limitMinor, termsDays: parsed.data.termsDays, reason: parsed.data.reason });
  if (!result.ok) return data({ fieldErrors: {} as FieldErrors, formError: `credit:limitChange.errors.${result.error}` as string | null }, { status: result.error === "not_found" ? 404 : 400 });
  if (result.outcome === "changed") throw redirect(`/rep/credit/accounts/${params.accountId}?done=changed`);
  throw redirect(`/rep/credit/accounts/${params.accountId}?done=escalated&level=${result.requiredLevel}&application=${result.applicationId}`);
}

export default function RepCreditAccount({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("credit");
  const f = useFormat();
  const { summary } = loaderData;
  const show = (key: string, value: unknown) => {
    if (value === undefined || value === null || value === "") return "—";
    if (key.endsWith("Minor") && typeof value === "number") return f.money({ amountMinor: value, currency: summary.account.currency });
    if (key.endsWith("Days") && typeof value === "number") return t("terms.net", { count: value });
    return String(value);
  };
  const errors: FieldErrors = actionData?.fieldErrors ?? {};
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
          <Field name="limit" label={t("review.limit", { currency: summary.account.currency })} inputMode="decimal" error={errors.limit} defaultValue={amountForInput(summary.creditLimit)} />
          <SelectField name="termsDays" label={t("review.terms")} error={errors.termsDays} defaultValue={String(summary.account.paymentTermsDays)} options={TERMS.map((d) => ({ value: String(d), label: t("terms.net", { count: d }) }))} />
          <Field name="reason" label={t("limitChange.reason")} error={errors.reason} />
          <button type="submit" className="button primary">
            {t("limitChange.submit")}
          </button>
        </Form>
      </section>
      <section className="panel" aria-labelledby="audit-title">
        <h2 id="audit-title">{t("audit.title")}</h2>
        <div className="table-wrap">
          <table className="data" data-testid="credit-audit">
            <thead>
              <tr>
                <th scope="col">{t("audit.when")}</th>
                <th scope="col">{t("audit.who")}</th>
                <th scope="col">{t("audit.what")}</th>
                <th scope="col">{t("audit.change")}</th>
              </tr>
            </thead>
            <tbody>
              {loaderData.audit.map((a) => {
                const keys = [...new Set([...Object.keys(a.before), ...Object.keys(a.after)])];
                return (
                  <tr key={a.id}>
                    <td>{f.dateTime(a.at)}</td>
                    <td>{a.actor ?? t("audit.system")}</td>
                    <td>{t(`audit.actions.${a.action}`, { defaultValue: a.action })}</td>
                    <td>
                      <ul className="changes">
                        {keys.map((k) => (
                          <li key={k}>
                            {t(`audit.fields.${k}`, { defaultValue: k })}: {k in a.before ? `${show(k, a.before[k])} → ` : ""}
                            {show(k, a.after[k])}
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
