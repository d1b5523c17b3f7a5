import { useTranslation } from "react-i18next";
import { data, Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/credit.applications.status.$token";
import { pageTitle } from "../i18n/meta";
import { Field, SelectField, TextAreaField } from "../components/field";
import { FormAlerts } from "../components/form-alerts";
import { HistoryList } from "../components/history-list";
import { APPLICANT_VISIBLE_MESSAGES, applicationHistory } from "../domain/audit/history.server";
import { Facts } from "../components/facts";
import { DOCUMENT_KINDS } from "../domain/credit/application-schema";
import { answerCounterOfferByToken } from "../domain/credit/counter-offers.server";
import { answerInfoRequestByToken } from "../domain/credit/information-requests.server";
import { applicationByStatusToken } from "../domain/credit/status-links.server";
import { documentKindOf } from "../domain/credit/documents.server";
import { readFormWithFiles } from "../utils/uploads.server";
import { toMinor } from "../domain/money/money";
import { PageFormattingProvider, useFormat } from "../i18n/format";
import { resolveReader } from "../i18n/i18n.server";
import { applicantFormattingFor } from "../i18n/locale";
import { optionalUser } from "../utils/authorize.server";
import { fieldErrorsOf, type FieldErrors } from "../utils/forms";

import creditStyles from "../styles/credit.css?url";

/**
 * A new company's application, reached by the personal link in its emails (it has no
 * sign-in yet): where it stands, the question to answer (with an optional document),
 * and a counter-offer to accept or decline. The token is the only key, so the page is
 * never cached and sends no referrer.
 */
export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: creditStyles }];

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.creditStatus");

export const headers: Route.HeadersFunction = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });

const DONE = ["accepted", "declined", "answered", "first_user_needed"] as const;

/** What the applicant sees of a status: an escalation is still "in review" to them. */
/** Internal steps a new applicant does not see. */
const REP_ONLY_EVENTS = new Set(["escalated", "first_user_needed", "lowers_limit"]);

function customerStatus(status: string) {
  return status === "ESCALATED" ? "IN_REVIEW" : status;
}

export async function loader({ request, params }: Route.LoaderArgs) {
  const application = await applicationByStatusToken(params.token);
  if (!application) throw data({ reason: "not_found" }, { status: 404 });
  const currency = application.currency ?? "USD";
  const status = customerStatus(application.status);
  const offerOpen = application.status === "COUNTER_OFFERED" && (!application.offerExpiresAt || application.offerExpiresAt.getTime() > Date.now());
  const question = [...application.events].reverse().find((e) => e.kind === "info_requested")?.message ?? null;
  const done = new URL(request.url).searchParams.get("done");
  // The company's figures and clock, as in its emails: whoever opens the link, a company in
  // Spain reads 50.000,00 € on Madrid time (in the words of the reader's language).
  const { language } = await resolveReader(request, await optionalUser(request));
  return {
    done: DONE.find((d) => d === done) ?? null,
    formatting: applicantFormattingFor(application.country, language),
    application: {
      number: application.number,
      company: application.companyName ?? application.applicantName,
      status,
      requested: application.requestedLimitMinor === null ? null : { amountMinor: toMinor(application.requestedLimitMinor), currency },
      requestedTermsDays: application.requestedTermsDays,
      offered:
        application.approvedLimitMinor === null || (status !== "COUNTER_OFFERED" && status !== "APPROVED")
          ? null
          : { amountMinor: toMinor(application.approvedLimitMinor), currency },
      offeredTermsDays: application.approvedTermsDays,
      conditions: status === "COUNTER_OFFERED" || status === "APPROVED" ? application.conditions : null,
      decisionReason: status === "COUNTER_OFFERED" || status === "DECLINED" ? application.decisionReason : null,
      offerExpiresAt: application.offerExpiresAt?.toISOString() ?? null,
      offerOpen,
      question: status === "INFO_REQUESTED" ? question : null,
      /** Approved into a new account: its first user signs in with the password chosen from the welcome email. */
      hasAccount: Boolean(application.accountId),
      documents: application.documents,
      history: await applicationHistory(
        { ...application, events: application.events.filter((e) => !REP_ONLY_EVENTS.has(e.kind)) },
        { showMessage: (kind) => APPLICANT_VISIBLE_MESSAGES.has(kind) },
      ),
    },
  };
}

