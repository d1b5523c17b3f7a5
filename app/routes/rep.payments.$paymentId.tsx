import { useTranslation } from "react-i18next";
import { data, Form, Link, useNavigation } from "react-router";
import { z } from "zod";
import { pageTitle } from "../i18n/meta";
import type { Route } from "./+types/rep.payments.$paymentId";
import invoicesStyles from "../styles/invoices.css?url";
import { requireStaff } from "../utils/authorize.server";
import { applyUnapplied, paymentForStaff, refundPayment, type Outcome } from "../domain/payments/reconciliation.server";
import { amountErrorKey, parseAmountInput } from "../domain/money/amount-input";
import { resolveReader } from "../i18n/i18n.server";
import { useFormat } from "../i18n/format";
import { FormAlerts } from "../components/form-alerts";
import { Facts } from "../components/facts";
import { SandboxBadge } from "../components/sandbox-badge";
import { HistoryList } from "../components/history-list";
import { readForm } from "../utils/form-body.server";
import { Field } from "../components/field";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: invoicesStyles }];

export const meta: Route.MetaFunction = ({ matches, data }) => pageTitle(matches, "payments:rep.queueTitle", data?.payment.number);

export async function loader({ request, params }: Route.LoaderArgs) {
  await requireStaff(request);
  const payment = await paymentForStaff(params.paymentId);
  if (!payment) throw data({ reason: "not_found" }, { status: 404 });
  // A fresh key per rendered refund form: sending the same form twice makes one refund.
  return { payment, refundKey: crypto.randomUUID() };
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireStaff(request);
  const payment = await paymentForStaff(params.paymentId);
  if (!payment) throw data({ reason: "not_found" }, { status: 404 });
  const form = await readForm(request);
  const intent = z.enum(["apply", "refund"]).safeParse(form.get("intent"));
  const fail = (errors: Record<string, string>, status = 400) => data({ ok: false, errors }, { status });
  if (!intent.success) return fail({ form: "payments:errors.tryAgain" });
  // Amounts are read the way the rep writes numbers, in the payment's currency.
  const { locale } = await resolveReader(request, user);
  const readAmount = (text: string) => parseAmountInput(text, locale, payment.amount.currency);
  const actor = { id: user.id, staffLevel: user.staffLevel };
  const note = String(form.get("note") ?? "");
  let result: Outcome;
  if (intent.data === "apply") {
    // One `amount-<invoiceId>` field per invoice; the ones left blank are not applied to.
    const amounts: { invoiceId: string; amountMinor: number }[] = [];
    for (const [key, value] of form) {
      if (!key.startsWith("amount-") || typeof value !== "string" || value.trim() === "") continue;
      const read = readAmount(value);
      if (!read.ok) return fail({ [key]: amountErrorKey(read.error, locale) });
      amounts.push({ invoiceId: key.slice("amount-".length), amountMinor: read.amountMinor });
    }
    result = await applyUnapplied(params.paymentId, actor, { note, amounts });
  } else {
    const read = readAmount(String(form.get("refundAmount") ?? ""));
    if (!read.ok) return fail({ refundAmount: amountErrorKey(read.error, locale) });
    result = await refundPayment(params.paymentId, actor, { note, amountMinor: read.amountMinor, requestKey: String(form.get("refundKey") ?? "") });
  }
  // Above the rep's authority: 403; someone else (or a resent form) did it first: 409.
  if (!result.ok) return fail(result.errors, result.refusal === "over_authority" ? 403 : result.refusal === "done_meanwhile" ? 409 : 400);
  return { ok: true, errors: {} as Record<string, string> };
}

