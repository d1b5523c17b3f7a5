import { useTranslation } from "react-i18next";
import { Form, Link } from "react-router";
import type { Route } from "../../routes/+types/_customer.credit";
import { useFormat } from "../../i18n/format";
import { DocumentsPanel } from "../credit-fields";
import { TextAreaField } from "../field";
import { HistoryList } from "../history-list";

type CreditPageData = Route.ComponentProps["loaderData"];

/** What the customer should do next, per status. */
const NEXT_STEP: Record<string, string> = {
  DRAFT: "credit:next.DRAFT",
  SUBMITTED: "credit:next.SUBMITTED",
  IN_REVIEW: "credit:next.IN_REVIEW",
  ESCALATED: "credit:next.IN_REVIEW",
  INFO_REQUESTED: "credit:next.INFO_REQUESTED",
  COUNTER_OFFERED: "credit:next.COUNTER_OFFERED",
  APPROVED: "credit:next.APPROVED",
  DECLINED: "credit:next.DECLINED",
  WITHDRAWN: "credit:next.DECLINED",
};

/** One of the customer's applications: where it stands, the offer or question to answer, its documents and history. */
export function ApplicationCard({
  application: a,
  actionData,
  uploaded,
}: {
  application: CreditPageData["applications"][number];
  actionData: Route.ComponentProps["actionData"];
  uploaded: string | null;
}) {
  const { t } = useTranslation("credit");
  const f = useFormat();
  return (
    <article className="application" aria-labelledby={`app-${a.id}`} data-testid={`application-${a.number}`}>
      <h3 id={`app-${a.id}`}>
        {a.number} · <span className="tag">{t(`status.${a.status}`)}</span>
      </h3>
      <p>
        {t(NEXT_STEP[a.status] ?? "credit:next.IN_REVIEW")}
        {a.status === "DRAFT" ? (
          <>
            {" "}
            <Link to="/credit/apply">{t("page.continueDraft")}</Link>
          </>
        ) : null}
      </p>
      {a.requested ? <p>{t("page.requested", { amount: f.money(a.requested), terms: t("terms.net", { count: a.requestedTermsDays ?? 0 }) })}</p> : null}
      {a.status === "COUNTER_OFFERED" && a.offered ? (
        <div className="alert warn">
          <p>{t("page.counterOffer", { amount: f.money(a.offered), terms: t("terms.net", { count: a.offeredTermsDays ?? 0 }) })}</p>
          {a.conditions ? <p>{t("page.conditions", { conditions: a.conditions })}</p> : null}
          {a.decisionReason ? <p>{a.decisionReason}</p> : null}
          <ul>
            {a.reasons.map((r) => (
              <li key={r.key}>{t(r.key, { ...r.values })}</li>
            ))}
          </ul>
          {a.offerExpiresAt ? <p>{t("page.offerExpires", { date: f.date(a.offerExpiresAt) })}</p> : null}
          {a.offerOpen ? (
            <>
              <Form method="post">
                <input type="hidden" name="intent" value="accept_offer" />
                <input type="hidden" name="applicationId" value={a.id} />
                <button type="submit" className="button primary">
                  {t("page.acceptOffer")}
                </button>
              </Form>
              <Form method="post">
                <input type="hidden" name="intent" value="decline_offer" />
                <input type="hidden" name="applicationId" value={a.id} />
                <TextAreaField name="reason" label={t("page.declineReason")} error={actionData?.fieldErrors?.reason} />
                <button type="submit" className="button">
                  {t("page.declineOffer")}
                </button>
              </Form>
            </>
          ) : (
            <p>{t("page.offerExpired")}</p>
          )}
        </div>
      ) : null}
      {a.status === "APPROVED" && a.offered ? (
        <p>{t("page.approvedAt", { amount: f.money(a.offered), terms: t("terms.net", { count: a.offeredTermsDays ?? 0 }) })}</p>
      ) : null}
      {a.status === "DECLINED" && a.decisionReason ? <p>{t("page.declinedBecause", { reason: a.decisionReason })}</p> : null}
      {a.status === "INFO_REQUESTED" ? (
        <Form method="post">
          <input type="hidden" name="intent" value="answer_info" />
          <input type="hidden" name="applicationId" value={a.id} />
          <TextAreaField name="message" label={t("page.answerLabel")} error={actionData?.fieldErrors?.message} required />
          <button type="submit" className="button primary">
            {t("page.sendAnswer")}
          </button>
        </Form>
      ) : null}
      {a.status !== "APPROVED" && a.status !== "DECLINED" && a.status !== "WITHDRAWN" && a.status !== "DRAFT" ? (
        <DocumentsPanel
          documents={a.documents}
          action="/credit"
          hidden={{ applicationId: a.id }}
          idPrefix={`doc-${a.id}`}
          error={actionData?.uploadFor === a.id ? actionData.fieldErrors?.document : undefined}
          uploaded={uploaded === a.number}
        />
      ) : null}
      <h4>{t("page.history")}</h4>
      <HistoryList entries={a.history} testId="application-history" />
    </article>
  );
}
