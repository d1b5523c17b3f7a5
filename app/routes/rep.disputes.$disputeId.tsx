import { useTranslation } from "react-i18next";
import { data, Form, Link, useNavigation } from "react-router";
import { z } from "zod";
import { pageTitle } from "../i18n/meta";
import type { Route } from "./+types/rep.disputes.$disputeId";
import invoicesStyles from "../styles/invoices.css?url";
import { DisputeFacts, DisputeThread } from "../components/dispute-thread";
import { requireStaff } from "../utils/authorize.server";
import { readFormWithFiles } from "../utils/uploads.server";
import { isOpen, messageSchema, rejectSchema, resolveSchema } from "../domain/disputes/dispute-schemas";
import { assignDispute } from "../domain/disputes/assign-dispute.server";
import { addMessage, replyToCustomer } from "../domain/disputes/dispute-messages.server";
import { disputeFor } from "../domain/disputes/dispute-queries.server";
import { mayActOnEscalation } from "../domain/authority/authority.server";
import { isStaffLevel } from "../domain/authority/approval-limits";
import { approveCreditMemo, rejectDispute, resolveWithCreditMemo } from "../domain/disputes/resolve-dispute.server";
import { amountErrorKey, parseAmountInput } from "../domain/money/amount-input";
import type { Money } from "../domain/money/money";
import { resolveReader } from "../i18n/i18n.server";
import { useFormat } from "../i18n/format";
import { FormAlerts } from "../components/form-alerts";
import { Field, TextAreaField } from "../components/field";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: invoicesStyles }];

export const meta: Route.MetaFunction = ({ matches, data }) => pageTitle(matches, "disputes:rep.queueTitle", data?.dispute.number);

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireStaff(request);
  const dispute = await disputeFor({ role: user.role, accountId: null }, params.disputeId);
  if (!dispute) throw data({ reason: "not_found" }, { status: 404 });
  // The approve button is offered only to a level that may press it (the action checks again).
  const required = dispute.pendingMemo?.requiredLevel;
  const mayApproveMemo = dispute.pendingMemo ? await mayActOnEscalation(user.staffLevel, isStaffLevel(required) ? required : null) : false;
  return { dispute, me: user.id, mayApproveMemo };
}

/** `applied`/`credit`: a posted memo's split between the invoice balance and account credit. */
type ActionResult = { ok: boolean; message?: string; level?: string | null; applied?: Money; credit?: Money; errors: Record<string, string> };

