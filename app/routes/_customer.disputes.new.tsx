import { useTranslation } from "react-i18next";
import { data, Form, redirect, useNavigation } from "react-router";
import { pageTitle } from "../i18n/meta";
import type { Route } from "./+types/_customer.disputes.new";
import invoicesStyles from "../styles/invoices.css?url";
import { requireCustomer } from "../utils/authorize.server";
import { readFormWithFiles } from "../utils/uploads.server";
import { DISPUTE_REASONS, openDisputeSchema } from "../domain/disputes/dispute-schemas";
import { disputableMinor, disputeRequestFrom, openDispute } from "../domain/disputes/open-dispute.server";
import { invoiceForAccount } from "../domain/invoices/invoice-detail.server";
import { useFormat } from "../i18n/format";
import { resolveReader } from "../i18n/i18n.server";
import { FormAlerts } from "../components/form-alerts";
import { Field, TextAreaField } from "../components/field";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: invoicesStyles }];

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "disputes:new.submit");

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireCustomer(request);
  const invoiceId = new URL(request.url).searchParams.get("invoice") ?? "";
  const invoice = invoiceId ? await invoiceForAccount(user.accountId, invoiceId) : null;
  if (!invoice) throw data({ reason: "not_found" }, { status: 404 });
  const disputable = await disputableMinor({
    id: invoice.id,
    status: invoice.status,
    totalMinor: invoice.total.amountMinor,
    balanceMinor: invoice.balance.amountMinor,
  });
  return {
    invoice: {
      id: invoice.id,
      number: invoice.number,
      paidInFull: invoice.status === "PAID",
      paid: invoice.paid,
      disputable: { amountMinor: disputable, currency: invoice.currency },
      lines: invoice.lines,
    },
  };
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireCustomer(request);
  const { language, locale } = await resolveReader(request, user);
  const read = await readFormWithFiles(request, { field: "attachment", maxFiles: 5 });
  if (!read.ok) return data({ errors: { attachment: read.error } as Record<string, string>, posted: null }, { status: 400 });
  const { form } = read;
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  // A refused form comes back as it was sent, so a page without JavaScript keeps what was typed and chosen.
  const posted = {
    reason: text("reason"),
    scope: text("scope"),
    lineIds: form.getAll("lineId").filter((v): v is string => typeof v === "string"),
    amount: text("amount"),
    message: text("message"),
  };
  const refused = (errors: Record<string, string>) => data({ errors, posted }, { status: 400 });
  if (read.fileError) return refused({ attachment: read.fileError });
  const parsed = openDisputeSchema.safeParse({
    invoiceId: form.get("invoiceId"),
    reason: form.get("reason"),
    scope: form.get("scope"),
    lineIds: posted.lineIds,
    amount: form.get("amount") ?? "",
    message: form.get("message"),
  });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
    return refused(errors);
  }
  const asked = await disputeRequestFrom(user.accountId, parsed.data, locale);
  if (!asked.ok) return refused(asked.errors);
  const result = await openDispute({ ...asked.value, accountId: user.accountId, userId: user.id, language, files: read.files });
  if (!result.ok) return refused(result.errors);
  return redirect(`/disputes/${result.value.id}`);
}

export default function NewDispute({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("disputes");
  const f = useFormat();
  const navigation = useNavigation();
  const errors: Record<string, string> = actionData?.errors ?? {};
  const { invoice } = loaderData;
  const posted = actionData?.posted;
  const err = (name: string) =>
    errors[name] ? (
      <p id={`${name}-error`} className="field-error" role="alert">
        {t(errors[name])}
      </p>
    ) : null;
  return (
    <div className="page">
      <h1>{t("new.title", { number: invoice.number })}</h1>
      <p className="lead">{t("new.lead")}</p>
      <FormAlerts error={errors.form && t(errors.form)} />
      <Form method="post" encType="multipart/form-data" className="panel">
        <input type="hidden" name="invoiceId" value={invoice.id} />
        <div className={errors.reason ? "field has-error" : "field"}>
          <label htmlFor="reason">{t("new.reason")}</label>
          <select id="reason" name="reason" defaultValue={posted?.reason ?? ""} aria-describedby={errors.reason ? "reason-error" : undefined}>
            <option value="" disabled>
              {t("new.chooseReason")}
            </option>
            {DISPUTE_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`reasons.${r}`)}
              </option>
            ))}
          </select>
          {err("reason")}
        </div>
        <fieldset className={errors.scope || errors.lineId ? "field has-error" : "field"}>
          <legend>{t("new.scope")}</legend>
          <label>
            <input type="radio" name="scope" value="invoice" defaultChecked={posted?.scope !== "lines"} /> {t("new.wholeInvoice")}
          </label>
          <label>
            <input type="radio" name="scope" value="lines" defaultChecked={posted?.scope === "lines"} /> {t("new.someLines")}
          </label>
          {err("scope")}
          <table className="data">
            <caption>{t("new.lines")}</caption>
            <tbody>
              {invoice.lines.map((line) => (
                <tr key={line.id}>
                  <td>
                    <input type="checkbox" id={`line-${line.lineNo}`} name="lineId" value={line.id} defaultChecked={posted?.lineIds.includes(line.id)} />
                  </td>
                  <td>
                    <label htmlFor={`line-${line.lineNo}`}>
                      {line.lineNo}. {line.description}
                    </label>
                  </td>
                  <td className="num">{f.money(line.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {err("lineId")}
        </fieldset>
        <Field
          name="amount"
          label={t("new.amount")}
          hint={
            invoice.paidInFull
              ? t("new.amountHintPaid", { paid: f.money(invoice.paid), disputable: f.money(invoice.disputable) })
              : t("new.amountHint", { balance: f.money(invoice.disputable) })
          }
          error={errors.amount}
          inputMode="decimal"
          defaultValue={posted?.amount}
        />
        <TextAreaField
          name="message"
          label={t("new.message")}
          hint={t("new.messageHint")}
          error={errors.message}
          rows={5}
          required
          defaultValue={posted?.message}
        />
        <Field
          name="attachment"
          label={t("new.attachments")}
          hint={t("new.attachmentsHint")}
          error={errors.attachment}
          type="file"
          multiple
          accept="application/pdf,image/png,image/jpeg"
        />
        <button type="submit" className="button" disabled={navigation.state !== "idle"}>
          {t("new.submit")}
        </button>
      </Form>
    </div>
  );
}
