import { useTranslation } from "react-i18next";
import { data, Form, Link } from "react-router";
import type { Route } from "./+types/rep.chat.policy";
import { Field } from "../components/field";
import { pageTitle } from "../i18n/meta";
import { requireStaff } from "../utils/authorize.server";
import { chatPolicyFormSchema, mayManageChatPolicy } from "../domain/chat/chat-policy";
import { changeChatPolicy, currentChatPolicy } from "../domain/chat/change-chat-policy.server";
import { fieldErrorsOf, formValues, type FieldErrors } from "../utils/forms";
import { readForm } from "../utils/form-body.server";

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.chatPolicy");

async function requireSupervisor(request: Request) {
  const user = await requireStaff(request);
  if (!mayManageChatPolicy(user)) throw data({ reason: "forbidden" }, { status: 403 });
  return user;
}

/** Supervisors and managers set the team's chat rules: the unanswered-chat timer and the capacity defaults. */
export async function loader({ request }: Route.LoaderArgs) {
  await requireSupervisor(request);
  return { policy: await currentChatPolicy() };
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireSupervisor(request);
  const form = await readForm(request);
  const values = formValues(form);
  const parsed = chatPolicyFormSchema.safeParse(values);
  if (!parsed.success) return data({ values, fieldErrors: fieldErrorsOf(parsed.error) as FieldErrors, saved: false }, { status: 400 });
  await changeChatPolicy(user.id, parsed.data);
  return { values, fieldErrors: {} as FieldErrors, saved: true };
}

/** The chat policy's numbers, each with its label key and the bounds the browser may check before the server does. */
const POLICY_FIELDS = [
  { name: "unansweredReassignSeconds", label: "unanswered", min: 30, max: 3600 },
  { name: "defaultCapacity", label: "defaultCapacity", min: 1, max: 20 },
  { name: "maxCapacity", label: "maxCapacity", min: 1, max: 20 },
] as const;

export default function ChatPolicy({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("chat");
  const errors = actionData?.fieldErrors ?? {};
  // After a refused save the form shows what was typed, next to what is wrong with it.
  const shown = (field: keyof typeof loaderData.policy) =>
    actionData && !actionData.saved ? (actionData.values[field] ?? "") : String(loaderData.policy[field]);
  return (
    <div className="page">
      <h1>{t("policy.title")}</h1>
      <p className="lead">{t("policy.intro")}</p>
      <section className="panel" aria-labelledby="policy-form-title">
        <h2 id="policy-form-title">{t("policy.formTitle")}</h2>
        {actionData?.saved ? (
          <p className="alert success" role="status">
            {t("policy.saved")}
          </p>
        ) : null}
        <Form method="post" noValidate key={actionData?.saved ? "saved" : "editing"}>
          {POLICY_FIELDS.map(({ name, label, min, max }) => (
            <Field
              key={name}
              name={name}
              label={t(`policy.${label}`)}
              hint={t(`policy.${label}Hint`)}
              type="number"
              inputMode="numeric"
              min={min}
              max={max}
              defaultValue={shown(name)}
              error={errors[name]}
            />
          ))}
          <button type="submit" className="button primary">
            {t("policy.save")}
          </button>
        </Form>
      </section>
      <p>
        <Link to="/rep/chat">{t("policy.back")}</Link>
      </p>
    </div>
  );
}
