import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useLocation } from "react-router";
import type { Route } from "./+types/credit.apply";
import { pageTitle } from "../i18n/meta";
import { ApplyStepFields } from "../components/credit/apply-step-fields";
import { DocumentsPanel } from "../components/credit-fields";
import { optionalUser } from "../utils/authorize.server";
import { completeDraft, STEP_FIELDS, STEPS, validateStep, type Draft, type StepId } from "../domain/credit/application-schema";
import { applicationDocuments } from "../domain/credit/application-records.server";
import { draftForCustomer, newCompanyDraft, saveDraftValues } from "../domain/credit/application-drafts.server";
import { alreadySubmitted, submitApplication, type SubmitResult } from "../domain/credit/submit-application.server";
import { loadRequestCeiling } from "../domain/credit/request-ceiling.server";
import { isLanguage } from "../i18n/config";
import { applicantFormattingFor, formattingFor, preferredFormatting } from "../i18n/locale";
import { resolveLanguage } from "../i18n/i18n.server";
import { withoutControlCharacters, type FieldErrors } from "../utils/forms";
import { draftCookie, draftFromCookie, submittedFromCookie } from "../utils/credit-draft-cookie.server";
import { attachDocument, documentKindOf } from "../domain/credit/documents.server";
import type { CheckedUpload, UploadError } from "../domain/files/stored-files.server";
import { readFormWithFiles } from "../utils/uploads.server";
import { consumeThrottles } from "../domain/security/throttles.server";

import creditStyles from "../styles/credit.css?url";
import { formTypeOf, readForm } from "../utils/form-body.server";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: creditStyles }];

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.creditApply");

function stepOf(value: unknown): StepId {
  return (STEPS as readonly string[]).includes(String(value)) ? (value as StepId) : "company";
}

/** The applicant's draft: a customer's from their session; a new company's from its cookie; staff never. */
async function findDraft(request: Request) {
  const user = await optionalUser(request);
  if (user && user.role !== "CUSTOMER") throw data({ reason: "forbidden" }, { status: 403 });
  const language = await resolveLanguage(request, user?.preferredLanguage);
  if (user?.accountId)
    return { user, language, application: await draftForCustomer({ ...user, accountId: user.accountId }, language), cookie: null as string | null };
  return { user, language, application: await draftFromCookie(request), cookie: null as string | null };
}

function publicDraft(draft: Draft): Draft {
  const { __access: _ignored, ...rest } = draft;
  return rest;
}

export async function loader({ request }: Route.LoaderArgs) {
  const { user, application } = await findDraft(request);
  const step = stepOf(new URL(request.url).searchParams.get("step"));
  const draft = application ? publicDraft(application.draft as Draft) : {};
  // A later step is reachable only once the earlier ones were completed.
  const reached = application?.currentStep ?? 1;
  const index = Math.min(STEPS.indexOf(step), reached - 1);
  const documents = application ? await applicationDocuments(application.id) : [];
  const uploaded = new URL(request.url).searchParams.get("uploaded") === "1";
  return { step: STEPS[Math.max(0, index)], values: draft, newCompany: !user, number: application?.number ?? null, documents, uploaded };
}

