import { useTranslation } from "react-i18next";
import { useState } from "react";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import { pageTitle } from "../i18n/meta";
import type { Route } from "./+types/_customer.pay";
import invoicesStyles from "../styles/invoices.css?url";
import { requireCustomer } from "../utils/authorize.server";
import { checkPayRequest, createPayment } from "../domain/payments/create-payment.server";
import { paymentsAvailable } from "../domain/payments/stripe-provider.server";
import { minorUnitDigits, SUPPORTED_CURRENCIES } from "../domain/money/money";
import { resolveReader } from "../i18n/i18n.server";
import { useFormat } from "../i18n/format";
import { payableInvoices } from "../domain/payments/payable-invoices.server";
import { FormAlerts } from "../components/form-alerts";
import { readForm } from "../utils/form-body.server";
import { parseAmountInput } from "../domain/money/amount-input";
import { SelectField } from "../components/field";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: invoicesStyles }];

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "payments:pay.title");

const SHOWN = 100;

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireCustomer(request);
  const url = new URL(request.url);
  const payable = await payableInvoices(user.accountId, {
    currency: url.searchParams.get("currency"),
    chosen: url.searchParams.getAll("invoice"),
    shown: SHOWN,
    // "Select past due" is a plain link (?select=past_due): it works without JavaScript.
    pickPastDue: url.searchParams.get("select") === "past_due",
  });
  return { ...payable, idempotencyKey: crypto.randomUUID() };
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireCustomer(request);
  const { language, locale } = await resolveReader(request, user);
  const form = await readForm(request);
  // `amount-<invoiceId>` per invoice row, as typed (the first of repeated fields counts).
  const amounts: Record<string, string> = Object.create(null);
  for (const [key, value] of form) if (key.startsWith("amount-") && typeof value === "string") amounts[key.slice("amount-".length)] ??= value;
  const invoiceIds = form.getAll("invoiceId").filter((v): v is string => typeof v === "string");
  // A refused form comes back as it was sent: without JavaScript the page is rendered anew
  // from this, and a field reset to the full balance would be paid in full if resent.
  const refused = (errors: Record<string, string>, status: number) => data({ errors, posted: { invoiceIds, amounts } }, { status });
  // Neither Stripe keys nor the sandbox switched on: say so, and record nothing.
  if (!paymentsAvailable()) return refused({ form: "payments:errors.noProvider" }, 503);
  const result = await checkPayRequest(
    user.accountId,
    { idempotencyKey: form.get("idempotencyKey"), currency: form.get("currency"), invoiceIds, amounts },
    locale,
  );
  if (!result.ok) return refused(result.errors, 400);
  const created = await createPayment({
    accountId: user.accountId,
    userId: user.id,
    email: user.email,
    language,
    currency: result.currency,
    idempotencyKey: result.idempotencyKey,
    items: result.items,
    description: `Customer Accounts · ${user.account?.number ?? ""}`,
  });
  if (!created.ok) return refused(created.errors, 409);
  return redirect(created.url);
}

