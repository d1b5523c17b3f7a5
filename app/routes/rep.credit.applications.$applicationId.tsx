import { useTranslation } from "react-i18next";
import { GRANTABLE_TERMS_DAYS, grantableTermsDays } from "../domain/credit/application-schema";
import { isStaffLevel } from "../domain/authority/approval-limits";
import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/rep.credit.applications.$applicationId";
import { pageTitle } from "../i18n/meta";
import { Field, SelectField, TextAreaField } from "../components/field";
import { accountSummary } from "../domain/accounts/account-summary.server";
import { requireStaff } from "../utils/authorize.server";
import { canActOn, decideApplication, type Decision } from "../domain/credit/decide-application.server";
import { firstUserFor } from "../domain/credit/approve-application.server";
import { applicationToDecide, applicationUnderReview } from "../domain/credit/application-records.server";
import { autoApprovalBlockers, type StoredScore } from "../domain/credit/scorecard";
import { authorityCurrency, convertWithDisclosure } from "../domain/fx/conversion.server";
import { toMinor } from "../domain/money/money";
import { amountErrorKey, amountForInput, parseAmountInput } from "../domain/money/amount-input";
import { resolveReader } from "../i18n/i18n.server";
import { useFormat } from "../i18n/format";
import { fieldErrorsOf, freeText, type FieldErrors } from "../utils/forms";

import creditStyles from "../styles/credit.css?url";
import { FormAlerts } from "../components/form-alerts";
import { Facts } from "../components/facts";
import { readForm } from "../utils/form-body.server";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: creditStyles }];

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.creditApplication");

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireStaff(request);
  const found = await applicationUnderReview(params.applicationId);
  if (!found) throw data({ reason: "not_found" }, { status: 404 });
  const { application, actorNameOf } = found;
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
    questionAndAnswer: question
      ? { question: question.message, answer: answer && answer.createdAt >= question.createdAt ? answer.message : null }
      : null,
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
      events: application.events.map((e) => ({ id: e.id, kind: e.kind, message: e.message, actor: actorNameOf(e.actorId), at: e.createdAt.toISOString() })),
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
    firstUserEmail: z.string().trim().toLowerCase().max(254, "credit:errors.emailInvalid").refine((v) => v === "" || z.email().safeParse(v).success, "credit:errors.emailInvalid").optional().default(""),
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
    decision = { action: "approve", limitMinor, termsDays: parsed.data.termsDays, conditions: parsed.data.conditions, reason: parsed.data.reason, firstUserEmail: parsed.data.firstUserEmail, firstUserName: parsed.data.firstUserName };
  } else if (parsed.data.intent === "decline") {
    decision = { action: "decline", reason: parsed.data.declineReason };
  } else {
    decision = { action: "request_info", message: parsed.data.infoMessage };
  }
  const result = await decideApplication(user, application.id, decision);
  if (!result.ok && result.error === "first_user_email_taken") {
    return data({ fieldErrors: { firstUserEmail: "credit:review.errors.first_user_email_taken" } as FieldErrors, outcome: null, formError: null }, { status: 400 });
  }
  if (!result.ok) return data({ fieldErrors: {} as FieldErrors, outcome: null, formError: `credit:review.errors.${result.error}` }, { status: result.error === "not_found" ? 404 : 409 });
  throw redirect(`/rep/credit/applications/${application.id}?done=${result.outcome}${result.requiredLevel ? `&level=${result.requiredLevel}` : ""}`);
}