export async function action({ request, context }: Route.ActionArgs) {
  const found = await findDraft(request);
  let formData: FormData;
  let upload: { ok: true; file: CheckedUpload } | { ok: false; error: UploadError } | null = null;
  if (formTypeOf(request) === "multipart/form-data") {
    // The step form carries the document picker once a draft exists: a document for the
    // draft, and the step's typed values with it. Only the draft's holder gets here.
    if (!found.application) throw data({ reason: "not_found" }, { status: 404 });
    const read = await readFormWithFiles(request, { field: "document", maxFiles: 1 });
    if (!read.ok) {
      const step = stepOf(new URL(request.url).searchParams.get("step"));
      return data(
        { step, fieldErrors: { document: read.error } as FieldErrors, values: publicDraft(found.application.draft as Draft), submitted: null },
        { status: 400 },
      );
    }
    formData = read.form;
    upload = read.files[0] ? { ok: true, file: read.files[0] } : { ok: false, error: read.fileError ?? "files:errors.empty" };
  } else {
    formData = await readForm(request);
  }
  const step = stepOf(formData.get("step"));
  // A document sent without a button's intent (a script, or a form of its own) is an upload too.
  const intentField = formData.get("intent") ?? (upload ? "upload" : "next");
  const intent = intentField === "back" ? "back" : intentField === "upload" ? "upload" : "next";
  const newCompany = !found.user;

  const values: Draft = {};
  for (const field of STEP_FIELDS[step]) {
    if (!newCompany && (field === "applicantName" || field === "applicantEmail")) continue;
    const value = formData.get(field);
    values[field] = typeof value === "string" ? value.slice(0, 300) : "";
  }
  // Amounts are read as the applicant writes them: their account's locale when signed in; a new
  // company has no account yet, so the country it chose says it (es-ES for Spain, es-MX for Mexico).
  const language = isLanguage(found.language) ? found.language : "en";
  const { locale } = newCompany
    ? applicantFormattingFor(values.country ?? (found.application?.draft as Draft | undefined)?.country, language)
    : formattingFor(language, preferredFormatting(found.user));

  let application = found.application;
  const headers = new Headers();
  if (!application) {
    if (!newCompany) throw data({ reason: "not_found" }, { status: 404 });
    // The final step again, after its first post submitted the draft: the same answer, not a new draft.
    const earlier = step === "sign" ? await submittedFromCookie(request) : null;
    if (earlier) return submittedAnswer(step, await alreadySubmitted(earlier.id, { newCompany }), headers);
    // Anyone may start a draft; one client address may start only a few.
    const verdict = await consumeThrottles([{ limit: "anonymousCreditDraftPerClient", key: context?.clientIp ?? "unknown" }]);
    if (!verdict.allowed) {
      return data(
        { step, fieldErrors: { form: "credit:errors.tooManyDrafts" } as FieldErrors, values, submitted: null },
        { status: 429, headers: { "Retry-After": String(verdict.retryAfterSeconds) } },
      );
    }
    const created = await newCompanyDraft(found.language);
    application = created.application;
    headers.append("Set-Cookie", await draftCookie.serialize(`${application.id}.${created.token}`));
  }

  const index = STEPS.indexOf(step);
  if (index + 1 > application.currentStep) throw redirect(`/credit/apply?step=${STEPS[application.currentStep - 1]}`, { headers });
  const draft = { ...(application.draft as Draft), ...values };
  // Validated as typed; kept without control characters (the database refuses a NUL).
  const kept: Draft = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, withoutControlCharacters(v)]));

  if (intent === "upload") {
    // A document is attached only when the applicant asks for it: a file left in the picker
    // rides along with every later step post (the picker joins the step form), and must not
    // be attached again each time. Within the draft's document budget, or refused (and then nothing is written).
    const attached = upload?.ok ? await attachDocument(application.id, upload.file, documentKindOf(formData.get("kind")), found.user?.id ?? null) : null;
    // Whatever was typed on this step stays, uploaded or not.
    application = await saveDraftValues(application, kept);
    const uploadError = !upload?.ok ? (upload?.error ?? "files:errors.empty") : attached && !attached.ok ? attached.error : null;
    if (uploadError)
      return data(
        { step, fieldErrors: { document: uploadError } as FieldErrors, values: publicDraft(application.draft as Draft), submitted: null },
        { status: 400, headers },
      );
    throw redirect(`/credit/apply?step=${step}&uploaded=1`, { headers });
  }
  const ceiling = await loadRequestCeiling();
  const errors: FieldErrors = intent === "back" ? {} : validateStep(step, draft, { newCompany, locale, currency: draft.currency, ceiling });

  if (intent === "back") {
    await saveDraftValues(application, kept);
    throw redirect(`/credit/apply?step=${STEPS[Math.max(0, index - 1)]}`, { headers });
  }
  if (Object.keys(errors).length) {
    // What was typed is kept, errors and all: nothing is lost on a validation error or a reload.
    await saveDraftValues(application, kept);
    return data({ step, fieldErrors: errors, values: publicDraft(draft), submitted: null }, { status: 400, headers });
  }
  if (step !== "sign") {
    application = await saveDraftValues(application, kept, Math.max(application.currentStep, index + 2));
    throw redirect(`/credit/apply?step=${STEPS[index + 1]}`, { headers });
  }

  application = await saveDraftValues(application, kept);
  const complete = completeDraft(application.draft as Draft, { newCompany, locale, ceiling });
  if (!complete.ok) throw redirect(`/credit/apply?step=${complete.step}`, { headers });
  const result = await submitApplication(
    application,
    {
      ...complete.input,
      applicantName: complete.input.applicantName ?? found.user?.name ?? "",
      applicantEmail: complete.input.applicantEmail ?? found.user?.email ?? "",
    },
    found.user?.id ?? null,
  );
  if (!newCompany) throw redirect(`/credit?submitted=${result.application.number}`);
  return submittedAnswer(step, result, headers);
}