const answerSchema = z.object({ message: z.string().trim().min(1, "credit:errors.required").max(2000, "credit:errors.tooLong") });
const offerSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("accept_offer") }),
  z.object({ intent: z.literal("decline_offer"), reason: z.string().trim().max(500, "credit:errors.tooLong").optional().default("") }),
]);

type ActionResult = { fieldErrors: FieldErrors; formError: string | null };

export async function action({ request, params }: Route.ActionArgs) {
  const token = params.token;
  const here = new URL(request.url).pathname;
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    // The answer to a question, with an optional document through the same upload path as the application form.
    if (!(await applicationByStatusToken(token))) throw data({ reason: "not_found" }, { status: 404 });
    const read = await readFormWithFiles(request, { field: "document", maxFiles: 1 });
    if (!read.ok) return data<ActionResult>({ fieldErrors: { document: read.error }, formError: null }, { status: 400 });
    const parsed = answerSchema.safeParse({ message: read.form.get("message") ?? "" });
    const fieldErrors: FieldErrors = parsed.success ? {} : fieldErrorsOf(parsed.error);
    // No file chosen is fine; a file that is too big or of the wrong type is not.
    if (read.fileError) fieldErrors.document = read.fileError;
    if (!parsed.success || Object.keys(fieldErrors).length) return data<ActionResult>({ fieldErrors, formError: null }, { status: 400 });
    const document = read.files[0] ? { upload: read.files[0], kind: documentKindOf(read.form.get("kind")) } : undefined;
    const done = await answerInfoRequestByToken(token, parsed.data.message, document);
    if (!done) return data<ActionResult>({ fieldErrors: {}, formError: "credit:errors.notAvailable" }, { status: 409 });
    throw redirect(`${here}?done=answered`);
  }
  const parsed = offerSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data<ActionResult>({ fieldErrors: fieldErrorsOf(parsed.error), formError: null }, { status: 400 });
  const result = await answerCounterOfferByToken(
    token,
    parsed.data.intent === "accept_offer" ? { accept: true } : { accept: false, reason: parsed.data.reason },
  );
  if (!result.ok && result.error === "not_found") throw data({ reason: "not_found" }, { status: 404 });
  if (!result.ok)
    return data<ActionResult>(
      { fieldErrors: {}, formError: result.error === "offer_expired" ? "credit:statusPage.offerExpired" : "credit:errors.notAvailable" },
      { status: 409 },
    );
  throw redirect(`${here}?done=${result.outcome}`);
}

export default function CreditApplicationStatus({ loaderData, actionData }: Route.ComponentProps) {
  return (
    <PageFormattingProvider value={loaderData.formatting}>
      <StatusPage loaderData={loaderData} actionData={actionData} />
    </PageFormattingProvider>
  );
}

