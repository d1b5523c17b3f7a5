import { useTranslation } from "react-i18next";
import { data, redirect } from "react-router";
import type { Route } from "./+types/_customer.promises";
import { pageTitle } from "../i18n/meta";
import { requireCustomer } from "../utils/authorize.server";
import { collectionsPolicy, isoDay } from "../domain/collections/policy.server";
import { createPromise, promisableInvoices, promisesOf } from "../domain/collections/promises.server";
import { amountExample } from "../domain/money/amount-input";
import { toMinor } from "../domain/money/money";
import { resolveReader } from "../i18n/i18n.server";
import { readForm } from "../utils/form-body.server";
import { FormAlerts } from "../components/form-alerts";
import { PromiseForm, PromiseTable, type PostedPromise } from "../components/account-360/promise-form";

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "collections:titles.promises");

/** The customer's own promises to pay and a form to promise for past-due invoices: their account only, from the session. */
export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireCustomer(request);
  const now = new Date();
  const [promises, promisable, policy, reader] = await Promise.all([
    promisesOf(user.accountId),
    promisableInvoices(user.accountId, now),
    collectionsPolicy(),
    resolveReader(request, user),
  ]);
  const url = new URL(request.url);
  return {
    promises: promises.map((p) => ({
      id: p.id,
      amountMinor: toMinor(p.amountMinor),
      currency: p.currency,
      promisedFor: isoDay(p.promisedFor),
      status: p.status,
      byCustomer: p.byCustomer,
      note: p.note,
      invoices: p.invoices.map((i) => i.invoice.number),
    })),
    promisable: promisable.map((i) => ({ id: i.id, number: i.number, dueOn: isoDay(i.dueOn), balanceMinor: toMinor(i.balanceMinor), currency: i.currency })),
    today: isoDay(now),
    maxDaysAhead: policy.promiseMaxDaysAhead,
    requestKey: crypto.randomUUID(),
    amountExample: amountExample(reader.locale),
    saved: url.searchParams.get("saved") === "1",
  };
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireCustomer(request);
  const form = await readForm(request);
  const { locale } = await resolveReader(request, user);
  const posted: PostedPromise = {
    invoiceIds: form.getAll("invoiceId").filter((v): v is string => typeof v === "string"),
    amount: String(form.get("amount") ?? ""),
    promisedFor: String(form.get("promisedFor") ?? ""),
    note: String(form.get("note") ?? ""),
  };
  const result = await createPromise({
    accountId: user.accountId,
    actorId: user.id,
    byCustomer: true,
    ...posted,
    requestKey: String(form.get("requestKey") ?? ""),
    locale,
  });
  // Refused: the form comes back as it was sent (a page without JavaScript is rendered anew from this).
  if (!result.ok) return data({ errors: result.errors, posted }, { status: 400 });
  throw redirect("/promises?saved=1", { status: 303 });
}

export default function Promises({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("collections");
  const errors = actionData?.errors ?? null;
  return (
    <div className="page">
      <h1>{t("promises.title")}</h1>
      <p className="note">{t("promises.customerIntro")}</p>
      <FormAlerts
        success={loaderData.saved ? t("promises.savedShort") : null}
        error={errors ? t("errors.checkFields") : null}
        testIds={{ success: "saved", error: "form-error" }}
      />
      <section className="panel">
        <PromiseTable promises={loaderData.promises} showWho={false} />
      </section>
      <section className="panel">
        <PromiseForm
          invoices={loaderData.promisable}
          today={loaderData.today}
          maxDaysAhead={loaderData.maxDaysAhead}
          requestKey={loaderData.requestKey}
          amountExample={loaderData.amountExample}
          errors={errors}
          posted={actionData?.posted}
        />
      </section>
    </div>
  );
}
