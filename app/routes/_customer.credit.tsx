import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/_customer.credit";
import { pageTitle } from "../i18n/meta";
import { ConversionNote, CreditFigures } from "../components/account-figures";
import { ApplicationCard } from "../components/credit/application-card";
import { HeldOrders } from "../components/credit/held-orders";
import { Field } from "../components/field";
import { customerAccountSummary } from "../domain/accounts/account-summary.server";
import { requireCustomer } from "../utils/authorize.server";
import { answerCounterOffer } from "../domain/credit/counter-offers.server";
import { answerInfoRequest } from "../domain/credit/information-requests.server";
import { attachDocument, documentKindOf } from "../domain/credit/documents.server";
import { readFormWithFiles } from "../utils/uploads.server";
import { customerApplications, openApplicationOf } from "../domain/credit/application-records.server";
import { headroomCheck, heldOrdersOf } from "../domain/credit/holds.server";
import { toMinor } from "../domain/money/money";
import { amountErrorKey, parseAmountInput } from "../domain/money/amount-input";
import { resolveReader } from "../i18n/i18n.server";
import { useFormat } from "../i18n/format";
import { fieldErrorsOf, freeText } from "../utils/forms";

import creditStyles from "../styles/credit.css?url";
import { FormAlerts } from "../components/form-alerts";
import { APPLICANT_VISIBLE_MESSAGES, applicationHistory } from "../domain/audit/history.server";
import { Facts } from "../components/facts";
import { readForm } from "../utils/form-body.server";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: creditStyles }];

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.credit");

/** What the customer sees of a status: an escalation is still "in review" to them. */
function customerStatus(status: string) {
  return status === "ESCALATED" ? "IN_REVIEW" : status;
}

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireCustomer(request);
  const { locale } = await resolveReader(request, user);
  const [summary, held, applications] = await Promise.all([customerAccountSummary(user), heldOrdersOf(user.accountId), customerApplications(user.accountId)]);
  if (!summary) throw data({ reason: "not_found" }, { status: 404 });
  const url = new URL(request.url);
  const amountText = url.searchParams.get("amount");
  let headroom = null;
  let headroomError: string | null = null;
  if (amountText !== null) {
    const read = parseAmountInput(amountText.slice(0, 40), locale, summary.account.currency);
    if (!read.ok) headroomError = amountErrorKey(read.error, locale);
    else if (read.amountMinor <= 0) headroomError = "credit:errors.amountInvalid";
    else headroom = await headroomCheck(user.accountId, read.amountMinor);
  }
  return {
    summary,
    held,
    headroom,
    headroomError,
    amountText: amountText ?? "",
    submitted: url.searchParams.get("submitted"),
    uploaded: url.searchParams.get("uploaded"),
    applications: await Promise.all(
      applications.map(async (a) => {
        const currency = a.currency ?? summary.account.currency;
        const reasons = (a.scoreBreakdown as { reasons?: { key: string; values?: Record<string, string | number> }[] } | null)?.reasons ?? [];
        return {
          id: a.id,
          number: a.number,
          status: customerStatus(a.status),
          documents: a.documents,
          requested: a.requestedLimitMinor === null ? null : { amountMinor: toMinor(a.requestedLimitMinor), currency },
          requestedTermsDays: a.requestedTermsDays,
          offered: a.approvedLimitMinor === null || a.status === "ESCALATED" ? null : { amountMinor: toMinor(a.approvedLimitMinor), currency },
          offeredTermsDays: a.status === "ESCALATED" ? null : a.approvedTermsDays,
          conditions: a.status === "ESCALATED" ? null : a.conditions,
          offerExpiresAt: a.status === "COUNTER_OFFERED" ? (a.offerExpiresAt?.toISOString() ?? null) : null,
          offerOpen: a.status === "COUNTER_OFFERED" && (!a.offerExpiresAt || a.offerExpiresAt.getTime() > Date.now()),
          decisionReason: a.decisionReason,
          reasons: a.status === "COUNTER_OFFERED" || a.status === "DECLINED" ? reasons : [],
          history: await applicationHistory(
            { ...a, events: a.events.filter((e) => e.kind !== "escalated") },
            { showMessage: (kind) => APPLICANT_VISIBLE_MESSAGES.has(kind) },
          ),
        };
      }),
    ),
  };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("accept_offer"), applicationId: z.string().min(1).max(40) }),
  z.object({
    intent: z.literal("decline_offer"),
    applicationId: z.string().min(1).max(40),
    reason: freeText().trim().max(500, "credit:errors.tooLong").optional().default(""),
  }),
  z.object({
    intent: z.literal("answer_info"),
    applicationId: z.string().min(1).max(40),
    message: freeText().trim().min(1, "credit:errors.required").max(2000, "credit:errors.tooLong"),
  }),
]);

