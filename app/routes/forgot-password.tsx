import { useTranslation } from "react-i18next";
import { data, Form, Link } from "react-router";
import type { Route } from "./+types/forgot-password";
import { pageTitle } from "../i18n/meta";
import { Field } from "../components/field";
import { requestPasswordReset } from "../domain/auth/password-reset.server";
import { forgotPasswordSchema } from "../domain/auth/schemas";
import { consumeThrottles } from "../domain/security/throttles.server";
import { resolveLanguage } from "../i18n/i18n.server";
import { fieldErrorsOf } from "../utils/forms";
import { readForm } from "../utils/form-body.server";

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.forgotPassword");

export async function action({ request, context }: Route.ActionArgs) {
  const formData = await readForm(request);
  const parsed = forgotPasswordSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    return data({ sent: false, fieldErrors: fieldErrorsOf(parsed.error), email: String(formData.get("email") ?? "").slice(0, 254) }, { status: 400 });
  }
  const language = await resolveLanguage(request);
  // Over a limit, no mail goes out, yet the answer is the same as always: a different
  // one would tell a prober something about the address typed.
  const verdict = await consumeThrottles([
    { limit: "passwordResetPerRecipient", key: parsed.data.email },
    { limit: "passwordResetPerClient", key: context?.clientIp ?? "unknown" },
  ]);
  if (verdict.allowed) await requestPasswordReset(parsed.data.email, language);
  return { sent: true, fieldErrors: {} as Record<string, string>, email: parsed.data.email };
}

export default function ForgotPassword({ actionData }: Route.ComponentProps) {
  const { t } = useTranslation("auth");
  return (
    <section className="panel narrow" aria-labelledby="forgot-title">
      <h1 id="forgot-title">{t("forgot.title")}</h1>
      {actionData?.sent ? (
        <div className="alert success" role="status">
          <p>{t("forgot.sent")}</p>
        </div>
      ) : (
        <>
          <p className="lead">{t("forgot.lead")}</p>
          <Form method="post" noValidate>
            <Field
              name="email"
              type="email"
              autoComplete="email"
              label={t("login.email")}
              defaultValue={actionData?.email}
              error={actionData?.fieldErrors?.email}
              required
            />
            <button type="submit" className="button primary">
              {t("forgot.submit")}
            </button>
          </Form>
        </>
      )}
      <p className="aside">
        <Link to="/login">{t("forgot.back")}</Link>
      </p>
    </section>
  );
}
