import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/reset-password";
import { pageTitle } from "../i18n/meta";
import { Field } from "../components/field";
import { isResetTokenUsable, resetPassword } from "../domain/auth/password-reset.server";
import { MIN_PASSWORD_LENGTH } from "../domain/auth/password-rules";
import { resetPasswordSchema } from "../domain/auth/schemas";
import { fieldErrorsOf } from "../utils/forms";
import { readForm } from "../utils/form-body.server";

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.resetPassword");

export const headers: Route.HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: Route.LoaderArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const usable = token.length >= 20 && token.length <= 100 && (await isResetTokenUsable(token));
  return data({ token: usable ? token : "", usable }, { status: usable ? 200 : 400, headers: { "Referrer-Policy": "no-referrer" } });
}

export async function action({ request }: Route.ActionArgs) {
  const parsed = resetPasswordSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return data({ fieldErrors: fieldErrorsOf(parsed.error), formError: null }, { status: 400 });
  const result = await resetPassword(parsed.data.token, parsed.data.password);
  if (!result.ok) return data({ fieldErrors: {} as Record<string, string>, formError: "auth:errors.invalidToken" }, { status: 400 });
  throw redirect("/login?reset=1");
}

export default function ResetPassword({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("auth");
  return (
    <section className="panel narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">{t("reset.title")}</h1>
      {!loaderData.usable || actionData?.formError ? (
        <div className="alert error" role="alert">
          <p>{t("errors.invalidToken")}</p>
          <p>
            <Link to="/forgot-password">{t("reset.requestAgain")}</Link>
          </p>
        </div>
      ) : (
        <Form method="post" noValidate>
          <input type="hidden" name="token" value={loaderData.token} />
          <Field
            name="password"
            type="password"
            autoComplete="new-password"
            label={t("reset.password")}
            hint={t("reset.hint", { count: MIN_PASSWORD_LENGTH })}
            error={actionData?.fieldErrors?.password ?? actionData?.fieldErrors?.token}
            required
          />
          <Field name="confirm" type="password" autoComplete="new-password" label={t("reset.confirm")} error={actionData?.fieldErrors?.confirm} required />
          <button type="submit" className="button primary">
            {t("reset.submit")}
          </button>
        </Form>
      )}
    </section>
  );
}
