import { useTranslation } from "react-i18next";
import { grantableTermsDays } from "../domain/credit/application-schema";
import { isStaffLevel } from "../domain/authority/approval-limits";
import { data, Link, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/rep.credit.applications.$applicationId";
import { pageTitle } from "../i18n/meta";
import { SubmittedPanel, ScorePanel } from "../components/credit/application-review";
import { DecisionForms } from "../components/credit/decision-forms";
import { accountSummary } from "../domain/accounts/account-summary.server";
import { requireStaff } from "../utils/authorize.server";
import { canActOn, decideApplication, type Decision } from "../domain/credit/decide-application.server";
import { firstUserFor } from "../domain/credit/approve-application.server";
import { applicationToDecide, applicationUnderReview } from "../domain/credit/application-records.server";
import { autoApprovalBlockers, type StoredScore } from "../domain/credit/scorecard";
import { authorityCurrency, convertWithDisclosure } from "../domain/fx/conversion.server";
import { toMinor } from "../domain/money/money";
import { amountErrorKey, parseAmountInput } from "../domain/money/amount-input";
import { resolveReader } from "../i18n/i18n.server";
import { fieldErrorsOf, freeText, type FieldErrors } from "../utils/forms";

import creditStyles from "../styles/credit.css?url";
import { FormAlerts } from "../components/form-alerts";
import { HistoryList } from "../components/history-list";
import { applicationHistory } from "../domain/audit/history.server";
import { readForm } from "../utils/form-body.server";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: creditStyles }];

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.creditApplication");

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireStaff(request);
  const found = await applicationUnderReview(params.applicationId);
  if (!found) throw data({ reason: "not_found" }, { status: 404 });
  const { application } = found;
  const currency = application.currency ?? "USD";
  const m = (v: bigint | null) => (v === null ? null : { amountMinor: toMinor(v), currency });
  const [summary, firstUser] = await Promise.all([application.accountId ? accountSummary(application.accountId) : null, firstUserFor(application)]);
  const breakdown = application.scoreBreakdown as StoredScore | null;
  const requestedMinor = application.requestedLimitMinor === null ? 0 : toMinor(application.requestedLimitMinor);
  // Why a rep is looking at it at all: the scorecard's failed tests, and what the events say.
  const eventKinds = new Set(application.events.map((e) => e.kind));
  const notAutomatic = {
    blockers: breakdown ? autoApprovalBlockers(breakdown, requestedMinor, application.requestedTermsDays ?? 0) : [],
    lowersLimit: eventKinds.has("lowers_limit"),
    firstUserNeeded: eventKinds.has("first_user_needed"),
    repRequest: eventKinds.has("limit_change_requested"),
  };
  // The figure an authority decision is taken on, in the authority currency, with its dated rate.
  const decisionAmount = application.approvedLimitMinor ?? application.requestedLimitMinor;
  const fx = decisionAmount === null ? null : await convertWithDisclosure({ amountMinor: toMinor(decisionAmount), currency }, await authorityCurrency());
  const lastOf = (kind: string) => [...application.events].reverse().find((e) => e.kind === kind) ?? null;
  const question = lastOf("info_requested");
  const answer = lastOf("info_provided");
  const url = new URL(request.url);
  const done = url.searchParams.get("done");
  const level = url.searchParams.get("level");
  return {
    done: done && ["approved", "counter_offered", "escalated", "declined", "info_requested"].includes(done) ? done : null,
    doneLevel: isStaffLevel(level) ? level : null,
    canAct: await canActOn(user, application),
    /** A new company's first portal user: the applicant's email, unless it already signs in elsewhere. */
    firstUser,
    me: { level: user.staffLevel },
    notAutomatic,
    fx,
    questionAndAnswer: question ? { question: question.message, answer: answer && answer.createdAt >= question.createdAt ? answer.message : null } : null,
    application: {
      id: application.id,
      number: application.number,
      status: application.status,
      language: application.language,
      accountId: application.accountId,
      applicantName: application.applicantName,
      applicantEmail: application.applicantEmail,
      companyName: application.companyName,
      taxId: application.taxId,
      country: application.country,
      address: [application.addressLine1, application.city, application.region, application.postalCode].filter(Boolean).join(", "),
      yearsInBusiness: application.yearsInBusiness,
      currency,
      annualRevenue: m(application.annualRevenueMinor),
      requested: m(application.requestedLimitMinor),
      requestedTermsDays: application.requestedTermsDays,
      recommended: m(application.recommendedLimitMinor),
      recommendedTermsDays: application.recommendedTermsDays,
      proposed: m(application.approvedLimitMinor),
      proposedTermsDays: application.approvedTermsDays,
      conditions: application.conditions,
      escalatedToLevel: application.escalatedToLevel,
      bank: { name: application.bankName, last4: application.bankAccountLast4, contact: application.bankContact },
      signature: { name: application.signatureName, at: application.signedAt?.toISOString() ?? null },
      score: application.score,
      breakdown,
      offerExpiresAt: application.offerExpiresAt?.toISOString() ?? null,
      offerExpired: Boolean(application.offerExpiresAt && application.offerExpiresAt.getTime() <= Date.now()),
      autoApproved: eventKinds.has("auto_approved"),
      references: application.references.map((r) => ({ id: r.id, companyName: r.companyName, contactName: r.contactName, email: r.email, phone: r.phone })),
      documents: application.documents.map((d) => ({ id: d.id, fileName: d.fileName, kind: d.kind, sizeBytes: d.sizeBytes })),
      history: await applicationHistory(application),
    },
    summary,
  };
}

const decisionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("approve"),
    limit: freeText().trim().min(1, "credit:errors.required").max(30, "credit:errors.amountInvalid"),
    termsDays: grantableTermsDays,
    conditions: freeText().trim().max(300, "credit:errors.tooLong").optional().default(""),
    reason: freeText().trim().max(500, "credit:errors.tooLong").optional().default(""),
    // Blank keeps the applicant's email; only asked for when a new company's account is set up.
    firstUserEmail: z
      .string()
      .trim()
      .toLowerCase()
      .max(254, "credit:errors.emailInvalid")
      .refine((v) => v === "" || z.email().safeParse(v).success, "credit:errors.emailInvalid")
      .optional()
      .default(""),
    firstUserName: freeText().trim().max(200, "credit:errors.tooLong").optional().default(""),
  }),
  z.object({ intent: z.literal("decline"), declineReason: freeText().trim().min(1, "credit:errors.required").max(500, "credit:errors.tooLong") }),
  z.object({ intent: z.literal("request_info"), infoMessage: freeText().trim().min(1, "credit:errors.required").max(1000, "credit:errors.tooLong") }),
]);

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireStaff(request);
  const application = await applicationToDecide(params.applicationId);
  if (!application) throw data({ reason: "not_found" }, { status: 404 });
  const parsed = decisionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return data({ fieldErrors: fieldErrorsOf(parsed.error), outcome: null, formError: null as string | null }, { status: 400 });
  let decision: Decision;
  if (parsed.data.intent === "approve") {
    const { locale } = await resolveReader(request, user);
    const read = parseAmountInput(parsed.data.limit, locale, application.currency ?? "USD");
    if (!read.ok) return data({ fieldErrors: { limit: amountErrorKey(read.error, locale) } as FieldErrors, outcome: null, formError: null }, { status: 400 });
    const limitMinor = read.amountMinor;
    if (limitMinor <= 0) return data({ fieldErrors: { limit: "credit:errors.amountInvalid" } as FieldErrors, outcome: null, formError: null }, { status: 400 });
    decision = {
      action: "approve",
      limitMinor,
      termsDays: parsed.data.termsDays,
      conditions: parsed.data.conditions,
      reason: parsed.data.reason,
      firstUserEmail: parsed.data.firstUserEmail,
      firstUserName: parsed.data.firstUserName,
    };
  } else if (parsed.data.intent === "decline") {
    decision = { action: "decline", reason: parsed.data.declineReason };
  } else {
    decision = { action: "request_info", message: parsed.data.infoMessage };
  }
  const result = await decideApplication(user, application.id, decision);
  if (!result.ok && result.error === "first_user_email_taken") {
    return data(
      { fieldErrors: { firstUserEmail: "credit:review.errors.first_user_email_taken" } as FieldErrors, outcome: null, formError: null },
      { status: 400 },
    );
  }
  if (!result.ok)
    return data(
      { fieldErrors: {} as FieldErrors, outcome: null, formError: `credit:review.errors.${result.error}` },
      { status: result.error === "not_found" ? 404 : 409 },
    );
  throw redirect(`/rep/credit/applications/${application.id}?done=${result.outcome}${result.requiredLevel ? `&level=${result.requiredLevel}` : ""}`);
}

export default function RepCreditApplication({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("credit");
  const { application: a } = loaderData;
  const errors: FieldErrors = actionData?.fieldErrors ?? {};
  const { done, doneLevel: level } = loaderData;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <p className="eyebrow">
            <Link to="/rep/credit">{t("queue.title")}</Link> · {a.number}
          </p>
          <h1>{a.companyName ?? a.applicantName}</h1>
        </div>
        <span className="status-pill" data-testid="application-status">
          {t(`status.${a.status}`)}
          {a.escalatedToLevel ? ` · ${t("queue.needs", { level: t(`levels.${a.escalatedToLevel}`) })}` : ""}
        </span>
      </div>
      {/* An escalation is not a success: the decision is still to be made, by someone else. */}
      <FormAlerts
        success={done && done !== "escalated" && t(`review.done.${done}`, { level: level ? t(`levels.${level}`) : "" })}
        warning={done === "escalated" && t("review.done.escalated", { level: level ? t(`levels.${level}`) : "" })}
        error={actionData?.formError && t(actionData.formError)}
      />
      <div className="grid-2">
        <SubmittedPanel application={a} />
        <ScorePanel loaderData={loaderData} />
      </div>
      {loaderData.canAct ? (
        <DecisionForms loaderData={loaderData} errors={errors} />
      ) : (
        <p className="alert warn">{a.escalatedToLevel ? t("review.waitingFor", { level: t(`levels.${a.escalatedToLevel}`) }) : t("review.closed")}</p>
      )}
      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title">{t("page.history")}</h2>
        <HistoryList entries={a.history} testId="application-history" />
      </section>
    </div>
  );
}