function StatusPage({ loaderData, actionData }: Pick<Route.ComponentProps, "loaderData" | "actionData">) {
  const { t } = useTranslation("credit");
  const f = useFormat();
  const { application: a, done } = loaderData;
  const errors: FieldErrors = actionData?.fieldErrors ?? {};
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <p className="eyebrow">{t("statusPage.eyebrow", { number: a.number })}</p>
          <h1>{a.company}</h1>
        </div>
        <span className="status-pill" data-testid="application-status">
          {t(`status.${a.status}`)}
        </span>
      </div>
      <FormAlerts success={done && t(`statusPage.done.${done}`)} error={actionData?.formError && t(actionData.formError)} />
      <section className="panel" aria-labelledby="where-title">
        <h2 id="where-title">{t("statusPage.where")}</h2>
        <p>{t(`statusPage.next.${a.status}`, { defaultValue: t("next.IN_REVIEW") })}</p>
        {a.requested ? <p>{t("page.requested", { amount: f.money(a.requested), terms: t("terms.net", { count: a.requestedTermsDays ?? 0 }) })}</p> : null}
        {a.status === "APPROVED" && a.offered ? (
          <Facts
            items={[
              { term: t("line.limit"), value: f.money(a.offered), testId: "approved-limit" },
              { term: t("line.terms"), value: t("terms.net", { count: a.offeredTermsDays ?? 0 }) },
            ]}
          />
        ) : null}
        {a.status === "APPROVED" && a.conditions ? <p>{t("page.conditions", { conditions: a.conditions })}</p> : null}
        {a.status === "DECLINED" && a.decisionReason ? <p>{t("page.declinedBecause", { reason: a.decisionReason })}</p> : null}
      </section>

      {a.status === "COUNTER_OFFERED" && a.offered ? (
        <section className="panel" aria-labelledby="offer-title" data-testid="counter-offer">
          <h2 id="offer-title">{t("statusPage.offerTitle")}</h2>
          <Facts
            items={[
              { term: t("line.limit"), value: f.money(a.offered), testId: "offer-limit" },
              { term: t("line.terms"), value: t("terms.net", { count: a.offeredTermsDays ?? 0 }), testId: "offer-terms" },
              ...(a.offerExpiresAt ? [{ term: t("statusPage.offerExpires"), value: f.date(a.offerExpiresAt), testId: "offer-expires" }] : []),
            ]}
          />
          {a.conditions ? <p>{t("page.conditions", { conditions: a.conditions })}</p> : null}
          {a.decisionReason ? <p>{a.decisionReason}</p> : null}
          {a.offerOpen ? (
            <div className="grid-2">
              <Form method="post">
                <input type="hidden" name="intent" value="accept_offer" />
                <p>{t("statusPage.acceptLead")}</p>
                <button type="submit" className="button primary">
                  {t("page.acceptOffer")}
                </button>
              </Form>
              <Form method="post">
                <input type="hidden" name="intent" value="decline_offer" />
                <TextAreaField name="reason" label={t("statusPage.declineReason")} error={errors.reason} />
                <button type="submit" className="button">
                  {t("statusPage.declineOffer")}
                </button>
              </Form>
            </div>
          ) : (
            <p className="alert warn">{t("statusPage.offerExpired")}</p>
          )}
        </section>
      ) : null}

      {a.status === "INFO_REQUESTED" ? (
        <section className="panel" aria-labelledby="question-title">
          <h2 id="question-title">{t("statusPage.questionTitle")}</h2>
          {a.question ? <blockquote data-testid="question">{a.question}</blockquote> : null}
          <Form method="post" encType="multipart/form-data">
            <TextAreaField name="message" label={t("page.answerLabel")} error={errors.message} required />
            <SelectField
              name="kind"
              label={t("documents.kind")}
              defaultValue="FINANCIAL_STATEMENT"
              options={DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`documentKinds.${k}`) }))}
            />
            <Field type="file" name="document" label={t("statusPage.documentOptional")} accept="application/pdf,image/png,image/jpeg" error={errors.document} />
            <button type="submit" className="button primary">
              {t("page.sendAnswer")}
            </button>
          </Form>
        </section>
      ) : null}

      {a.documents.length ? (
        <section className="panel" aria-labelledby="docs-title">
          <h2 id="docs-title">{t("documents.title")}</h2>
          <ul>
            {a.documents.map((d) => (
              <li key={d.id}>
                {d.fileName} · {t(`documentKinds.${d.kind}`)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title">{t("page.history")}</h2>
        <HistoryList entries={a.history} testId="application-history" />
      </section>
    </div>
  );
}
