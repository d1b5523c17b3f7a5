import { useTranslation } from "react-i18next";
import { data, Form } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/outbox";
import { pageTitle } from "../i18n/meta";
import { requireStaff } from "../utils/authorize.server";
import { outboxEnabled } from "../domain/mail/outbox.server";
import { useFormat } from "../i18n/format";
import { recentOutboxEmails } from "../domain/mail/outbox-view.server";
import { Field } from "../components/field";

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.outbox");

const querySchema = z.object({ to: z.string().trim().toLowerCase().max(254).optional() });

/**
 * The demo's mail catcher, for staff only (a rep or a manager, signed in): what the
 * portal emailed, as stored — links that open an account (reset, welcome) were never
 * stored, only a line saying one was sent. It exists while MAIL_OUTBOX is on.
 * Guests are sent to sign in; customers get 403 — their mail is not theirs to browse
 * here, nor anyone else's.
 */
export async function loader({ request }: Route.LoaderArgs) {
  if (!outboxEnabled()) throw data({ reason: "not_found" }, { status: 404 });
  await requireStaff(request);
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const to = parsed.success ? parsed.data.to || undefined : undefined;
  const emails = await recentOutboxEmails(to);
  return { emails, to: to ?? "" };
}

export default function Outbox({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="page">
      <h1>{t("outbox.title")}</h1>
      <p className="lead">{t("outbox.lead")}</p>
      <Form method="get" className="inline-form">
        <Field name="to" label={t("outbox.filterLabel")} type="email" defaultValue={loaderData.to} />
        <button type="submit" className="button">
          {t("outbox.filter")}
        </button>
      </Form>
      {loaderData.emails.length === 0 ? <p className="note">{t("outbox.empty")}</p> : null}
      <ol className="mail-list">
        {loaderData.emails.map((email) => (
          <li key={email.id} className="panel mail">
            <p className="mail-meta">
              <span>{t("outbox.to", { to: email.to })}</span> · <time dateTime={new Date(email.createdAt).toISOString()}>{f.dateTime(email.createdAt)}</time> ·{" "}
              <span lang={email.language}>{email.language.toUpperCase()}</span>
            </p>
            <h2 className="mail-subject" lang={email.language}>
              {email.subject}
            </h2>
            <pre className="mail-body" lang={email.language}>
              {email.text}
            </pre>
            {email.attachments.length ? (
              <ul className="mail-attachments" data-testid="mail-attachments">
                {email.attachments.map((a) => (
                  <li key={a.fileName}>{t("delivery:outbox.attachment", { name: a.fileName, size: f.number(Math.max(1, Math.round(a.sizeBytes / 1024))) })}</li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
