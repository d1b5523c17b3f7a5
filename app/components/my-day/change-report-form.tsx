import { useTranslation } from "react-i18next";
import { Form } from "react-router";
import { CHANGE_KINDS } from "../../domain/watch/signals";
import { useFormat } from "../../i18n/format";
import { Field, SelectField, TextAreaField } from "../field";
import { FormAlerts } from "../form-alerts";

type Report = { id: string; kind: string; createdAt: string };

/** The customer tells us their company changed (name, address, tax id, owners); a plain form, so it works without JavaScript. */
export function ChangeReportForm({
  reports,
  saved,
  errors,
  typed,
}: {
  reports: Report[];
  saved: boolean;
  errors: Record<string, string>;
  typed: Record<string, string> | null;
}) {
  const { t } = useTranslation("watch");
  const f = useFormat();
  return (
    <section className="panel" aria-labelledby="report-title" id="report-change">
      <h2 id="report-title">{t("report.title")}</h2>
      <p>{t("report.intro")}</p>
      <FormAlerts success={saved ? t("report.saved") : null} testIds={{ success: "report-saved" }} />
      <Form method="post" noValidate>
        <SelectField
          name="kind"
          label={t("report.kind")}
          error={errors.kind}
          defaultValue={typed?.kind ?? ""}
          // The kinds are written to sit inside a sentence ("a change of legal name"); a list item starts with a capital.
          options={CHANGE_KINDS.map((k) => {
            const label = t(`changeKinds.${k}`);
            return { value: k, label: label.charAt(0).toLocaleUpperCase() + label.slice(1) };
          })}
        />
        <TextAreaField
          name="details"
          label={t("report.details")}
          hint={t("report.detailsHint")}
          error={errors.details}
          defaultValue={typed?.details ?? ""}
          maxLength={1000}
        />
        <Field name="effectiveOn" type="date" label={t("report.effectiveOn")} error={errors.effectiveOn} defaultValue={typed?.effectiveOn ?? ""} />
        <button type="submit" className="button">
          {t("report.submit")}
        </button>
      </Form>
      {reports.length ? (
        <>
          <h3>{t("report.yours")}</h3>
          <ul data-testid="reported-changes">
            {reports.map((r) => (
              <li key={r.id}>{t("report.row", { date: f.date(r.createdAt), change: t(`changeKinds.${r.kind}`, { defaultValue: r.kind }) })}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