/** What the rep is told after a memo posts: with the split when part of it became account credit. */
function postedResult(result: { applied: Money; credit: Money }): ActionResult {
  if (result.credit.amountMinor === 0) return { ok: true, message: "disputes:rep.posted", errors: {} };
  const message = result.applied.amountMinor > 0 ? "disputes:rep.postedWithCredit" : "disputes:rep.postedAllCredit";
  return { ok: true, message, applied: result.applied, credit: result.credit, errors: {} };
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireStaff(request);
  const dispute = await disputeFor({ role: user.role, accountId: null }, params.disputeId);
  if (!dispute) throw data({ reason: "not_found" }, { status: 404 });
  const actor = { id: user.id, staffLevel: user.staffLevel };
  const read = await readFormWithFiles(request, { field: "attachment", maxFiles: 5 });
  if (!read.ok) return data<ActionResult>({ ok: false, errors: { body: read.error } }, { status: 400 });
  if (read.fileError) return data<ActionResult>({ ok: false, errors: { body: read.fileError } }, { status: 400 });
  const form = read.form;
  const intent = z.enum(["assign", "reply", "note", "resolve", "reject", "approve"]).safeParse(form.get("intent"));
  if (!intent.success) return data<ActionResult>({ ok: false, errors: { form: "disputes:errors.badForm" } }, { status: 400 });
  const fail = (errors: Record<string, string>) => data<ActionResult>({ ok: false, errors }, { status: 400 });
  // Someone else acted first: 409; above the rep's level: 403; otherwise the input was wrong: 400.
  const refused = (result: { error: string; conflict?: boolean; forbidden?: boolean }, field: string) =>
    data<ActionResult>({ ok: false, errors: { [field]: result.error } }, { status: result.conflict ? 409 : result.forbidden ? 403 : 400 });
  switch (intent.data) {
    case "assign":
      if (!(await assignDispute(dispute.id, actor, user.id))) return fail({ form: "disputes:errors.closed" });
      return { ok: true, message: "disputes:rep.assignedOk", errors: {} } satisfies ActionResult;
    case "reply":
    case "note": {
      const parsed = messageSchema.safeParse({ body: form.get("body") });
      const field = intent.data === "note" ? "note" : "body";
      if (!parsed.success) return fail({ [field]: parsed.error.issues[0].message });
      if (intent.data === "reply") await replyToCustomer({ disputeId: dispute.id, actor, body: parsed.data.body, files: read.files });
      else
        await addMessage({
          disputeId: dispute.id,
          authorId: user.id,
          body: parsed.data.body,
          internal: true,
          files: read.files,
          accountId: dispute.account.id,
        });
      return { ok: true, message: "disputes:rep.noted", errors: {} } satisfies ActionResult;
    }
    case "resolve": {
      const parsed = resolveSchema.safeParse({ amount: form.get("amount"), resolution: form.get("resolution") });
      if (!parsed.success) {
        const errors: Record<string, string> = {};
        for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
        return fail(errors);
      }
      const { locale } = await resolveReader(request, user);
      const read = parseAmountInput(parsed.data.amount, locale, dispute.amount.currency);
      if (!read.ok) return fail({ amount: amountErrorKey(read.error, locale) });
      const amountMinor = read.amountMinor;
      if (amountMinor <= 0) return fail({ amount: "disputes:errors.amount" });
      const result = await resolveWithCreditMemo({ disputeId: dispute.id, actor, amountMinor, resolution: parsed.data.resolution });
      if (!result.ok) return refused(result, result.conflict ? "form" : "amount");
      return result.posted
        ? postedResult(result)
        : ({ ok: true, message: "disputes:rep.escalated", level: result.requiredLevel ?? null, errors: {} } satisfies ActionResult);
    }
    case "reject": {
      const parsed = rejectSchema.safeParse({ resolution: form.get("resolution") });
      if (!parsed.success) return fail({ rejectResolution: parsed.error.issues[0].message });
      const result = await rejectDispute({ disputeId: dispute.id, actor, resolution: parsed.data.resolution });
      if (!result.ok) return refused(result, "form");
      return { ok: true, message: "disputes:rep.rejected", errors: {} } satisfies ActionResult;
    }
    case "approve": {
      const result = await approveCreditMemo({ disputeId: dispute.id, actor });
      if (!result.ok) return refused(result, "form");
      return postedResult(result);
    }
  }
}

