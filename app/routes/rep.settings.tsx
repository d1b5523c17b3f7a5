import { useTranslation } from "react-i18next";
import { data, Form } from "react-router";
import type { Route } from "./+types/rep.settings";
import { Field } from "../components/field";
import { useFormat } from "../i18n/format";
import { pageTitle } from "../i18n/meta";
import { resolveReader } from "../i18n/i18n.server";
import { requireStaff } from "../utils/authorize.server";
import { staffTimeZoneSchema } from "../domain/staff/time-zone";
import { setOwnTimeZone, teamTimeZone } from "../domain/staff/time-zone.server";
import { fieldErrorsOf, type FieldErrors } from "../utils/forms";
import { readForm } from "../utils/form-body.server";

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.repSettings");

/** A rep's own settings: the time zone every staff page shows times in (chat console, My day, audit trails). */
export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireStaff(request);
  const { language } = await resolveReader(request, user);
  return { own: user.timeZone, team: await teamTimeZone(language), now: new Date().toISOString() };
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireStaff(request);
  const form = await readForm(request);
  const field = form.get("timeZone");
  const typed = typeof field === "string" ? field.slice(0, 200) : "";
  // No field at all is not "back to the team's zone": only the form's own (possibly empty) field is.
  const parsed = staffTimeZoneSchema.safeParse({ timeZone: typeof field === "string" ? typed : null });
  if (!parsed.success) return data({ saved: false, typed, fieldErrors: fieldErrorsOf(parsed.error) as FieldErrors }, { status: 400 });
  const result = await setOwnTimeZone(user.id, parsed.data.timeZone);
  if (!result.ok) return data({ saved: false, typed, fieldErrors: { timeZone: "rep:settings.errors.timeZone" } as FieldErrors }, { status: 400 });
  return { saved: true, typed: parsed.data.timeZone, fieldErrors: {} as FieldErrors };
}

export default function RepSettings({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("rep");
  const f = useFormat();
  const refused = actionData && !actionData.saved;
  return (
    <div className="page">
      <h1>{t("settings.title")}</h1>
      <p className="lead">{t("settings.lead")}</p>
      <section className="panel" aria-labelledby="settings-zone-title">
        <h2 id="settings-zone-title">{t("settings.timeZone")}</h2>
        {actionData?.saved ? (
          <p className="alert success" role="status">
            {t("settings.saved")}
          </p>
        ) : null}
        <p>{loaderData.own ? t("settings.current", { zone: f.timeZone }) : t("settings.currentTeam", { zone: f.timeZone })}</p>
        <p>
          <time dateTime={loaderData.now}>{t("settings.now", { time: f.dateTimeWithZone(loaderData.now) })}</time>
        </p>
        <Form method="post" noValidate key={actionData?.saved ? "saved" : "editing"}>
          <Field
            name="timeZone"
            label={t("settings.timeZone")}
            hint={t("settings.timeZoneHint", { team: loaderData.team })}
            autoComplete="off"
            maxLength={64}
            defaultValue={refused ? actionData.typed : (loaderData.own ?? "")}
            error={actionData?.fieldErrors.timeZone}
          />
          <button type="submit" className="button primary">
            {t("settings.save")}
          </button>
        </Form>
      </section>
    </div>
  );
}