export default function RepCreditApplication({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("credit");
  const f = useFormat();
  const { application: a, summary } = loaderData;
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
        <section className="panel" aria-labelledby="submitted-title">
          <h2 id="submitted-title">{t("review.submitted")}</h2>
          <dl className="facts">
            <dt>{t("review.applicantName")}</dt>
            <dd>{a.applicantName}</dd>
            <dt>{t("review.applicantEmail")}</dt>
            <dd>{a.applicantEmail}</dd>
            <dt>{t("fields.taxId")}</dt>
            <dd>{a.taxId}</dd>
            <dt>{t("fields.country")}</dt>
            <dd>{a.country ? t(`countries.${a.country}`, { defaultValue: a.country }) : "—"}</dd>
            <dt>{t("review.address")}</dt>
            <dd>{a.address || "—"}</dd>
            <dt>{t("fields.yearsInBusiness")}</dt>
            <dd>{a.yearsInBusiness ?? "—"}</dd>
            <dt>{t("fields.annualRevenue")}</dt>
            <dd>{a.annualRevenue ? f.money(a.annualRevenue) : "—"}</dd>
            <dt>{t("fields.requestedLimit")}</dt>
            <dd data-testid="requested-limit">{a.requested ? f.money(a.requested) : "—"}</dd>
            <dt>{t("fields.requestedTermsDays")}</dt>
            <dd>{a.requestedTermsDays !== null ? t("terms.net", { count: a.requestedTermsDays }) : "—"}</dd>
            <dt>{t("apply.bankReference")}</dt>
            <dd>
              {a.bank.name ?? "—"} {a.bank.last4 ? `····${a.bank.last4}` : ""} {a.bank.contact ?? ""}
            </dd>
            <dt>{t("review.signature")}</dt>
            <dd>{a.signature.name ? `${a.signature.name} · ${a.signature.at ? f.dateTime(a.signature.at) : ""}` : "—"}</dd>
            <dt>{t("queue.language")}</dt>
            <dd>{t(`languages.${a.language === "es" ? "es" : "en"}`)}</dd>
          </dl>
          <h3>{t("review.references")}</h3>
          <ul>
            {a.references.map((r) => (
              <li key={r.id}>
                {r.companyName} — {r.contactName} {r.email ?? r.phone ?? ""}
              </li>
            ))}
          </ul>
          <h3>{t("review.documents")}</h3>
          {a.documents.length === 0 ? <p>{t("review.noDocuments")}</p> : null}
          <ul>
            {a.documents.map((d) => (
              <li key={d.id}>
                <a href={`/credit/documents/${d.id}`}>{d.fileName}</a> · {t(`documentKinds.${d.kind}`)}
              </li>
            ))}
          </ul>
        </section>
        <section className="panel" aria-labelledby="score-title">
          <h2 id="score-title">{t("review.scoreTitle", { score: a.score ?? "—" })}</h2>
          {a.breakdown ? (
            <>
              <table className="data" data-testid="score-breakdown">
                <thead>
                  <tr>
                    <th scope="col">{t("review.factor")}</th>
                    <th scope="col" className="num">
                      {t("review.points")}
                    </th>
                    <th scope="col">{t("review.why")}</th>
                  </tr>
                </thead>
                <tbody>
                  {a.breakdown.factors.map((factor) => (
                    <tr key={factor.id}>
                      <th scope="row">{t(`factors.${factor.id}`)}</th>
                      <td className="num">
                        {factor.points} / {factor.weight}
                      </td>
                      <td>{t(factor.reason.key, { ...factor.reason.values })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p>
                {t(`recommendation.${a.breakdown.recommendation}`)} ·{" "}
                {t("review.recommended", { amount: a.recommended ? f.money(a.recommended) : "—", terms: t("terms.net", { count: a.recommendedTermsDays ?? 0 }) })}
              </p>
            </>
          ) : (
            <p>{t("review.notScored")}</p>
          )}
          {a.autoApproved ? null : (
            <div data-testid="not-automatic">
              <h3>{t("review.autoTitle")}</h3>
              <ul>
                {loaderData.notAutomatic.blockers.map((b) => (
                  <li key={b.kind}>
                    {b.kind === "score"
                      ? t("review.auto.score", { score: b.score, min: b.minScore })
                      : b.kind === "ceiling"
                        ? t("review.auto.ceiling", {
                            requested: f.money(b.check.requested),
                            converted: b.check.rate
                              ? `${f.money(b.check.requestedInPolicy)}, ${t("review.auto.ceilingRate", { rate: b.check.rate, base: b.check.requested.currency, quote: b.check.requestedInPolicy.currency, date: b.check.effectiveOn })}`
                              : f.money(b.check.requestedInPolicy),
                            ceiling: f.money(b.check.ceiling),
                          })
                        : b.kind === "limitReduced"
                          ? t("review.auto.limitReduced", { amount: f.money({ amountMinor: b.recommendedLimitMinor, currency: a.currency }) })
                          : t("review.auto.termsShortened", { terms: t("terms.net", { count: b.recommendedTermsDays }) })}
                  </li>
                ))}
                {loaderData.notAutomatic.lowersLimit ? <li>{t("review.auto.lowersLimit")}</li> : null}
                {loaderData.notAutomatic.firstUserNeeded ? <li>{t("review.auto.firstUserNeeded")}</li> : null}
                {loaderData.notAutomatic.repRequest ? <li>{t("review.auto.repRequest")}</li> : null}
              </ul>
              {loaderData.notAutomatic.blockers.length === 0 && !loaderData.notAutomatic.lowersLimit && !loaderData.notAutomatic.firstUserNeeded && !loaderData.notAutomatic.repRequest && a.breakdown ? <p>{t("review.autoQualified")}</p> : null}
            </div>
          )}
          {a.proposed && a.status === "ESCALATED" ? <p>{t("review.proposed", { amount: f.money(a.proposed), terms: t("terms.net", { count: a.proposedTermsDays ?? 0 }) })}</p> : null}
          {loaderData.fx ? (
            <p className="hint" data-testid="authority-fx">
              {t("review.fx", { amount: f.money(loaderData.fx.from), converted: f.money(loaderData.fx.to), rate: loaderData.fx.rate, base: loaderData.fx.from.currency, quote: loaderData.fx.to.currency, date: loaderData.fx.effectiveOn })}
            </p>
          ) : null}
          {a.status === "COUNTER_OFFERED" && a.proposed ? (
            <div className="alert warn" data-testid="counter-offer">
              <strong>{t("review.offer.title")}</strong> {t("review.offer.made", { amount: f.money(a.proposed), terms: t("terms.net", { count: a.proposedTermsDays ?? 0 }) })}
              {a.conditions ? ` ${t("page.conditions", { conditions: a.conditions })}` : ""}
              {a.offerExpiresAt ? ` ${t(a.offerExpired ? "review.offer.expired" : "review.offer.expires", { date: f.date(a.offerExpiresAt) })}` : ""}
            </div>
          ) : null}
          {loaderData.questionAndAnswer ? (
            <div data-testid="question-answer">
              <h3>{t("review.answer.title")}</h3>
              <p>{t("review.answer.question", { message: loaderData.questionAndAnswer.question ?? "" })}</p>
              <p>{loaderData.questionAndAnswer.answer !== null ? t("review.answer.answer", { message: loaderData.questionAndAnswer.answer }) : a.status === "INFO_REQUESTED" ? t("review.answer.waiting") : null}</p>
            </div>
          ) : null}
          {summary ? (
            <>
              <h3>{t("review.accountHistory")}</h3>
              <Facts
                items={[
                  { term: t("line.limit"), value: f.money(summary.creditLimit) },
                  { term: t("line.exposure"), value: f.money(summary.exposure) },
                  { term: t("line.pastDue"), value: f.money(summary.pastDue) },
                  // Shown beside past due, never inside it: an open dispute is not a late payment.
                  { term: t("account:figures.inDispute"), value: f.money(summary.disputed) },
                ]}
              />
              {a.accountId ? (
                <p>
                  <Link to={`/rep/accounts/${a.accountId}`}>{t("review.openAccount")}</Link> · <Link to={`/rep/credit/accounts/${a.accountId}`}>{t("limitChange.link")}</Link>
                </p>
              ) : null}
            </>
          ) : (
            <p>{t("review.newCompany")}</p>
          )}
        </section>
      </div>
      {loaderData.canAct ? (
        <div className="grid-2">
          <section className="panel" aria-labelledby="approve-title">
            <h2 id="approve-title">{t("review.approveTitle")}</h2>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="approve" />
              <Field name="limit" label={t("review.limit", { currency: a.currency })} inputMode="decimal" error={errors.limit} defaultValue={a.proposed ? amountForInput(a.proposed, f.locale) : a.recommended ? amountForInput(a.recommended, f.locale) : ""} />
              <SelectField name="termsDays" label={t("review.terms")} error={errors.termsDays} defaultValue={String(a.proposedTermsDays ?? a.recommendedTermsDays ?? 30)} options={GRANTABLE_TERMS_DAYS.map((d) => ({ value: String(d), label: t("terms.net", { count: d }) }))} />
              <Field name="conditions" label={t("review.conditions")} error={errors.conditions} defaultValue={a.conditions ?? ""} />
              <Field name="reason" label={t("review.reason")} error={errors.reason} />
              {loaderData.firstUser ? (
                <fieldset className="first-user">
                  <legend>{t("review.firstUser.title")}</legend>
                  <FormAlerts warning={!loaderData.firstUser.available && t("review.firstUser.taken", { email: loaderData.firstUser.email })} testIds={{ warning: "first-user-taken" }} />
                  <Field
                    name="firstUserEmail"
                    type="email"
                    autoComplete="off"
                    label={t("review.firstUser.email")}
                    hint={t("review.firstUser.hint")}
                    error={errors.firstUserEmail}
                    defaultValue={loaderData.firstUser.available ? loaderData.firstUser.email : ""}
                  />
                  <Field name="firstUserName" autoComplete="off" label={t("review.firstUser.name")} error={errors.firstUserName} />
                </fieldset>
              ) : null}
              <button type="submit" className="button primary">
                {t("review.approve")}
              </button>
            </Form>
          </section>
          <section className="panel" aria-labelledby="other-title">
            <h2 id="other-title">{t("review.otherTitle")}</h2>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="request_info" />
              <TextAreaField name="infoMessage" label={t("review.infoMessage")} error={errors.infoMessage} />
              <button type="submit" className="button">
                {t("review.requestInfo")}
              </button>
            </Form>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="decline" />
              <TextAreaField name="declineReason" label={t("review.declineReason")} error={errors.declineReason} />
              <button type="submit" className="button">
                {t("review.decline")}
              </button>
            </Form>
          </section>
        </div>
      ) : (
        <p className="alert warn">{a.escalatedToLevel ? t("review.waitingFor", { level: t(`levels.${a.escalatedToLevel}`) }) : t("review.closed")}</p>
      )}
      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title">{t("page.history")}</h2>
        <ol className="history">
          {a.events.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{f.dateTime(e.at)}</time> — {t(`events.${e.kind}`)}
              {e.actor ? ` · ${e.actor}` : ""}
              {e.message ? `: ${e.kind === "escalated" ? t(`levels.${e.message}`, { defaultValue: e.message }) : e.message}` : ""}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
