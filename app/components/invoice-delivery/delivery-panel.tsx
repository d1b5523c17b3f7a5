import { useTranslation } from "react-i18next";
import { Form } from "react-router";
import type { accountDeliveryOverview } from "../../domain/invoice-delivery/delivery-ledger.server";
import { DELIVERY_PATHS, ISA_QUALIFIERS } from "../../domain/invoice-delivery/delivery-schemas";
import { useFormat } from "../../i18n/format";
import { Field, SelectField, TextAreaField } from "../field";

function targetLabel(t: (key: string, values?: Record<string, unknown>) => string, target: string) {
  return target === "folder" ? t("targets.folder") : t("targets.named", { target });
}

export type DeliveryOverview = Awaited<ReturnType<typeof accountDeliveryOverview>>;

/** The account's invoice delivery path in a few words, for the 360's header. */
export function DeliveryPathLabel({ overview }: { overview: DeliveryOverview }) {
  const { t } = useTranslation("delivery");
  const { settings } = overview;
  if (settings.path === "EMAIL") return <>{t("path.EMAILTo", { emails: settings.billingEmails.join(", ") })}</>;
  if (settings.path === "EDI")
    return <>{t("path.EDITo", { qualifier: settings.ediQualifier, id: settings.ediInterchangeId, target: targetLabel(t, settings.ediTarget) })}</>;
  return <>{t("path.PORTAL")}</>;
}

/**
 * The delivery ledger of the account and the form that sets its path. Plain forms posted
 * to the delivery route, which comes back here with the outcome: it works without JavaScript.
 */
export function DeliveryPanel({ accountId, overview, errors }: { accountId: string; overview: DeliveryOverview; errors: Record<string, string> | null }) {
  const { t } = useTranslation("delivery");
  const f = useFormat();
  const { settings } = overview;
  const action = `/rep/accounts/${encodeURIComponent(accountId)}/delivery`;
  return (
    <section className="panel" id="delivery" aria-labelledby="delivery-title" data-testid="delivery-panel">
      <h2 id="delivery-title">{t("panel.title")}</h2>
      {overview.deliveries.length === 0 ? (
        <p className="note">{t("panel.empty")}</p>
      ) : (
        <table className="table" data-testid="delivery-ledger">
          <thead>
            <tr>
              <th scope="col">{t("panel.document")}</th>
              <th scope="col">{t("panel.path")}</th>
              <th scope="col">{t("panel.status")}</th>
              <th scope="col">{t("panel.attempts")}</th>
              <th scope="col">{t("panel.detail")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("panel.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {overview.deliveries.map((d) => (
              <tr key={d.id} data-testid={`delivery-${d.documentNumber}`}>
                <td>
                  {t(`kinds.${d.documentKind}`, { number: d.documentNumber })}
                  {d.documentKind === "CREDIT_MEMO" ? (
                    <>
                      {" "}
                      <a href={`/credit-memos/${encodeURIComponent(d.documentId)}/pdf`} download>
                        {t("panel.pdf")}
                      </a>
                    </>
                  ) : null}
                </td>
                <td>{t(`paths.${d.path}`)}</td>
                <td>
                  <span className={`status-pill delivery-${d.status.toLowerCase()}`}>{t(`statuses.${d.status}`)}</span>
                </td>
                <td>{d.attempts}</td>
                <td>
                  {d.controlNumber !== null ? <span>{t("panel.controlNumber", { number: String(d.controlNumber).padStart(9, "0") })} </span> : null}
                  {d.lastErrorCode && (d.status === "FAILED" || d.status === "RETRYING") ? (
                    <span className="field-error">
                      {t(`failures.${d.lastErrorCode}`, { defaultValue: t("failures.transport") })}
                      {d.lastError ? <small className="note"> {d.lastError}</small> : null}
                    </span>
                  ) : null}
                  {d.nextAttemptAt ? <span> {t("panel.nextAttempt", { at: f.dateTime(d.nextAttemptAt) })}</span> : null}
                  {d.sentAt && d.status !== "FAILED" ? <span> {t("panel.sentAt", { at: f.dateTime(d.sentAt) })}</span> : null}
                </td>
                <td>
                  {d.status === "QUEUED" ? null : (
                    <Form method="post" action={action}>
                      <input type="hidden" name="intent" value="resend" />
                      <input type="hidden" name="deliveryId" value={d.id} />
                      <input type="hidden" name="attempts" value={d.attempts} />
                      <button type="submit" className="button secondary">
                        {t("panel.resend")}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details open={Boolean(errors)}>
        <summary>{t("form.title")}</summary>
        <Form method="post" action={action} className="delivery-form" data-testid="delivery-form">
          <input type="hidden" name="intent" value="path" />
          <SelectField
            name="path"
            id="delivery-path"
            label={t("form.path")}
            choose={false}
            defaultValue={settings.path}
            error={errors?.path}
            options={DELIVERY_PATHS.map((p) => ({ value: p, label: t(`paths.${p}`) }))}
          />
          <TextAreaField
            name="billingEmails"
            id="delivery-billingEmails"
            label={t("form.billingEmails")}
            hint={t("form.billingEmailsHint")}
            rows={2}
            defaultValue={settings.billingEmails.join("\n")}
            error={errors?.billingEmails}
          />
          <fieldset>
            <legend>{t("form.ediLegend")}</legend>
            <SelectField
              name="ediQualifier"
              id="delivery-ediQualifier"
              label={t("form.ediQualifier")}
              defaultValue={settings.ediQualifier ?? "ZZ"}
              choose={false}
              error={errors?.ediQualifier}
              options={ISA_QUALIFIERS.map((q) => ({ value: q, label: t(`qualifiers.${q}`) }))}
            />
            <Field
              name="ediInterchangeId"
              id="delivery-ediInterchangeId"
              label={t("form.ediInterchangeId")}
              maxLength={15}
              defaultValue={settings.ediInterchangeId ?? ""}
              error={errors?.ediInterchangeId}
            />
            <Field
              name="ediGroupId"
              id="delivery-ediGroupId"
              label={t("form.ediGroupId")}
              maxLength={15}
              defaultValue={settings.ediGroupId ?? ""}
              error={errors?.ediGroupId}
            />
            <SelectField
              name="ediTarget"
              id="delivery-ediTarget"
              label={t("form.ediTarget")}
              choose={false}
              defaultValue={settings.ediTarget}
              error={errors?.ediTarget}
              options={overview.targets.map((target) => ({ value: target, label: targetLabel(t, target) }))}
            />
          </fieldset>
          <button type="submit" className="button">
            {t("form.save")}
          </button>
        </Form>
      </details>
    </section>
  );
}
