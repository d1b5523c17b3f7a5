import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/rep.credit.held-orders";
import { ReleaseConditionText } from "../components/release-condition";
import { pageTitle } from "../i18n/meta";
import { requireStaff } from "../utils/authorize.server";
import { actOnHeldOrder, heldOrderWorklist } from "../domain/credit/holds.server";
import { useFormat } from "../i18n/format";
import { fieldErrorsOf, freeText } from "../utils/forms";

import creditStyles from "../styles/credit.css?url";
import { FormAlerts } from "../components/form-alerts";
import { readForm } from "../utils/form-body.server";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: creditStyles }];

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.heldOrders");

export async function loader({ request }: Route.LoaderArgs) {
  await requireStaff(request);
  const url = new URL(request.url);
  const done = url.searchParams.get("done");
  return { orders: await heldOrderWorklist(), done: done && ["released", "kept", "payment_requested"].includes(done) ? done : null };
}

const schema = z.object({
  orderId: z.string().min(1).max(40),
  intent: z.enum(["release", "keep", "request_payment"]),
  note: freeText().trim().max(500, "credit:errors.tooLong").optional().default(""),
});

export async function action({ request }: Route.ActionArgs) {
  const user = await requireStaff(request);
  const parsed = schema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success)
    return data(
      { fieldErrors: fieldErrorsOf(parsed.error), formError: null as string | null, level: null as string | null, orderId: null as string | null },
      { status: 400 },
    );
  const result = await actOnHeldOrder(user, parsed.data.orderId, parsed.data.intent, parsed.data.note);
  if (!result.ok) {
    return data(
      {
        fieldErrors: {} as Record<string, string>,
        formError: `credit:heldWork.errors.${result.error}`,
        level: result.requiredLevel ?? null,
        orderId: parsed.data.orderId,
      },
      { status: result.error === "not_found" ? 404 : result.error === "over_authority" ? 403 : 409 },
    );
  }
  throw redirect(`/rep/credit/held-orders?done=${result.action}`);
}

export default function RepHeldOrders({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("credit");
  const f = useFormat();
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <p className="eyebrow">
            <Link to="/rep/credit">{t("queue.title")}</Link>
          </p>
          <h1>{t("heldWork.title")}</h1>
        </div>
      </div>
      <FormAlerts
        success={loaderData.done && t(`heldWork.done.${loaderData.done}`)}
        error={actionData?.formError && t(actionData.formError, { level: actionData.level ? t(`levels.${actionData.level}`) : "" })}
      />
      <section className="panel" aria-labelledby="held-list-title">
        <h2 id="held-list-title">{t("heldWork.listTitle", { count: loaderData.orders.length })}</h2>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("held.order")}</th>
                <th scope="col">{t("heldWork.account")}</th>
                <th scope="col" className="num">
                  {t("held.amount")}
                </th>
                <th scope="col">{t("held.reason")}</th>
                <th scope="col">{t("held.clears")}</th>
                <th scope="col">{t("heldWork.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {loaderData.orders.map((o) => (
                <tr key={o.id} data-testid={`held-${o.number}`}>
                  <td>{o.number}</td>
                  <td>
                    <Link to={`/rep/accounts/${o.account.id}`}>{o.account.legalName}</Link>
                    <br />
                    <Link to={`/rep/credit/accounts/${o.account.id}`} className="small-link">
                      {t("limitChange.link")}
                    </Link>
                  </td>
                  <td className="num">{f.money(o.amount)}</td>
                  <td>{t(`holdReason.${o.reason ?? "OVER_LIMIT"}`)}</td>
                  <td>
                    <ReleaseConditionText condition={o.clears} reader="staff" />
                  </td>
                  <td>
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="orderId" value={o.id} />
                      <label htmlFor={`note-${o.id}`} className="visually-hidden">
                        {t("heldWork.note", { order: o.number })}
                      </label>
                      <input id={`note-${o.id}`} name="note" placeholder={t("heldWork.notePlaceholder")} maxLength={500} />{" "}
                      <button type="submit" name="intent" value="release" className="button">
                        {t("heldWork.release")}
                      </button>{" "}
                      <button type="submit" name="intent" value="keep" className="button">
                        {t("heldWork.keep")}
                      </button>{" "}
                      <button type="submit" name="intent" value="request_payment" className="button">
                        {t("heldWork.requestPayment")}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