export async function action({ request }: Route.ActionArgs) {
  const user = await requireCustomer(request);
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    const read = await readFormWithFiles(request, { field: "document", maxFiles: 1 });
    if (!read.ok)
      return data({ fieldErrors: {} as Record<string, string>, formError: read.error as string | null, uploadFor: null as string | null }, { status: 400 });
    const form = read.form;
    const upload = read.files[0] ? { ok: true as const, file: read.files[0] } : { ok: false as const, error: read.fileError ?? "files:errors.empty" };
    const applicationId = String(form.get("applicationId") ?? "").slice(0, 40);
    // Only an open application of the session's own account takes documents.
    const application = await openApplicationOf(user.accountId, applicationId);
    if (!application)
      return data(
        { fieldErrors: {} as Record<string, string>, formError: "credit:errors.notAvailable" as string | null, uploadFor: null as string | null },
        { status: 404 },
      );
    if (!upload.ok)
      return data({ fieldErrors: { document: upload.error } as Record<string, string>, formError: null, uploadFor: application.id }, { status: 400 });
    const attached = await attachDocument(application.id, upload.file, documentKindOf(form.get("kind")), user.id);
    if (!attached.ok)
      return data({ fieldErrors: { document: attached.error } as Record<string, string>, formError: null, uploadFor: application.id }, { status: 400 });
    throw redirect(`/credit?uploaded=${application.number}`);
  }
  const parsed = actionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success)
    return data({ fieldErrors: fieldErrorsOf(parsed.error), formError: null as string | null, uploadFor: null as string | null }, { status: 400 });
  // The application must belong to the session's account: the domain filters by it.
  if (parsed.data.intent === "answer_info") {
    const done = await answerInfoRequest(user.accountId, parsed.data.applicationId, user.id, parsed.data.message);
    if (!done)
      return data(
        { fieldErrors: {} as Record<string, string>, formError: "credit:errors.notAvailable" as string | null, uploadFor: null as string | null },
        { status: 404 },
      );
    throw redirect("/credit");
  }
  const answer = parsed.data.intent === "accept_offer" ? ({ accept: true } as const) : ({ accept: false, reason: parsed.data.reason } as const);
  const result = await answerCounterOffer(user.accountId, parsed.data.applicationId, user.id, answer);
  if (!result.ok)
    return data(
      {
        fieldErrors: {} as Record<string, string>,
        formError: result.error === "offer_expired" ? "credit:page.offerExpired" : "credit:errors.notAvailable",
        uploadFor: null as string | null,
      },
      { status: result.error === "not_found" ? 404 : 409 },
    );
  throw redirect("/credit");
}

export default function CreditPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("credit");
  const f = useFormat();
  const { summary, held, headroom, applications } = loaderData;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <p className="eyebrow">{summary.account.legalName}</p>
          <h1>{t("page.title")}</h1>
        </div>
        <Link to="/credit/apply" className="button primary">
          {t("page.apply")}
        </Link>
      </div>
      <FormAlerts
        success={loaderData.submitted && t("page.submitted", { number: loaderData.submitted })}
        error={actionData?.formError && t(actionData.formError)}
      />

      <section aria-labelledby="line-title">
        <h2 id="line-title">{t("line.title")}</h2>
        <CreditFigures summary={summary} />
        <Facts
          items={[
            { term: t("line.exposure"), value: f.money(summary.exposure), testId: "credit-exposure" },
            { term: t("line.openInvoices"), value: f.money(summary.openBalance) },
            { term: t("line.openOrders"), value: f.money(summary.openOrders) },
            { term: t("line.terms"), value: t("terms.net", { count: summary.account.paymentTermsDays }), testId: "credit-terms" },
          ]}
        />
        <ConversionNote summary={summary} />
      </section>

      <section className="panel" aria-labelledby="apps-title">
        <h2 id="apps-title">{t("page.applications")}</h2>
        {applications.length === 0 ? <p>{t("page.noApplications")}</p> : null}
        {applications.map((a) => (
          <ApplicationCard key={a.id} application={a} actionData={actionData} uploaded={loaderData.uploaded} />
        ))}
      </section>

      <HeldOrders held={held} />

      <section className="panel" aria-labelledby="headroom-title">
        <h2 id="headroom-title">{t("headroom.title")}</h2>
        <p>{t("headroom.lead", { currency: summary.account.currency })}</p>
        <Form method="get">
          <Field
            name="amount"
            label={t("headroom.amount", { currency: summary.account.currency })}
            inputMode="decimal"
            defaultValue={loaderData.amountText}
            error={loaderData.headroomError ?? undefined}
          />
          <button type="submit" className="button">
            {t("headroom.check")}
          </button>
        </Form>
        {headroom ? (
          <div className={headroom.wouldHold ? "alert warn" : "alert success"} role="status" data-testid="headroom-result">
            {headroom.wouldHold ? (
              <>
                <p>{t("headroom.wouldHold", { amount: f.money(headroom.amount) })}</p>
                <ul>
                  {headroom.reasons.map((r) => (
                    <li key={r}>{t(`holdReason.${r}`)}</li>
                  ))}
                </ul>
                <p>{headroom.payNow ? t("headroom.payNow", { amount: f.money(headroom.payNow) }) : t("headroom.contactRep")}</p>
              </>
            ) : (
              <p>{t("headroom.fits", { amount: f.money(headroom.amount), available: f.money(headroom.available) })}</p>
            )}
          </div>
        ) : null}
      </section>
    </div>
  );
}
