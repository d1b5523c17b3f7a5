import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { DISPUTE_REASONS } from "../../../domain/disputes/dispute-schemas";
import { useFormat } from "../../../i18n/format";
import { Field } from "../../field";
import { ActSubmit, fieldError, FieldError, useAct, type ActFormProps } from "./act-form-parts";

/** The four things a rep does for the customer from a chat: a payment link, a promise to pay, a dispute, a held order's release. */

export function PayLinkForm({ url, choices, onDone }: ActFormProps) {
  const { t } = useTranslation("chat");
  const f = useFormat();
  const { fetcher, result, busy, actionIdField } = useAct(onDone);
  const id = useId();
  return (
    <details className="act">
      <summary>{t("actions.payLink.title")}</summary>
      <fetcher.Form method="post" action={url} aria-describedby={`${id}-result`}>
        <input type="hidden" name="intent" value="pay_link" />
        {actionIdField}
        {choices.invoices.length === 0 ? (
          <p className="note">{t("actions.noInvoices")}</p>
        ) : (
          <fieldset className="act-choices">
            <legend>{t("actions.payLink.invoices")}</legend>
            {choices.invoices.map((i) => (
              <label key={i.id} className="checkbox">
                <input type="checkbox" name="invoiceId" value={i.id} /> {i.number} · {f.money(i.balance)} ·{" "}
                {t("console.glance.due", { date: f.date(`${i.dueOn}T12:00:00Z`) })}
              </label>
            ))}
          </fieldset>
        )}
        <FieldError result={result} name="invoiceIds" id={`${id}-invoices-error`} />
        <ActSubmit label={t("actions.payLink.submit")} busy={busy} disabled={choices.invoices.length === 0} result={result} id={id} />
      </fetcher.Form>
    </details>
  );
}

export function PromiseForm({ url, choices, onDone }: ActFormProps) {
  const { t } = useTranslation("chat");
  const f = useFormat();
  const { fetcher, result, busy, actionIdField } = useAct(onDone);
  const id = useId();
  const err = (name: string) => (result && !result.ok && result.fieldErrors[name] ? true : undefined);
  return (
    <details className="act">
      <summary>{t("actions.promise.title")}</summary>
      <fetcher.Form method="post" action={url}>
        <input type="hidden" name="intent" value="promise" />
        {actionIdField}
        <Field
          id={`${id}-amount`}
          name="amount"
          label={t("actions.promise.amount", { currency: choices.currency })}
          error={fieldError(result, "amount")}
          aria-invalid={err("amount")}
          inputMode="decimal"
          required
        />
        <Field
          id={`${id}-date`}
          name="promisedFor"
          label={t("actions.promise.date")}
          error={fieldError(result, "promisedFor")}
          aria-invalid={err("promisedFor")}
          type="date"
          max={choices.latestPromiseDate}
          hint={t("actions.promise.latest", { date: f.date(choices.latestPromiseDate) })}
          required
        />
        {choices.promisable.length ? (
          <fieldset className="act-choices">
            <legend>{t("actions.promise.invoices")}</legend>
            {choices.promisable.map((i) => (
              <label key={i.id} className="checkbox">
                <input type="checkbox" name="invoiceId" value={i.id} /> {i.number} · {f.money(i.balance)}
              </label>
            ))}
          </fieldset>
        ) : (
          <p className="note">{t("actions.promise.none")}</p>
        )}
        <FieldError result={result} name="invoiceIds" id={`${id}-invoices-error`} />
        <Field id={`${id}-note`} name="note" label={t("actions.promise.note")} maxLength={500} />
        <ActSubmit label={t("actions.promise.submit")} busy={busy} result={result} id={id} />
      </fetcher.Form>
    </details>
  );
}