export default function Pay({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("payments");
  const f = useFormat();
  const navigation = useNavigation();
  const errors: Record<string, string> = actionData?.errors ?? {};
  const { invoices, currency } = loaderData;
  // After a refused post, what was sent (ticks and amounts as typed); otherwise the preselection and full balances.
  const posted = actionData?.posted;
  const ticked = posted ? posted.invoiceIds : loaderData.chosen;
  // The running total of what is ticked; the server render shows the preselected (or posted) total.
  const [picked, setPicked] = useState<Set<string>>(() => new Set(ticked));
  const [typed, setTyped] = useState<Record<string, string>>(() => ({ ...posted?.amounts }));
  const plain = (minor: number) => {
    const digits = minorUnitDigits(currency);
    return new Intl.NumberFormat(f.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false }).format(minor / 10 ** digits);
  };
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{t("pay.title")}</h1>
          <p className="lead">{t("pay.lead")}</p>
        </div>
      </div>
      <Form method="get" className="inline-form">
        <SelectField
          name="currency"
          id="currency-choice"
          label={t("pay.currency")}
          choose={false}
          defaultValue={currency}
          options={SUPPORTED_CURRENCIES.map((c) => ({ value: c, label: c }))}
        />
        <button type="submit" className="button">
          {t("pay.showCurrency")}
        </button>
      </Form>
      <FormAlerts error={errors.form && t(errors.form)} testIds={{ error: "pay-error" }} />
      {invoices.some((i) => i.pastDue) ? (
        <p>
          <Link to={`/pay?currency=${currency}&select=past_due`} className="button" data-testid="select-past-due">
            {t("pay.selectPastDue")}
          </Link>
        </p>
      ) : null}
      {invoices.length === 0 ? (
        <p className="note">{t("pay.none")}</p>
      ) : (
        <Form method="post" className="panel">
          <input type="hidden" name="idempotencyKey" value={loaderData.idempotencyKey} />
          <input type="hidden" name="currency" value={currency} />
          {loaderData.truncated ? <p className="note">{t("pay.shown", { count: invoices.length })}</p> : null}
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("pay.choose")}</th>
                  <th scope="col">{t("pay.invoice")}</th>
                  <th scope="col">{t("pay.due")}</th>
                  <th scope="col" className="num">
                    {t("pay.balance")}
                  </th>
                  <th scope="col">{t("pay.amount")}</th>
                </tr>
              </thead>
              <tbody>
                {invoices.map((inv) => {
                  const amountError = errors[`amount-${inv.id}`];
                  return (
                    <tr key={inv.id} data-testid={`pay-row-${inv.number}`}>
                      <td>
                        <input
                          type="checkbox"
                          id={`pick-${inv.id}`}
                          name="invoiceId"
                          value={inv.id}
                          defaultChecked={ticked.includes(inv.id)}
                          onChange={(e) => {
                            const next = new Set(picked);
                            if (e.target.checked) next.add(inv.id);
                            else next.delete(inv.id);
                            setPicked(next);
                          }}
                          aria-label={`${t("pay.choose")} ${inv.number}`}
                        />
                      </td>
                      <th scope="row">
                        <label htmlFor={`pick-${inv.id}`}>{inv.number}</label>
                      </th>
                      <td>{f.date(inv.dueOn)}</td>
                      <td className="num">
                        {f.money(inv.balance)}
                        {inv.disputed.amountMinor > 0 ? <span className="figure-note"> · {t("pay.inDispute", { amount: f.money(inv.disputed) })}</span> : null}
                      </td>
                      <td>
                        <input
                          name={`amount-${inv.id}`}
                          inputMode="decimal"
                          defaultValue={posted?.amounts[inv.id] ?? plain(inv.payable.amountMinor)}
                          onChange={(e) => setTyped({ ...typed, [inv.id]: e.target.value })}
                          aria-label={t("pay.amountFor", { number: inv.number })}
                          aria-invalid={amountError ? true : undefined}
                          aria-describedby={amountError ? `amount-${inv.id}-error` : undefined}
                        />
                        {amountError ? (
                          <p id={`amount-${inv.id}-error`} className="field-error" role="alert">
                            {t(amountError)}
                          </p>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p data-testid="pay-total">
            {t("pay.total")}{" "}
            <output>
              {f.money({
                currency,
                amountMinor: invoices
                  .filter((i) => picked.has(i.id))
                  .reduce((sum, i) => {
                    const read = typed[i.id] === undefined ? null : parseAmountInput(typed[i.id], f.locale, currency);
                    return sum + (read === null ? i.payable.amountMinor : read.ok ? read.amountMinor : 0);
                  }, 0),
              })}
            </output>
          </p>
          <p className="note">{t("pay.secure")}</p>
          <button type="submit" className="button" disabled={navigation.state !== "idle"}>
            {t("pay.submit")}
          </button>
        </Form>
      )}
    </div>
  );
}
