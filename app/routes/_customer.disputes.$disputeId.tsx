import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import { pageTitle } from "../i18n/meta";
import type { Route } from "./+types/_customer.disputes.$disputeId";
import invoicesStyles from "../styles/invoices.css?url";
import { DisputeFacts, DisputeThread } from "../components/dispute-thread";
import { Field, TextAreaField } from "../components/field";
import { requireCustomer } from "../utils/authorize.server";
import { readFormWithFiles } from "../utils/uploads.server";
import { isOpen, messageSchema } from "../domain/disputes/dispute-schemas";
import { addMessage } from "../domain/disputes/dispute-messages.server";
import { disputeFor } from "../domain/disputes/dispute-queries.server";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: invoicesStyles }];

export const meta: Route.MetaFunction = ({ matches, data }) => pageTitle(matches, "disputes:list.title", data?.dispute.number);

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireCustomer(request);
  // Scoped by the session's account; internal notes are never loaded for a customer.
  const dispute = await disputeFor({ role: user.role, accountId: user.accountId }, params.disputeId);
  if (!dispute) throw data({ reason: "not_found" }, { status: 404 });
  // A fresh key per reply form: the same form sent twice stores one message.
  return { dispute, requestKey: crypto.randomUUID(), sent: new URL(request.url).searchParams.get("sent") === "1" };
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireCustomer(request);
  const dispute = await disputeFor({ role: user.role, accountId: user.accountId }, params.disputeId);
  if (!dispute) throw data({ reason: "not_found" }, { status: 404 });
  const read = await readFormWithFiles(request, { field: "attachment", maxFiles: 5 });
  if (!read.ok) return data({ errors: { body: read.error }, posted: { body: "" } }, { status: 400 });
  // A refused reply comes back with its text, so a page without JavaScript does not lose it.
  const body = read.form.get("body");
  const posted = { body: typeof body === "string" ? body : "" };
  if (read.fileError) return data({ errors: { body: read.fileError }, posted }, { status: 400 });
  const parsed = messageSchema.safeParse({ body });
  if (!parsed.success) return data({ errors: { body: parsed.error.issues[0].message }, posted }, { status: 400 });
  const requestKey = read.form.get("requestKey");
  await addMessage({
    disputeId: dispute.id,
    authorId: user.id,
    body: parsed.data.body,
    internal: false,
    files: read.files,
    accountId: user.accountId,
    requestKey: typeof requestKey === "string" ? requestKey : null,
  });
  // Post/redirect/get: reloading the page after sending asks for the page, not to send again.
  throw redirect(`/disputes/${dispute.id}?sent=1`, { status: 303 });
}

export default function DisputeDetail({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("disputes");
  const navigation = useNavigation();
  const { dispute } = loaderData;
  const errors: Record<string, string> = actionData?.errors ?? {};
  return (
    <div className="page">
      <p>
        <Link to="/disputes">← {t("detail.back")}</Link>
      </p>
      <div className="page-head">
        <div>
          <p className="eyebrow">
            {t("detail.invoice")} <Link to={`/invoices/${dispute.invoice.id}`}>{dispute.invoice.number}</Link>
          </p>
          <h1>{t("detail.title", { number: dispute.number })}</h1>
        </div>
      </div>
      <section className="panel">
        <DisputeFacts dispute={dispute} />
      </section>
      <section className="panel" aria-labelledby="thread-title">
        <h2 id="thread-title">{t("detail.thread")}</h2>
        <DisputeThread dispute={dispute} viewer="customer" />
        {loaderData.sent && !actionData ? <p role="status">{t("detail.sent")}</p> : null}
        {isOpen(dispute.status) ? (
          // A new form (empty, with a new key) once a reply is sent; a refused one keeps its key and text.
          <Form method="post" encType="multipart/form-data" key={loaderData.requestKey}>
            <input type="hidden" name="requestKey" value={loaderData.requestKey} />
            <h3>{t("detail.reply")}</h3>
            <TextAreaField name="body" label={t("detail.replyLabel")} error={errors.body} rows={4} defaultValue={actionData?.posted.body} />
            <Field name="attachment" label={t("detail.attach")} type="file" multiple accept="application/pdf,image/png,image/jpeg" />
            <button type="submit" className="button" disabled={navigation.state !== "idle"}>
              {t("detail.send")}
            </button>
          </Form>
        ) : null}
      </section>
    </div>
  );
}
