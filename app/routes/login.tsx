import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, redirectDocument, useNavigation } from "react-router";
import type { Route } from "./+types/login";
import { pageTitle } from "../i18n/meta";
import { Field } from "../components/field";
import { homePathFor, optionalUser, safeRedirectPath } from "../utils/authorize.server";
import { signInSchema } from "../domain/auth/schemas";
import { signIn } from "../domain/auth/sign-in.server";
import { startSession } from "../utils/session.server";
import { fieldErrorsOf, type FieldErrors } from "../utils/forms";
import { FormAlerts } from "../components/form-alerts";
import { readForm } from "../utils/form-body.server";
import { isLanguage } from "../i18n/config";
import { setPreferredLanguage } from "../domain/auth/preferred-language.server";

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.login");

// Retry-After from a throttled sign-in must reach the document response.
export const headers: Route.HeadersFunction = ({ actionHeaders }) => actionHeaders;

export async function loader({ request }: Route.LoaderArgs) {
  const user = await optionalUser(request);
  if (user) throw redirect(homePathFor(user));
  const search = new URL(request.url).searchParams;
  const language = search.get("language");
  return {
    redirectTo: safeRedirectPath(search.get("redirectTo"), ""),
    language: isLanguage(language) ? language : null,
    // Sent here by /reset-password (a reset or a new company's welcome link) once the password is set.
    passwordSet: search.get("reset") === "1",
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const formData = await readForm(request);
  const parsed = signInSchema.safeParse(Object.fromEntries(formData));
  const email = String(formData.get("email") ?? "").slice(0, 254);
  if (!parsed.success) {
    return data({ fieldErrors: fieldErrorsOf(parsed.error), formError: null, retryAfterMinutes: 0, email }, { status: 400 });
  }
  const result = await signIn({
    email: parsed.data.email,
    password: parsed.data.password,
    ip: context?.clientIp ?? "unknown",
  });
  if (!result.ok) {
    const tooMany = result.error === "too_many_attempts";
    return data(
      {
        fieldErrors: {} as FieldErrors,
        formError: tooMany ? "auth:errors.tooManyAttempts" : "auth:errors.invalidCredentials",
        retryAfterMinutes: tooMany ? Math.ceil(result.retryAfterSeconds / 60) : 0,
        email,
      },
      { status: tooMany ? 429 : 401, headers: tooMany ? { "Retry-After": String(result.retryAfterSeconds) } : undefined },
    );
  }
  const home = result.role === "CUSTOMER" ? "/account" : "/rep";
  const target = safeRedirectPath(parsed.data.redirectTo, home);
  // A customer sent to a rep page (or the reverse) lands on their own home instead.
  const fits = result.role === "CUSTOMER" ? !target.startsWith("/rep") : !target.startsWith("/account");
  // A language picked on this page is the latest choice: it wins over the profile and becomes it.
  // A language cookie alone is not a choice of this person's (a shared browser keeps the last one).
  if (parsed.data.language) await setPreferredLanguage(result.userId, parsed.data.language);
  const cookie = await startSession(result.userId, request.headers.get("user-agent"));
  // A whole new document, not a client-side navigation: the target may be a download (an invoice PDF, the statement
  // CSV) that has no page to render, and everything the page holds (the header, the chat socket) starts as this user.
  throw redirectDocument(fits ? target : home, { headers: { "Set-Cookie": cookie } });
}

export default function Login({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("auth");
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <section className="panel narrow" aria-labelledby="login-title">
      <h1 id="login-title">{t("login.title")}</h1>
      <p className="lead">{t("login.lead")}</p>
      <FormAlerts
        success={loaderData.passwordSet && !actionData && t("login.passwordSet")}
        error={actionData?.formError && t(actionData.formError, { minutes: actionData.retryAfterMinutes })}
      />
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={loaderData.redirectTo} />
        {loaderData.language ? <input type="hidden" name="language" value={loaderData.language} /> : null}
        <Field
          name="email"
          type="email"
          autoComplete="username"
          label={t("login.email")}
          defaultValue={actionData?.email}
          error={actionData?.fieldErrors?.email}
          required
        />
        <Field name="password" type="password" autoComplete="current-password" label={t("login.password")} error={actionData?.fieldErrors?.password} required />
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? t("login.submitting") : t("login.submit")}
        </button>
      </Form>
      <p className="aside">
        <Link to="/forgot-password">{t("login.forgot")}</Link>
      </p>
    </section>
  );
}