export default function RepPaymentDetail({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("payments");
  const f = useFormat();
  const navigation = useNavigation();
  const { payment } = loaderData;
  const errors: Record<string, string> = actionData?.errors ?? {};
  const err = (key: string) =>
    errors[key] ? (
      <p className="field-error" role="alert">
        {t(errors[key])}
      </p>
    ) : null;
  const canChange = payment.status === "SUCCEEDED" || payment.status === "PARTIALLY_REFUNDED";
  return (
    <div className="page">
      <p>
        <Link to="/rep/payments">← {t("rep.back")}</Link>
      </p>
      <p className="eyebrow">
        <Link to={`/rep/accounts/${payment.account.id}`}>{payment.account.legalName}</Link>
      </p>
      <h1>
        {t("rep.detailTitle", { reference: payment.number })} <SandboxBadge sandbox={payment.sandbox} />
      </h1>
      <FormAlerts success={actionData?.ok && t("rep.done")} error={errors.form && t(errors.form)} testIds={{ success: "reconcile-result" }} />
      <section className="panel">
        {payment.accountCredit ? (
          <p className="hint" data-testid="rep-payment-account-credit">
            {t("rep.accountCreditLead", { memo: payment.memoNumber ?? "" })}
          </p>
        ) : null}
        <Facts
          items={[
            { term: t("receipt.status"), value: t(`status.${payment.status}`), testId: "rep-payment-status" },
            { term: t("rep.amount"), value: f.money(payment.amount) },
            { term: t("rep.unapplied"), value: f.money(payment.unapplied), testId: "rep-payment-unapplied" },
            { term: t("receipt.refunded"), value: f.money(payment.refunded) },
            payment.flaggedReason && { term: t("rep.flag"), value: t(`rep.flags.${payment.flaggedReason}`, { defaultValue: payment.flaggedReason }) },
          ]}
        />
        {payment.allocations.length ? (
          <table className="data">
            <caption>{t("rep.applied")}</caption>
            <tbody>
              {payment.allocations.map((a, i) => (
                <tr key={i}>
                  <td>{a.number}</td>
                  <td className="num">{f.money(a.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      {canChange ? (
        <div className="grid-2">
          {payment.unapplied.amountMinor > 0 ? (
            <section className="panel" aria-labelledby="apply-title">
              <h2 id="apply-title">{t("rep.applyTitle")}</h2>
              <p className="hint">{t("rep.applyLead")}</p>
              <Form method="post">
                <table className="data">
                  <thead>
                    <tr>
                      <th scope="col">{t("rep.invoice")}</th>
                      <th scope="col">{t("rep.due")}</th>
                      <th scope="col" className="num">
                        {t("rep.balance")}
                      </th>
                      <th scope="col">{t("pay.amount")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {payment.openInvoices.map((inv) => (
                      <tr key={inv.id}>
                        <th scope="row">{inv.number}</th>
                        <td>{f.date(inv.dueOn)}</td>
                        <td className="num">{f.money(inv.balance)}</td>
                        <td>
                          <input name={`amount-${inv.id}`} inputMode="decimal" aria-label={t("rep.amountFor", { number: inv.number })} />
                          {err(`amount-${inv.id}`)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <Field name="note" label={t("rep.note")} error={errors.note} />
                <button type="submit" name="intent" value="apply" className="button" disabled={navigation.state !== "idle"}>
                  {t("rep.apply")}
                </button>
              </Form>
            </section>
          ) : null}
          {payment.accountCredit ? null : (
            <section className="panel" aria-labelledby="refund-title">
              <h2 id="refund-title">{t("rep.refundTitle")}</h2>
              <Form method="post">
                <input type="hidden" name="refundKey" value={loaderData.refundKey} />
                <Field name="refundAmount" label={t("rep.refundAmount")} inputMode="decimal" error={errors.refundAmount} />
                <Field name="note" id="refund-note" label={t("rep.note")} error={errors.refundNote} />
                <button type="submit" name="intent" value="refund" className="button secondary" disabled={navigation.state !== "idle"}>
                  {t("rep.refund")}
                </button>
              </Form>
            </section>
          )}
        </div>
      ) : null}
      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title">{t("rep.history")}</h2>
        <HistoryList entries={payment.history} testId="payment-history" />
      </section>
    </div>
  );
}