export function DisputeForm({ url, choices, onDone }: ActFormProps) {
  const { t } = useTranslation(["chat", "disputes"]);
  const f = useFormat();
  const { fetcher, result, busy, actionIdField } = useAct(onDone);
  const id = useId();
  const [invoiceId, setInvoiceId] = useState("");
  const [lines, setLines] = useState<string[]>([]);
  const invoice = choices.invoices.find((i) => i.id === invoiceId) ?? choices.invoices[0];
  const err = (name: string) => (result && !result.ok && result.fieldErrors[name] ? true : undefined);
  return (
    <details className="act">
      <summary>{t("actions.dispute.title")}</summary>
      {!invoice ? (
        <p className="note">{t("actions.noInvoices")}</p>
      ) : (
        <fetcher.Form method="post" action={url}>
          <input type="hidden" name="intent" value="dispute" />
          {actionIdField}
          {/* Whole invoice unless the rep ticks lines. */}
          <input type="hidden" name="scope" value={lines.length ? "lines" : "invoice"} />
          <div className="field">
            <label htmlFor={`${id}-invoice`}>{t("actions.dispute.invoice")}</label>
            <select
              id={`${id}-invoice`}
              name="invoiceId"
              value={invoice.id}
              onChange={(e) => {
                setInvoiceId(e.target.value);
                setLines([]);
              }}
            >
              {choices.invoices.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.number} · {f.money(i.balance)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-reason`}>{t("actions.dispute.reason")}</label>
            <select id={`${id}-reason`} name="reason" defaultValue="" required aria-invalid={err("reason")}>
              <option value="" disabled>
                {t("actions.dispute.chooseReason")}
              </option>
              {DISPUTE_REASONS.map((r) => (
                <option key={r} value={r}>
                  {t(`disputes:reasons.${r}`)}
                </option>
              ))}
            </select>
            <FieldError result={result} name="reason" id={`${id}-reason-error`} />
          </div>
          {invoice.lines.length ? (
            <fieldset className="act-choices">
              <legend>{t("actions.dispute.lines")}</legend>
              {invoice.lines.map((l) => (
                <label key={l.id} className="checkbox">
                  <input
                    type="checkbox"
                    name="lineId"
                    value={l.id}
                    checked={lines.includes(l.id)}
                    onChange={(e) => setLines((ls) => (e.target.checked ? [...ls, l.id] : ls.filter((x) => x !== l.id)))}
                  />{" "}
                  {l.lineNo}. {l.description} · {f.money(l.amount)}
                </label>
              ))}
              <FieldError result={result} name="lineId" id={`${id}-lines-error`} />
            </fieldset>
          ) : null}
          <Field
            id={`${id}-amount`}
            name="amount"
            label={t("actions.dispute.amount")}
            error={fieldError(result, "amount")}
            aria-invalid={err("amount")}
            inputMode="decimal"
          />
          <div className="field">
            <label htmlFor={`${id}-message`}>{t("actions.dispute.message")}</label>
            <textarea
              id={`${id}-message`}
              name="message"
              rows={3}
              maxLength={4000}
              required
              aria-invalid={err("message")}
              aria-describedby={`${id}-message-error`}
            />
            <FieldError result={result} name="message" id={`${id}-message-error`} />
          </div>
          <ActSubmit label={t("actions.dispute.submit")} busy={busy} result={result} id={id} />
        </fetcher.Form>
      )}
    </details>
  );
}

export function ReleaseForm({ url, choices, onDone }: ActFormProps) {
  const { t } = useTranslation("chat");
  const f = useFormat();
  const { fetcher, result, busy, actionIdField } = useAct(onDone);
  const id = useId();
  return (
    <details className="act">
      <summary>{t("actions.release.title")}</summary>
      {choices.heldOrders.length === 0 ? (
        <p className="note">{t("actions.noHeldOrders")}</p>
      ) : (
        <fetcher.Form method="post" action={url}>
          <input type="hidden" name="intent" value="release" />
          {actionIdField}
          <div className="field">
            <label htmlFor={`${id}-order`}>{t("actions.release.order")}</label>
            <select id={`${id}-order`} name="orderId">
              {choices.heldOrders.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.number} · {f.money(o.amount)}
                </option>
              ))}
            </select>
          </div>
          <Field id={`${id}-note`} name="note" label={t("actions.release.note")} maxLength={500} />
          <ActSubmit label={t("actions.release.submit")} busy={busy} result={result} id={id} />
        </fetcher.Form>
      )}
    </details>
  );
}
