import { useTranslation } from "react-i18next";
import { data, Form, redirect } from "react-router";
import type { Route } from "./+types/help";
import { pageTitle } from "../i18n/meta";
import { ChatThread } from "../components/chat/widget/chat-thread";
import { Field, SelectField } from "../components/field";
import { optionalUser } from "../utils/authorize.server";
import { guestChatCookie, guestConversationFromCookie, openGuestConversation } from "../domain/chat/open-conversation.server";
import { guestChatSchema, TOPICS } from "../domain/chat/schemas";
import { consumeThrottles } from "../domain/security/throttles.server";
import { resolveLanguage } from "../i18n/i18n.server";
import { fieldErrorsOf, formValues } from "../utils/forms";
import { readForm } from "../utils/form-body.server";

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.help");

/** The public help page: a guest (name, email, optional account number) opens a chat here. */
export async function loader({ request }: Route.LoaderArgs) {
  const user = await optionalUser(request);
  const guest = user ? null : await guestConversationFromCookie(request.headers.get("Cookie"));
  return { signedIn: !!user, guestConversationId: guest && guest.status !== "CLOSED" ? guest.id : null };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = await optionalUser(request);
  if (user) throw redirect("/help");
  const formData = await readForm(request);
  const values = formValues(formData);
  const parsed = guestChatSchema.safeParse(values);
  if (!parsed.success) return data({ fieldErrors: fieldErrorsOf(parsed.error), values, retryAfterMinutes: 0 }, { status: 400 });
  const verdict = await consumeThrottles([{ limit: "guestChatPerClient", key: context?.clientIp ?? "unknown" }]);
  if (!verdict.allowed) {
    const retryAfterMinutes = Math.ceil(verdict.retryAfterSeconds / 60);
    return data(
      { fieldErrors: {} as Record<string, string>, values, retryAfterMinutes },
      { status: 429, headers: { "Retry-After": String(verdict.retryAfterSeconds) } },
    );
  }
  const language = await resolveLanguage(request);
  const { token } = await openGuestConversation(language, parsed.data);
  throw redirect("/help", { headers: { "Set-Cookie": await guestChatCookie.serialize(token) } });
}

export default function Help({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("chat");
  const errors = actionData?.fieldErrors ?? {};
  const values = actionData?.values ?? {};
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{t("help.title")}</h1>
          <p className="lead">{t("help.intro")}</p>
        </div>
      </div>
      {loaderData.signedIn ? (
        <p className="alert success">{t("help.signedInHint")}</p>
      ) : loaderData.guestConversationId ? (
        <section className="panel chat-page" aria-labelledby="guest-chat-title">
          <h2 id="guest-chat-title">{t("help.chatTitle")}</h2>
          <ChatThread mode="guest" guestConversationId={loaderData.guestConversationId} />
        </section>
      ) : (
        <section className="panel narrow" aria-labelledby="guest-form-title">
          <h2 id="guest-form-title">{t("help.formTitle")}</h2>
          {actionData?.retryAfterMinutes ? (
            <p className="alert error" role="alert">
              {t("help.tooManyChats", { minutes: actionData.retryAfterMinutes })}
            </p>
          ) : null}
          <Form method="post" noValidate>
            <Field name="name" label={t("help.name")} autoComplete="name" required defaultValue={values.name} error={errors.name} />
            <Field name="email" label={t("help.email")} type="email" autoComplete="email" required defaultValue={values.email} error={errors.email} />
            <Field name="accountNumber" label={t("help.accountNumber")} defaultValue={values.accountNumber} error={errors.accountNumber} />
            <SelectField
              name="topic"
              label={t("widget.topic")}
              choose={false}
              defaultValue={values.topic ?? "OTHER"}
              error={errors.topic}
              options={TOPICS.map((x) => ({ value: x, label: t(`topics.${x}`) }))}
            />
            <Field name="invoiceRef" label={t("widget.invoiceRef")} defaultValue={values.invoiceRef} error={errors.invoiceRef} />
            <button type="submit" className="button primary">
              {t("widget.start")}
            </button>
          </Form>
        </section>
      )}
    </div>
  );
}
