import { useTranslation } from "react-i18next";
import { data, Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/rep.collections.write-offs";
import { WriteOffForm } from "../components/collections/write-off-form";
import { CollectionsNav } from "../components/collections/collections-nav";
import { FormAlerts } from "../components/form-alerts";
import { requireStaff, safeRedirectPath } from "../utils/authorize.server";
import { decideWriteOff, invoiceOfAccountByNumber, proposeWriteOff, writeOffQueue } from "../domain/collections/write-offs.server";
import { amountErrorKey, parseAmountInput } from "../domain/money/amount-input";
import { useFormat } from "../i18n/format";
import { resolveReader } from "../i18n/i18n.server";
import { pageTitle } from "../i18n/meta";
import { readForm } from "../utils/form-body.server";
import { fieldErrorsOf, freeText } from "../utils/forms";

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "dunning:writeOffs.title");

const DONE = ["posted", "queued", "approve", "reject"] as const;

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireStaff(request);
  const done = new URL(request.url).searchParams.get("done");
  return { queue: await writeOffQueue(user.staffLevel), done: DONE.find((d) => d === done) ?? null };
}

const proposeSchema = z.object({
  intent: z.literal("propose"),
  accountId: z.string().min(1).max(40),
  invoiceNumber: z.string().trim().min(1, "dunning:writeOffs.errors.not_found").max(40),
  amount: z.string().max(40),
  reason: freeText().trim().min(3, "dunning:writeOffs.errors.reason").max(500, "dunning:writeOffs.errors.reason"),
  returnTo: z.string().max(200).optional(),
});
const decideSchema = z.object({
  intent: z.enum(["approve", "reject"]),
  requestId: z.string().min(1).max(40),
  note: freeText().trim().max(500, "dunning:writeOffs.errors.reason").optional().default(""),
});

/** How a refused write-off answers over HTTP. */
function writeOffStatus(error: string): number {
  return error === "not_found" ? 404 : error === "forbidden" ? 403 : error === "amount_too_high" ? 400 : 409;
}

/** A refused proposal carries what was sent, so the page shows the form again, filled in, beside the reason. */
type ActionAnswer = { error: string; proposal?: { accountId: string; returnTo: string; invoiceNumber: string; amount: string; reason: string } };

export async function action({ request }: Route.ActionArgs) {
  const user = await requireStaff(request);
  const form = Object.fromEntries(await readForm(request));
  if (form.intent === "propose") {
    const text = (name: string) => (typeof form[name] === "string" ? (form[name] as string).slice(0, 500) : "");
    const proposal = {
      accountId: text("accountId"),
      returnTo: safeRedirectPath(text("returnTo"), ""),
      invoiceNumber: text("invoiceNumber"),
      amount: text("amount"),
      reason: text("reason"),
    };
    const refused = (error: string | undefined, status: number) =>
      data<ActionAnswer>({ error: error ?? "dunning:writeOffs.errors.not_found", proposal }, { status });
    const parsed = proposeSchema.safeParse(form);
    if (!parsed.success) return refused(Object.values(fieldErrorsOf(parsed.error))[0], 400);
    const invoice = await invoiceOfAccountByNumber(parsed.data.accountId, parsed.data.invoiceNumber);
    if (!invoice) return refused("dunning:writeOffs.errors.not_found", 404);
    const { locale } = await resolveReader(request, user);
    const amount = parseAmountInput(parsed.data.amount, locale, invoice.currency);
    if (!amount.ok) return refused(amountErrorKey(amount.error, locale), 400);
    if (amount.amountMinor <= 0) return refused("dunning:writeOffs.errors.amount", 400);
    const result = await proposeWriteOff({ actor: user, invoiceId: invoice.id, amountMinor: amount.amountMinor, reason: parsed.data.reason });
    if (!result.ok) return refused(`dunning:writeOffs.errors.${result.error}`, writeOffStatus(result.error));
    const back = safeRedirectPath(parsed.data.returnTo, "/rep/collections/write-offs");
    throw redirect(`${back}${back.includes("?") ? "&" : "?"}writeOff=${result.posted ? "posted" : "queued"}`);
  }
  const parsed = decideSchema.safeParse(form);
  if (!parsed.success)
    return data<ActionAnswer>({ error: Object.values(fieldErrorsOf(parsed.error))[0] ?? "dunning:writeOffs.errors.not_found" }, { status: 400 });
  const result = await decideWriteOff({ actor: user, requestId: parsed.data.requestId, decision: parsed.data.intent, note: parsed.data.note });
  if (!result.ok) return data<ActionAnswer>({ error: `dunning:writeOffs.errors.${result.error}` }, { status: writeOffStatus(result.error) });
  throw redirect(`/rep/collections/write-offs?done=${result.decision}`);
}

export default function RepWriteOffs({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["dunning", "credit"]);
  const f = useFormat();
  return (
    <div className="page">
      <CollectionsNav />
      <div className="page-head">
        <h1>{t("writeOffs.title")}</h1>
      </div>
      {actionData?.proposal?.accountId ? (
        <WriteOffForm
          accountId={actionData.proposal.accountId}
          returnTo={actionData.proposal.returnTo || "/rep/collections/write-offs"}
          typed={actionData.proposal}
          error={actionData.error}
        />
      ) : (
        <FormAlerts success={loaderData.done && t(`writeOffs.done.${loaderData.done}`)} error={actionData?.error && t(actionData.error)} />
      )}
      <section className="panel" aria-labelledby="write-off-queue-title">
        <h2 id="write-off-queue-title">{t("writeOffs.queueTitle", { count: loaderData.queue.length })}</h2>
        {loaderData.queue.length === 0 ? (
          <p>{t("writeOffs.empty")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("writeOffs.account")}</th>
                  <th scope="col">{t("writeOffs.invoice")}</th>
                  <th scope="col" className="num">
                    {t("writeOffs.amount")}
                  </th>
                  <th scope="col" className="num">
                    {t("writeOffs.balance")}
                  </th>
                  <th scope="col">{t("writeOffs.reason")}</th>
                  <th scope="col">{t("writeOffs.requestedBy")}</th>
                  <th scope="col">{t("writeOffs.decide")}</th>
                </tr>
              </thead>
              <tbody>
                {loaderData.queue.map((r) => (
                  <tr key={r.id} data-testid={`write-off-${r.id}`}>
                    <td>{r.account?.legalName}</td>
                    <td>{r.invoice?.number}</td>
                    <td className="num">{f.money(r.amount)}</td>
                    <td className="num">{r.invoice ? f.money(r.invoice.balance) : ""}</td>
                    <td>{r.reason}</td>
                    <td>
                      {r.requestedBy} · {r.requiredLevel ? t(`credit:levels.${r.requiredLevel}`) : ""}
                    </td>
                    <td>
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="requestId" value={r.id} />
                        <label htmlFor={`note-${r.id}`} className="visually-hidden">
                          {t("writeOffs.note")}
                        </label>
                        <input id={`note-${r.id}`} name="note" maxLength={500} placeholder={t("writeOffs.note")} />{" "}
                        {/* Paid or written down since it was asked for: approving would be refused, so only rejecting is offered. */}
                        {r.invoice && r.amount.amountMinor > r.invoice.balance.amountMinor ? (
                          <span className="hint">{t("writeOffs.moreThanBalanceNow")}</span>
                        ) : (
                          <button type="submit" name="intent" value="approve" className="button">
                            {t("writeOffs.approve")}
                          </button>
                        )}{" "}
                        <button type="submit" name="intent" value="reject" className="button">
                          {t("writeOffs.reject")}
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
