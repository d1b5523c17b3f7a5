import { useTranslation } from "react-i18next";
import { data, Form } from "react-router";
import type { Route } from "./+types/rep.chat.hours";
import { pageTitle } from "../i18n/meta";
import { requireStaff } from "../utils/authorize.server";
import { businessHours } from "../domain/chat/assignment.server";
import { hoursFormSchema } from "../domain/chat/hours";
import { changeBusinessHours } from "../domain/chat/change-business-hours.server";
import { fieldErrorsOf, type FieldErrors } from "../utils/forms";
import { readForm } from "../utils/form-body.server";

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.chatHours");

async function requireManager(request: Request) {
  const user = await requireStaff(request);
  if (user.role !== "MANAGER") throw data({ reason: "forbidden" }, { status: 403 });
  return user;
}

/** Managers set when live chat is offered, per language team (PolicySetting `hours.<lang>`). */
export async function loader({ request }: Route.LoaderArgs) {
  await requireManager(request);
  const [en, es] = await Promise.all([businessHours("en"), businessHours("es")]);
  return {
    teams: [
      { language: "en" as const, hours: en },
      { language: "es" as const, hours: es },
    ],
  };
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireManager(request);
  const form = await readForm(request);
  const parsed = hoursFormSchema.safeParse({
    language: form.get("language"),
    timezone: form.get("timezone"),
    days: form.getAll("days"),
    open: form.get("open"),
    close: form.get("close"),
    holidays: String(form.get("holidays") ?? ""),
  });
  const language = String(form.get("language") ?? "");
  if (!parsed.success) return data({ language, fieldErrors: byField(fieldErrorsOf(parsed.error)), saved: false }, { status: 400 });
  const { language: lang, ...hours } = parsed.data;
  await changeBusinessHours(user.id, lang, hours);
  return { language: lang, fieldErrors: {} as FieldErrors, saved: true };
}

/** An error about one holiday of the list (`holidays.2`) belongs to the holidays field, the one the page shows. */
function byField(errors: FieldErrors): FieldErrors {
  const fields: FieldErrors = {};
  for (const [path, message] of Object.entries(errors)) fields[path.split(".")[0]] ??= message;
  return fields;
}

const DAYS = [1, 2, 3, 4, 5, 6, 0];

export default function ChatHours({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("chat");
  return (
    <div className="page">
      <h1>{t("hours.title")}</h1>
      <p className="lead">{t("hours.intro")}</p>
      <div className="grid-2">
        {loaderData.teams.map(({ language, hours }) => {
          const mine = actionData?.language === language;
          const errors = mine ? actionData.fieldErrors : {};
          const id = (name: string) => `${language}-${name}`;
          return (
            <section key={language} className="panel" aria-labelledby={id("title")}>
              <h2 id={id("title")}>{t("hours.team", { language: t(`console.languageNames.${language}`) })}</h2>
              {mine && actionData.saved ? (
                <p className="alert success" role="status">
                  {t("hours.saved")}
                </p>
              ) : null}
              <Form method="post" noValidate>
                <input type="hidden" name="language" value={language} />
                <TeamField
                  id={id("timezone")}
                  name="timezone"
                  label={t("hours.timezone")}
                  defaultValue={hours?.timezone ?? "America/Chicago"}
                  error={errors.timezone}
                />
                <fieldset className={errors.days ? "field has-error" : "field"}>
                  <legend>{t("hours.days")}</legend>
                  {DAYS.map((d) => (
                    <label key={d} className="checkbox">
                      <input type="checkbox" name="days" value={d} defaultChecked={hours?.days.includes(d) ?? (d >= 1 && d <= 5)} /> {t(`hours.dayNames.${d}`)}
                    </label>
                  ))}
                  {errors.days ? (
                    <p className="field-error" role="alert">
                      {t(errors.days)}
                    </p>
                  ) : null}
                </fieldset>
                <TeamField id={id("open")} name="open" label={t("hours.open")} defaultValue={hours?.open ?? "08:00"} error={errors.open} />
                <TeamField id={id("close")} name="close" label={t("hours.close")} defaultValue={hours?.close ?? "18:00"} error={errors.close} />
                <div className={errors.holidays ? "field has-error" : "field"}>
                  <label htmlFor={id("holidays")}>{t("hours.holidays")}</label>
                  <textarea
                    id={id("holidays")}
                    name="holidays"
                    rows={3}
                    defaultValue={hours?.holidays.join("\n") ?? ""}
                    aria-invalid={errors.holidays ? true : undefined}
                    aria-describedby={errors.holidays ? id("holidays-error") : undefined}
                  />
                  {errors.holidays ? (
                    <p id={id("holidays-error")} className="field-error" role="alert">
                      {t(errors.holidays)}
                    </p>
                  ) : null}
                </div>
                <button type="submit" className="button primary">
                  {t("hours.save")}
                </button>
              </Form>
            </section>
          );
        })}
      </div>
    </div>
  );
}

/** A labelled input whose id is unique per team form (two forms share the page). */
function TeamField({ id, name, label, defaultValue, error }: { id: string; name: string; label: string; defaultValue: string; error?: string }) {
  const { t } = useTranslation();
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} defaultValue={defaultValue} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {t(error)}
        </p>
      ) : null}
    </div>
  );
}