export default function RepDisputeDetail({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("disputes");
  const f = useFormat();
  const navigation = useNavigation();
  const { dispute } = loaderData;
  const result = actionData as ActionResult | undefined;
  const errors = result?.errors ?? {};
  const open = isOpen(dispute.status);
  const busy = navigation.state !== "idle";
  return (
    <div className="page">
      <p>
        <Link to="/rep/disputes">← {t("rep.back")}</Link>
      </p>
      <div className="page-head">
        <div>
          <p className="eyebrow">
            <Link to={`/rep/accounts/${dispute.account.id}`}>{dispute.account.legalName}</Link> · {t("detail.invoice")} {dispute.invoice.number} ·{" "}
            {dispute.language.toUpperCase()}
          </p>
          <h1>{t("detail.title", { number: dispute.number })}</h1>
        </div>
      </div>
      <FormAlerts
        status={
          result?.ok &&
          result.message &&
          t(result.message, {
            level: result.level ? t(`levels.${result.level}`) : "",
            applied: result.applied ? f.money(result.applied) : "",
            credit: result.credit ? f.money(result.credit) : "",
          })
        }
        error={errors.form && t(errors.form)}
        testIds={{ status: "rep-dispute-result" }}
      />
      <section className="panel">
        <DisputeFacts dispute={dispute} />
        <p>
          {t("rep.assigned")}: {dispute.assignedTo?.name ?? t("rep.nobody")}
        </p>
        {open && dispute.assignedTo?.id !== loaderData.me ? (
          <Form method="post">
            <button type="submit" name="intent" value="assign" className="button" disabled={busy}>
              {t("rep.assignMe")}
            </button>
          </Form>
        ) : null}
      </section>
      {dispute.pendingMemo ? (
        <section className="panel" aria-labelledby="approve-title">
          <h2 id="approve-title">{t("rep.approveTitle")}</h2>
          <p>
            {t("rep.approveText", {
              number: dispute.pendingMemo.number,
              amount: f.money(dispute.pendingMemo.amount),
              level: dispute.pendingMemo.requiredLevel ? t(`levels.${dispute.pendingMemo.requiredLevel}`) : "",
            })}
          </p>
          {loaderData.mayApproveMemo ? (
            <Form method="post">
              <button type="submit" name="intent" value="approve" className="button" disabled={busy}>
                {t("rep.approve")}
              </button>
            </Form>
          ) : (
            <p className="note">{t("rep.approveNotYours")}</p>
          )}
        </section>
      ) : null}
      <section className="panel" aria-labelledby="thread-title">
        <h2 id="thread-title">{t("detail.thread")}</h2>
        <DisputeThread dispute={dispute} viewer="staff" />
      </section>
      {open ? (
        <div className="grid-2">
          <section className="panel" aria-labelledby="reply-title">
            <h2 id="reply-title">{t("rep.replyTitle")}</h2>
            <Form method="post" encType="multipart/form-data">
              <TextAreaField name="body" label={t("detail.replyLabel")} rows={4} error={errors.body} />
              <Field name="attachment" id="reply-attachment" label={t("detail.attach")} type="file" multiple accept="application/pdf,image/png,image/jpeg" />
              <button type="submit" name="intent" value="reply" className="button" disabled={busy}>
                {t("detail.send")}
              </button>
            </Form>
            <h2 id="note-title">{t("rep.noteTitle")}</h2>
            <Form method="post">
              <TextAreaField name="body" id="note" label={t("rep.internal")} hint={t("rep.noteHint")} error={errors.note} />
              <button type="submit" name="intent" value="note" className="button secondary" disabled={busy}>
                {t("rep.internal")}
              </button>
            </Form>
          </section>
          <section className="panel" aria-labelledby="resolve-title">
            {!dispute.pendingMemo ? (
              <>
                <h2 id="resolve-title">{t("rep.resolveTitle")}</h2>
                <Form method="post">
                  <Field
                    name="amount"
                    label={t("rep.memoAmount")}
                    hint={
                      <>
                        {t("rep.invoiceBalance")}: {f.money(dispute.invoice.balance)} · {t("rep.creditable")}:{" "}
                        <span data-testid="dispute-creditable">{f.money(dispute.creditable)}</span>
                      </>
                    }
                    inputMode="decimal"
                    error={errors.amount}
                  />
                  <TextAreaField name="resolution" label={t("rep.resolution")} error={errors.resolution} />
                  <button type="submit" name="intent" value="resolve" className="button" disabled={busy}>
                    {t("rep.resolve")}
                  </button>
                </Form>
              </>
            ) : (
              <h2 id="resolve-title">{t("rep.rejectTitle")}</h2>
            )}
            {!dispute.pendingMemo ? <h2>{t("rep.rejectTitle")}</h2> : null}
            <Form method="post">
              <TextAreaField name="resolution" id="reject-resolution" label={t("rep.resolution")} error={errors.rejectResolution} />
              <button type="submit" name="intent" value="reject" className="button secondary" disabled={busy}>
                {t("rep.reject")}
              </button>
            </Form>
          </section>
        </div>
      ) : null}
    </div>
  );
}
