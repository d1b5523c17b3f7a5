import { useTranslation } from "react-i18next";
import { Form } from "react-router";
import type { Money } from "../../domain/money/money";
import { useFormat } from "../../i18n/format";

export type PromisableInvoice = { id: string; number: string; dueOn: string; balanceMinor: number; currency: string };

/** What a refused promise form sent, shown again so a page without JavaScript keeps it. */
export type PostedPromise = { invoiceIds: string[]; amount: string; promisedFor: string; note: string };

/** A promise for chosen past-due invoices: by a rep on the 360, by the customer on their promises page. */
export function PromiseForm(props: {
  action?: string;
  invoices: PromisableInvoice[];
  today: string;
  maxDaysAhead: number;
  requestKey: string;
  amountExample: string;
  errors?: Record<string, string> | null;
  posted?: PostedPromise | null;
}) {
  const { t } = useTranslation("collections");
  const f = useFormat();
  if (props.invoices.length === 0) return <p className="note">{t("promises.nothingPromisable")}</p>;
  const latest = new Date(Date.parse(`${props.today}T00:00:00Z`) + props.maxDaysAhead * 86_400_000).toISOString().slice(0, 10);
  const error = (name: string) =>
    props.errors?.[name] ? (
      <p className="field-error" id={`promise-${name}-error`}>
        {t(props.errors[name])}
      </p>
    ) : null;
  return (
    <Form method="post" action={props.action} className="promise-form" data-testid="promise-form">
      <input type="hidden" name="intent" value="promise" />
      <input type="hidden" name="requestKey" value={props.requestKey} />
      <fieldset>
        <legend>{t("promises.invoices")}</legend>
        {error("invoiceIds")}
        <table className="data">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">{t("promises.invoices")}</span>
              </th>
              <th scope="col">{t("account.columns.number")}</th>
              <th scope="col">{t("promises.columns.due")}</th>
              <th scope="col" className="num">
                {t("promises.columns.balance")}
              </th>
            </tr>
          </thead>
          <tbody>
            {props.invoices.map((invoice) => {
              const balance: Money = { amountMinor: invoice.balanceMinor, currency: invoice.currency };
              return (
                <tr key={invoice.id}>
                  <td>
                    <input
                      type="checkbox"
                      name="invoiceId"
                      value={invoice.id}
                      id={`promise-invoice-${invoice.id}`}
                      aria-label={invoice.number}
                      defaultChecked={props.posted?.invoiceIds.includes(invoice.id)}
                    />
                  </td>
                  <td>
                    <label htmlFor={`promise-invoice-${invoice.id}`}>{invoice.number}</label>
                  </td>
                  <td>{f.date(`${invoice.dueOn}T12:00:00Z`)}</td>
                  <td className="num">{f.money(balance)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </fieldset>
      <p>
        <label htmlFor="promise-amount">{t("promises.amount")}</label>
        <input
          id="promise-amount"
          name="amount"
          inputMode="decimal"
          required
          defaultValue={props.posted?.amount}
          aria-describedby="promise-amount-hint"
          aria-invalid={props.errors?.amount ? true : undefined}
        />
        <span className="hint" id="promise-amount-hint">
          {t("promises.amountHint", { example: props.amountExample })}
        </span>
      </p>
      {error("amount")}
      <p>
        <label htmlFor="promise-date">{t("promises.promisedFor")}</label>
        <input
          id="promise-date"
          name="promisedFor"
          type="date"
          required
          defaultValue={props.posted?.promisedFor}
          min={props.today}
          max={latest}
          aria-describedby="promise-date-hint"
          aria-invalid={props.errors?.promisedFor ? true : undefined}
        />
        <span className="hint" id="promise-date-hint">
          {t("promises.promisedForHint", { days: props.maxDaysAhead })}
        </span>
      </p>
      {error("promisedFor")}
      <p>
        <label htmlFor="promise-note">{t("promises.note")}</label>
        <input id="promise-note" name="note" maxLength={1000} defaultValue={props.posted?.note} />
      </p>
      {error("note")}
      <button type="submit" className="button primary">
        {t("promises.submit")}
      </button>
    </Form>
  );
}

export type PromiseRow = {
  id: string;
  amountMinor: number;
  currency: string;
  promisedFor: string;
  status: string;
  byCustomer: boolean;
  invoices: string[];
  note: string | null;
};

export function PromiseTable({ promises, showWho }: { promises: PromiseRow[]; showWho: boolean }) {
  const { t } = useTranslation("collections");
  const f = useFormat();
  if (promises.length === 0) return <p className="note">{t("promises.empty")}</p>;
  return (
    <table className="data" data-testid="promise-table">
      <thead>
        <tr>
          <th scope="col" className="num">
            {t("promises.columns.amount")}
          </th>
          <th scope="col">{t("promises.columns.date")}</th>
          <th scope="col">{t("promises.columns.status")}</th>
          <th scope="col">{t("promises.columns.invoices")}</th>
          {showWho ? <th scope="col">{t("promises.columns.who")}</th> : null}
        </tr>
      </thead>
      <tbody>
        {promises.map((p) => (
          <tr key={p.id} data-testid={`promise-${p.id}`}>
            <td className="num">{f.money({ amountMinor: p.amountMinor, currency: p.currency })}</td>
            <td>{f.date(`${p.promisedFor}T12:00:00Z`)}</td>
            <td>
              <span className={`status-pill status-${p.status.toLowerCase()}`}>{t(`promiseStatus.${p.status}`)}</span>
            </td>
            <td>{p.invoices.join(", ")}</td>
            {showWho ? <td>{t(p.byCustomer ? "promises.byCustomer" : "promises.byRep")}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
