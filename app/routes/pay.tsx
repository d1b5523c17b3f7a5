import { useTranslation } from "react-i18next";
import { data, Form, redirect, useNavigation } from "react-router";
import { pageTitle } from "../i18n/meta";
import type { Route } from "./+types/pay";
import invoicesStyles from "../styles/invoices.css?url";
import { requireCustomer } from "../utils/authorize.server";
import { checkPayRequest, createPayment } from "../domain/payments/create-payment.server";
import { paymentsAvailable } from "../domain/payments/stripe-provider.server";
import { minorUnitDigits, SUPPORTED_CURRENCIES, toMinor } from "../domain/money/money";
import { resolveReader } from "../i18n/i18n.server";
import { useFormat } from "../i18n/format";
import { db } from "../utils/db.server";
import { FormAlerts } from "../components/form-alerts";
import { readForm } from "../utils/form-body.server";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: invoicesStyles }];

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "payments:pay.title");

const SHOWN = 100;

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireCustomer(request);
  const url = new URL(request.url);
  const account = await db().account.findUniqueOrThrow({ where: { id: user.accountId }, select: { currency: true } });
  const asked = url.searchParams.get("currency");
  const currency = (SUPPORTED_CURRENCIES as readonly string[]).includes(asked ?? "") ? asked! : account.currency;
  const chosen = url.searchParams.getAll("invoice");
  const where = { accountId: user.accountId, currency, status: { in: ["OPEN" as const, "PARTIALLY_PAID" as const] }, balanceMinor: { gt: 0n } };
  const select = { id: true, number: true, dueOn: true, balanceMinor: true, currency: true };
  const [oldest, picked] = await Promise.all([
    db().invoice.findMany({ where, orderBy: [{ dueOn: "asc" }, { id: "asc" }], take: SHOWN, select }),
    chosen.length ? db().invoice.findMany({ where: { ...where, id: { in: chosen } }, select }) : Promise.resolve([]),
  ]);
  const all = [...picked, ...oldest.filter((o) => !picked.some((p) => p.id === o.id))];
  return {
    currency,
    idempotencyKey: crypto.randomUUID(),
    truncated: oldest.length === SHOWN,
    chosen: picked.map((p) => p.id),
    invoices: all.map((i) => ({ id: i.id, number: i.number, dueOn: i.dueOn.toISOString().slice(0, 10), balance: { amountMinor: toMinor(i.balanceMinor), currency: i.currency } })),
  };
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireCustomer(request);
  const { language, locale } = await resolveReader(request, user);
  const form = await readForm(request);
  // Neither Stripe keys nor the sandbox switched on: say so, and record nothing.
  if (!paymentsAvailable()) return data({ errors: { form: "payments:errors.noProvider" } as Record<string, string> }, { status: 503 });
  // `amount-<invoiceId>` per chosen invoice, as typed (the first of repeated fields counts).
  const amounts: Record<string, string> = Object.create(null);
  for (const [key, value] of form) if (key.startsWith("amount-") && typeof value === "string") amounts[key.slice("amount-".length)] ??= value;
  const invoiceIds = form.getAll("invoiceId").filter((v): v is string => typeof v === "string");
  const result = await checkPayRequest(user.accountId, { idempotencyKey: form.get("idempotencyKey"), currency: form.get("currency"), invoiceIds, amounts }, locale);
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
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
  if (!created.ok) return data({ errors: created.errors }, { status: 409 });
  return redirect(created.url);
}

export default function Pay({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("payments");
  const f = useFormat();
  const navigation = useNavigation();
  const errors: Record<string, string> = actionData?.errors ?? {};
  const { invoices, currency } = loaderData;
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
        <label htmlFor="currency-choice">{t("pay.currency")}</label>
        <select id="currency-choice" name="currency" defaultValue={currency}>
          {SUPPORTED_CURRENCIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <button type="submit" className="button">
          {t("pay.showCurrency")}
        </button>
      </Form>
      <FormAlerts error={errors.form && t(errors.form)} testIds={{ error: "pay-error" }} />
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
                  <th scope="col" className="num">{t("pay.balance")}</th>
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
                          defaultChecked={loaderData.chosen.includes(inv.id)}
                          aria-label={`${t("pay.choose")} ${inv.number}`}
                        />
                      </td>
                      <th scope="row">
                        <label htmlFor={`pick-${inv.id}`}>{inv.number}</label>
                      </th>
                      <td>{f.date(inv.dueOn)}</td>
                      <td className="num">{f.money(inv.balance)}</td>
                      <td>
                        <input
                          name={`amount-${inv.id}`}
                          inputMode="decimal"
                          defaultValue={plain(inv.balance.amountMinor)}
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
          <p className="note">{t("pay.secure")}</p>
          <button type="submit" className="button" disabled={navigation.state !== "idle"}>
            {t("pay.submit")}
          </button>
        </Form>
      )}
    </div>
  );
}
