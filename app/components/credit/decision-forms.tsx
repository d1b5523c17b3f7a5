import { useTranslation } from "react-i18next";
import { Form } from "react-router";
import type { Route } from "../../routes/+types/rep.credit.applications.$applicationId";
import { GRANTABLE_TERMS_DAYS } from "../../domain/credit/application-schema";
import { amountForInput } from "../../domain/money/amount-input";
import { useFormat } from "../../i18n/format";
import type { FieldErrors } from "../../utils/forms";
import { Field, SelectField, TextAreaField } from "../field";
import { FormAlerts } from "../form-alerts";

type Review = Route.ComponentProps["loaderData"];

/** The rep's three decisions: approve (with a new company's first user), request information, decline. */
export function DecisionForms({ loaderData, errors }: { loaderData: Review; errors: FieldErrors }) {
  const { t } = useTranslation("credit");
  const f = useFormat();
  const a = loaderData.application;
  return (
    <div className="grid-2">
      <section className="panel" aria-labelledby="approve-title">
        <h2 id="approve-title">{t("review.approveTitle")}</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="approve" />
          <Field
            name="limit"
            label={t("review.limit", { currency: a.currency })}
            inputMode="decimal"
            error={errors.limit}
            defaultValue={a.proposed ? amountForInput(a.proposed, f.locale) : a.recommended ? amountForInput(a.recommended, f.locale) : ""}
          />
          <SelectField
            name="termsDays"
            label={t("review.terms")}
            error={errors.termsDays}
            defaultValue={String(a.proposedTermsDays ?? a.recommendedTermsDays ?? 30)}
            options={GRANTABLE_TERMS_DAYS.map((d) => ({ value: String(d), label: t("terms.net", { count: d }) }))}
          />
          <Field name="conditions" label={t("review.conditions")} error={errors.conditions} defaultValue={a.conditions ?? ""} />
          <Field name="reason" label={t("review.reason")} error={errors.reason} />
          {loaderData.firstUser ? (
            <fieldset className="first-user">
              <legend>{t("review.firstUser.title")}</legend>
              <FormAlerts
                warning={!loaderData.firstUser.available && t("review.firstUser.taken", { email: loaderData.firstUser.email })}
                testIds={{ warning: "first-user-taken" }}
              />
              <Field
                name="firstUserEmail"
                type="email"
                autoComplete="off"
                label={t("review.firstUser.email")}
                hint={t("review.firstUser.hint")}
                error={errors.firstUserEmail}
                defaultValue={loaderData.firstUser.available ? loaderData.firstUser.email : ""}
              />
              <Field name="firstUserName" autoComplete="off" label={t("review.firstUser.name")} error={errors.firstUserName} />
            </fieldset>
          ) : null}
          <button type="submit" className="button primary">
            {t("review.approve")}
          </button>
        </Form>
      </section>
      <section className="panel" aria-labelledby="other-title">
        <h2 id="other-title">{t("review.otherTitle")}</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="request_info" />
          <TextAreaField name="infoMessage" label={t("review.infoMessage")} error={errors.infoMessage} />
          <button type="submit" className="button">
            {t("review.requestInfo")}
          </button>
        </Form>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="decline" />
          <TextAreaField name="declineReason" label={t("review.declineReason")} error={errors.declineReason} />
          <button type="submit" className="button">
            {t("review.decline")}
          </button>
        </Form>
      </section>
    </div>
  );
}
