import { useTranslation } from "react-i18next";
import { data, Form, redirect, useNavigation } from "react-router";
import { z } from "zod";
import { pageTitle } from "../i18n/meta";
import type { Route } from "./+types/sandbox.stripe.checkout.$sessionId";
import invoicesStyles from "../styles/invoices.css?url";
import { requireCustomer } from "../utils/authorize.server";
import { toMinor } from "../domain/money/money";
import { deliverToWebhook, sandboxEvent } from "../domain/payments/sandbox.server";
import { sandboxActive } from "../domain/payments/stripe-provider.server";
import { useFormat } from "../i18n/format";
import { paymentOfCheckoutSession } from "../domain/payments/checkout-payment.server";
import { Facts } from "../components/facts";
import { readForm } from "../utils/form-body.server";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: invoicesStyles }];

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "payments:sandbox.title", "SANDBOX");

async function sandboxPayment(request: Request, sessionId: string) {
  if (!sandboxActive()) throw data({ reason: "not_found" }, { status: 404 });
  const user = await requireCustomer(request);
  const payment = await paymentOfCheckoutSession(user.accountId, sessionId);
  if (!payment) throw data({ reason: "not_found" }, { status: 404 });
  return payment;
}

export async function loader({ request, params }: Route.LoaderArgs) {
  const payment = await sandboxPayment(request, params.sessionId);
  return {
    reference: payment.number,
    amount: { amountMinor: toMinor(payment.amountMinor), currency: payment.currency },
    open: payment.status === "PENDING" || payment.status === "FAILED",
  };
}

export async function action({ request, params }: Route.ActionArgs) {
  const payment = await sandboxPayment(request, params.sessionId);
  const outcome = z.enum(["pay", "decline"]).safeParse((await readForm(request)).get("outcome"));
  if (!outcome.success) throw data({ reason: "bad_request" }, { status: 400 });
  if (payment.status === "PENDING" || payment.status === "FAILED") {
    await deliverToWebhook(sandboxEvent(payment, outcome.data));
  }
  return redirect(`/payments/${payment.id}`);
}

export default function SandboxCheckout({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("payments");
  const f = useFormat();
  const navigation = useNavigation();
  const amount = f.money(loaderData.amount);
  return (
    <div className="page">
      <div className="alert warn sandbox-banner" role="note" data-testid="sandbox-banner">
        <strong>{t("sandbox.banner")}</strong>
      </div>
      <h1>{t("sandbox.title")}</h1>
      <p className="lead">{t("sandbox.lead")}</p>
      <section className="panel">
        <Facts
          items={[
            { term: t("sandbox.amount"), value: amount, testId: "sandbox-amount" },
            { term: t("sandbox.reference"), value: loaderData.reference },
          ]}
        />
        {loaderData.open ? (
          <Form method="post" className="actions">
            <button type="submit" name="outcome" value="pay" className="button" disabled={navigation.state !== "idle"}>
              {t("sandbox.payButton", { amount })}
            </button>
            <button type="submit" name="outcome" value="decline" className="button secondary" disabled={navigation.state !== "idle"}>
              {t("sandbox.declineButton")}
            </button>
          </Form>
        ) : (
          <p className="note">{t("sandbox.closed")}</p>
        )}
      </section>
    </div>
  );
}