/** A new company's confirmation: its number, where it stands and its status page; the draft cookie has done its job. */
async function submittedAnswer(step: StepId, { application: submitted, statusPath }: SubmitResult, headers: Headers) {
  headers.append("Set-Cookie", await draftCookie.serialize("", { maxAge: 0 }));
  return data(
    {
      step,
      fieldErrors: {} as FieldErrors,
      values: {} as Draft,
      submitted: { number: submitted.number, status: submitted.status, email: submitted.applicantEmail, statusPath },
    },
    { headers },
  );
}

export default function CreditApply({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("credit");
  const { newCompany } = loaderData;
  const location = useLocation();
  // After a failed post the step is the one posted, whatever the URL says.
  const step = actionData?.step ?? loaderData.step;
  const values: Draft = { ...loaderData.values, ...(actionData?.values ?? {}) };
  const errors: FieldErrors = actionData?.fieldErrors ?? {};
  const index = STEPS.indexOf(step);

  if (actionData?.submitted) {
    const s = actionData.submitted;
    return (
      <section className="panel narrow" aria-labelledby="done-title">
        <h1 id="done-title">{t("apply.doneTitle")}</h1>
        <div className="alert success" role="status">
          <p>{t("apply.doneNumber", { number: s.number })}</p>
          <p>{s.status === "APPROVED" ? t("apply.doneApproved", { email: s.email }) : t("apply.doneReview", { email: s.email })}</p>
        </div>
        {s.statusPath ? (
          <p>
            {t("apply.doneStatusLead")} <Link to={s.statusPath}>{t("apply.doneStatusLink")}</Link>
          </p>
        ) : null}
      </section>
    );
  }

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <p className="eyebrow">{loaderData.number ? t("apply.draftNumber", { number: loaderData.number }) : t("apply.eyebrow")}</p>
          <h1>{t("apply.title")}</h1>
        </div>
      </div>
      <nav aria-label={t("apply.stepsLabel")}>
        <ol className="steps">
          {STEPS.map((s, i) => (
            <li key={s} aria-current={s === step ? "step" : undefined}>
              {i + 1}. {t(`apply.steps.${s}`)}
            </li>
          ))}
        </ol>
      </nav>
      <section className="panel" aria-labelledby="step-title">
        <h2 id="step-title">{t("apply.stepHeading", { n: index + 1, total: STEPS.length, name: t(`apply.steps.${step}`) })}</h2>
        {errors.form ? (
          <div className="alert error" role="alert">
            {t(errors.form)}
          </div>
        ) : Object.keys(errors).some((k) => k !== "document") ? (
          <div className="alert error" role="alert">
            {t("apply.fixErrors")}
          </div>
        ) : null}
        {/* With a draft, the document picker below belongs to this form too, so an upload keeps what was typed. */}
        <Form method="post" noValidate key={step} id="apply-step" encType={loaderData.number ? "multipart/form-data" : undefined}>
          <input type="hidden" name="step" value={step} />
          <ApplyStepFields step={step} values={values} errors={errors} newCompany={newCompany} />
          <div className="actions">
            {/* The primary button comes first so Enter moves forward. */}
            <button type="submit" name="intent" value="next" className="button primary">
              {step === "sign" ? t("apply.submit") : t("apply.next")}
            </button>{" "}
            {index > 0 ? (
              <button type="submit" name="intent" value="back" className="button">
                {t("apply.back")}
              </button>
            ) : null}
          </div>
        </Form>
      </section>
      {loaderData.number ? (
        <DocumentsPanel
          // A new panel (an empty picker) after every page change: a file left chosen after its
          // upload would look unsent, and the step form it joins would carry it along again.
          key={location.key}
          documents={loaderData.documents}
          action="/credit/apply"
          hidden={{ step }}
          error={errors.document}
          uploaded={loaderData.uploaded}
          formId="apply-step"
        />
      ) : null}
      {!newCompany ? (
        <p>
          <Link to="/credit">{t("apply.backToCredit")}</Link>
        </p>
      ) : null}
    </div>
  );
}
