import { useTranslation } from "react-i18next";
import { data, Form, Link } from "react-router";
import type { Route } from "./+types/rep.dashboard_.objectives";
import { pageTitle } from "../i18n/meta";
import { resolveReader } from "../i18n/i18n.server";
import { requireStaff } from "../utils/authorize.server";
import { readForm } from "../utils/form-body.server";
import { formValues } from "../utils/forms";
import { amountExample, amountForInput } from "../domain/money/amount-input";
import { collectionsPolicy } from "../domain/collections/policy.server";
import { parseObjectivesForm } from "../domain/reports/objectives";
import { changeObjectives, teamObjectives } from "../domain/reports/objectives.server";
import { Field } from "../components/field";
import reportStyles from "../styles/reports.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: reportStyles }];
export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "reports:objectives.title");

async function requireManager(request: Request) {
  const user = await requireStaff(request);
  if (user.role !== "MANAGER") throw data({ reason: "forbidden" }, { status: 403 });
  return user;
}

/** The team's objectives (policy data `reports.objectives`): managers only. */
export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireManager(request);
  const [objectives, policy, reader] = await Promise.all([teamObjectives(), collectionsPolicy(), resolveReader(request, user)]);
  const currency = policy.policyCurrency;
  return {
    currency,
    example: amountExample(reader.locale),
    values: {
      collectedPerMonth: amountForInput({ amountMinor: objectives.collectedPerMonthMinor, currency }, reader.locale),
      contactsPerDay: String(objectives.contactsPerDay),
      promisesKeptPercent: String(objectives.promisesKeptPercent),
      firstResponseSeconds: String(objectives.firstResponseSeconds),
      heldOrderReleaseHours: String(objectives.heldOrderReleaseHours),
    },
  };
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireManager(request);
  const [form, policy, reader] = await Promise.all([readForm(request), collectionsPolicy(), resolveReader(request, user)]);
  const values = formValues(form);
  const parsed = parseObjectivesForm(values, { locale: reader.locale, currency: policy.policyCurrency });
  if (!parsed.ok) return data({ saved: false, errors: parsed.errors, values }, { status: 400 });
  await changeObjectives(user.id, parsed.objectives);
  return { saved: true, errors: {} as Record<string, string>, values };
}

/** The objectives typed as whole numbers, with their labels (the money one has its own field). */
const COUNTED_OBJECTIVES = [
  ["contactsPerDay", "objectives.contactsPerDay"],
  ["promisesKeptPercent", "objectives.promisesKept"],
  ["firstResponseSeconds", "objectives.firstResponse"],
  ["heldOrderReleaseHours", "objectives.heldOrderReleaseHours"],
] as const;

export default function Objectives({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("reports");
  const errors = actionData?.errors ?? {};
  const values = actionData && !actionData.saved ? { ...loaderData.values, ...actionData.values } : loaderData.values;
  return (
    <div className="page">
      <p className="eyebrow">
        <Link to="/rep/dashboard">{t("title")}</Link>
      </p>
      <h1>{t("objectives.title")}</h1>
      <p className="lead">{t("objectives.intro")}</p>
      <section className="panel objectives-form">
        {actionData?.saved ? (
          <p className="alert success" role="status">
            {t("objectives.saved")}
          </p>
        ) : null}
        <Form method="post" noValidate>
          <Field
            name="collectedPerMonth"
            label={t("objectives.collectedPerMonth", { currency: loaderData.currency })}
            inputMode="decimal"
            defaultValue={values.collectedPerMonth}
            error={errors.collectedPerMonth}
            hint={`${t("objectives.collectedHint")} ${loaderData.example}`}
          />
          {COUNTED_OBJECTIVES.map(([name, label]) => (
            <Field key={name} name={name} label={t(label)} inputMode="numeric" defaultValue={values[name]} error={errors[name]} />
          ))}
          <button type="submit" className="button primary">
            {t("objectives.save")}
          </button>
        </Form>
      </section>
    </div>
  );
}
