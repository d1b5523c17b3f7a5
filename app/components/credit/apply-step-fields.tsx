import { useTranslation } from "react-i18next";
import { APPLICATION_COUNTRIES, APPLICATION_CURRENCIES, TERMS_OPTIONS, type Draft, type StepId } from "../../domain/credit/application-schema";
import type { FieldErrors } from "../../utils/forms";
import { Field, SelectField } from "../field";

/** The fields of one step of the credit application, filled from the draft. */
export function ApplyStepFields({ step, values, errors, newCompany }: { step: StepId; values: Draft; errors: FieldErrors; newCompany: boolean }) {
  const { t } = useTranslation("credit");
  const input = (name: string, extra: Partial<React.ComponentProps<typeof Field>> = {}) => (
    <Field key={name} name={name} label={t(`fields.${name}`)} defaultValue={values[name] ?? ""} error={errors[name]} {...extra} />
  );
  return (
    <>
      {step === "company" ? (
        <>
          {newCompany ? (
            <>
              <p className="lead">{t("apply.newCompanyLead")}</p>
              {input("applicantName", { autoComplete: "name" })}
              {input("applicantEmail", { type: "email", autoComplete: "email" })}
            </>
          ) : null}
          {input("companyName", { autoComplete: "organization" })}
          <SelectField
            name="country"
            label={t("fields.country")}
            error={errors.country}
            defaultValue={values.country}
            options={APPLICATION_COUNTRIES.map((c) => ({ value: c, label: t(`countries.${c}`) }))}
          />
          {input("taxId", { hint: t("fields.taxIdHint") })}
          <SelectField
            name="currency"
            label={t("fields.currency")}
            error={errors.currency}
            defaultValue={values.currency}
            options={APPLICATION_CURRENCIES.map((c) => ({ value: c, label: t(`currencies.${c}`) }))}
          />
          {input("addressLine1", { autoComplete: "address-line1" })}
          {input("city", { autoComplete: "address-level2" })}
          {input("region", { autoComplete: "address-level1" })}
          {input("postalCode", { autoComplete: "postal-code" })}
          {input("yearsInBusiness", { inputMode: "numeric" })}
          {input("annualRevenue", { inputMode: "decimal" })}
        </>
      ) : null}
      {step === "references" ? (
        <>
          <fieldset>
            <legend>{t("apply.tradeReference", { n: 1 })}</legend>
            {input("ref1Company")}
            {input("ref1Contact")}
            {input("ref1Email", { type: "email" })}
          </fieldset>
          <fieldset>
            <legend>{t("apply.tradeReference", { n: 2 })}</legend>
            {input("ref2Company")}
            {input("ref2Contact")}
            {input("ref2Email", { type: "email" })}
          </fieldset>
          <fieldset>
            <legend>{t("apply.bankReference")}</legend>
            {input("bankName")}
            {input("bankAccountLast4", { inputMode: "numeric", maxLength: 4 })}
            {input("bankContact")}
          </fieldset>
        </>
      ) : null}
      {step === "request" ? (
        <>
          <p>{t("apply.requestCurrency", { currency: values.currency ?? "" })}</p>
          {input("requestedLimit", { inputMode: "decimal" })}
          <SelectField
            name="requestedTermsDays"
            label={t("fields.requestedTermsDays")}
            error={errors.requestedTermsDays}
            defaultValue={values.requestedTermsDays}
            options={TERMS_OPTIONS.map((d) => ({ value: String(d), label: t("terms.net", { count: d }) }))}
          />
        </>
      ) : null}
      {step === "sign" ? (
        <>
          <p>{t("apply.authorizationText")}</p>
          {input("signatureName", { autoComplete: "name" })}
          <div className={errors.authorize ? "field has-error" : "field"}>
            <label>
              <input
                type="checkbox"
                name="authorize"
                value="yes"
                defaultChecked={values.authorize === "yes"}
                aria-describedby={errors.authorize ? "authorize-error" : undefined}
              />{" "}
              {t("fields.authorize")}
            </label>
            {errors.authorize ? (
              <p id="authorize-error" className="field-error" role="alert">
                {t(errors.authorize)}
              </p>
            ) : null}
          </div>
        </>
      ) : null}
    </>
  );
}
