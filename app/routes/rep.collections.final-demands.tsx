import { useTranslation } from "react-i18next";
import { data, Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/rep.collections.final-demands";
import { CollectionsNav } from "../components/collections/collections-nav";
import { FormAlerts } from "../components/form-alerts";
import { requireStaff } from "../utils/authorize.server";
import { dunningExceptions } from "../domain/collections/dunning.server";
import { finalDemandHistory, finalDemandRule, generateFinalDemand, recommendedFinalDemands, referToAgency } from "../domain/collections/final-demand.server";
import { useFormat } from "../i18n/format";
import { pageTitle } from "../i18n/meta";
import { readForm } from "../utils/form-body.server";
import { fieldErrorsOf, freeText } from "../utils/forms";

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "dunning:finalDemand.title");

export async function loader({ request }: Route.LoaderArgs) {
  await requireStaff(request);
  const done = new URL(request.url).searchParams.get("done");
  const [rule, recommended, exceptions] = await Promise.all([finalDemandRule(), recommendedFinalDemands(), dunningExceptions()]);
  const history = await finalDemandHistory(recommended.map((r) => r.accountId));
  return {
    rule,
    recommended: recommended.map(({ invoices, ...r }) => ({ ...r, invoiceCount: invoices.length })),
    history,
    exceptions,
    done: done === "generated" || done === "referred" ? done : null,
  };
}

const schema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("generate"), accountId: z.string().min(1).max(40) }),
  z.object({
    intent: z.literal("refer"),
    accountId: z.string().min(1).max(40),
    agencyName: freeText().trim().min(2, "dunning:finalDemand.errors.agency").max(120, "dunning:finalDemand.errors.agency"),
    reason: freeText().trim().min(3, "dunning:finalDemand.errors.reason").max(500, "dunning:finalDemand.errors.reason"),
  }),
]);

/** How a refused letter or referral answers over HTTP. */
function finalDemandStatus(error: string): number {
  return error === "not_found" ? 404 : 409;
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireStaff(request);
  const parsed = schema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return data({ error: Object.values(fieldErrorsOf(parsed.error))[0] ?? "dunning:finalDemand.errors.not_found" }, { status: 400 });
  const result = parsed.data.intent === "generate" ? await generateFinalDemand(user, parsed.data.accountId) : await referToAgency(user, parsed.data);
  if (!result.ok) return data({ error: `dunning:finalDemand.errors.${result.error}` }, { status: finalDemandStatus(result.error) });
  throw redirect(`/rep/collections/final-demands?done=${parsed.data.intent === "generate" ? "generated" : "referred"}`);
}

export default function FinalDemands({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["dunning", "mail"]);
  const f = useFormat();
  const { rule, recommended, history, exceptions } = loaderData;
  return (
    <div className="page">
      <CollectionsNav />
      <div className="page-head">
        <h1>{t("finalDemand.title")}</h1>
      </div>
      <FormAlerts success={loaderData.done && t(`finalDemand.done.${loaderData.done}`)} error={actionData?.error && t(actionData.error)} />
      <section className="panel" aria-labelledby="recommended-title">
        <h2 id="recommended-title">{t("finalDemand.recommendedTitle")}</h2>
        <p>{t("finalDemand.recommendedHelp", { days: rule.minDaysPastDue, amount: f.money({ amountMinor: rule.minAmountMinor, currency: rule.currency }) })}</p>
        {recommended.length === 0 ? (
          <p>{t("finalDemand.none")}</p>
        ) : (
          recommended.map((r) => {
            const letters = history.letters.filter((l) => l.accountId === r.accountId);
            const referrals = history.referrals.filter((x) => x.accountId === r.accountId);
            return (
              <article key={r.accountId} className="panel" data-testid={`final-demand-${r.number}`}>
                <h3>
                  <a href={`/rep/accounts/${r.accountId}`}>{r.legalName}</a> · {r.number}
                </h3>
                <p>
                  {t("finalDemand.pastDue", { days: rule.minDaysPastDue })}: {f.money(r.pastDue)} · {t("finalDemand.oldest")}: {r.oldestDays}
                </p>
                {letters.map((l) => (
                  <p key={l.id}>
                    <strong>{t("finalDemand.flagged", { date: f.date(l.createdAt) })}</strong> ·{" "}
                    <a href={`/collections/letters/${l.id}`}>{t("finalDemand.download", { date: f.date(l.createdAt) })}</a>
                  </p>
                ))}
                {referrals.map((x) => (
                  <p key={x.id}>{t("finalDemand.referred", { agency: x.agencyName, date: f.date(x.createdAt), by: x.decidedBy, reason: x.reason })}</p>
                ))}
                <Form method="post" className="inline-form">
                  <input type="hidden" name="accountId" value={r.accountId} />
                  <button type="submit" name="intent" value="generate" className="button">
                    {t("finalDemand.generate")}
                  </button>
                </Form>
                {letters.length > 0 && (
                  <Form method="post" className="stacked-form">
                    <h4>{t("finalDemand.referTitle")}</h4>
                    <input type="hidden" name="accountId" value={r.accountId} />
                    <label htmlFor={`agency-${r.accountId}`}>{t("finalDemand.agency")}</label>
                    <input id={`agency-${r.accountId}`} name="agencyName" required maxLength={120} />
                    <label htmlFor={`reason-${r.accountId}`}>{t("finalDemand.reason")}</label>
                    <textarea id={`reason-${r.accountId}`} name="reason" required maxLength={500} rows={2} />
                    <button type="submit" name="intent" value="refer" className="button">
                      {t("finalDemand.refer")}
                    </button>
                  </Form>
                )}
              </article>
            );
          })
        )}
      </section>
      <section className="panel" aria-labelledby="exceptions-title">
        <h2 id="exceptions-title">{t("finalDemand.exceptionsTitle")}</h2>
        <p>{t("finalDemand.exceptionsHelp")}</p>
        {exceptions.length === 0 ? (
          <p>{t("finalDemand.noExceptions")}</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("finalDemand.account")}</th>
                <th scope="col">{t("finalDemand.invoice")}</th>
                <th scope="col">{t("finalDemand.step")}</th>
                <th scope="col">{t("finalDemand.date")}</th>
              </tr>
            </thead>
            <tbody>
              {exceptions.map((e) => (
                <tr key={e.id}>
                  <td>{e.account ? <a href={`/rep/accounts/${e.account.id}`}>{e.account.legalName}</a> : ""}</td>
                  <td>{e.invoice?.number}</td>
                  <td>{t(`mail:dunning_notice.steps.${e.step}`, { defaultValue: e.step })}</td>
                  <td>{f.date(e.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
