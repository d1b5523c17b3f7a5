import { redirect } from "react-router";
import type { Route } from "./+types/rep.accounts.$accountId_.log";
import { requireStaff } from "../utils/authorize.server";
import { addNote, logContact } from "../domain/collections/contacts.server";
import { noticeQuery } from "../domain/collections/notices";
import { createPromise } from "../domain/collections/promises.server";
import { resolveReader } from "../i18n/i18n.server";
import { readForm } from "../utils/form-body.server";

/** Nothing to show here: the forms live on the account 360. */
export async function loader({ request, params }: Route.LoaderArgs) {
  await requireStaff(request);
  throw redirect(`/rep/accounts/${encodeURIComponent(params.accountId)}`);
}

/**
 * What a rep records from the 360: a contact, a note, a promise to pay. Each form comes
 * back to its tab with the outcome in the URL (a redirect, so a reload never posts again).
 */
export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireStaff(request);
  const form = await readForm(request);
  const intent = form.get("intent");
  const accountId = params.accountId;
  const back = (tab: string, notice: { saved?: string; error?: string; field?: string }, status = 303) =>
    redirect(`/rep/accounts/${encodeURIComponent(accountId)}?tab=${tab}&${noticeQuery(notice)}`, { status });
  if (intent === "contact") {
    const tab = form.get("returnTab") === "overview" ? "overview" : "contacts";
    const result = await logContact({ accountId, repId: user.id, form });
    if (!result.ok) return failed(tab, result.errors);
    return back(tab, { saved: "collections:contacts.saved" });
  }
  if (intent === "note") {
    const result = await addNote({ accountId, authorId: user.id, form });
    if (!result.ok) return failed("notes", result.errors);
    return back("notes", { saved: "collections:notes.saved" });
  }
  if (intent === "promise") {
    const { locale } = await resolveReader(request, user);
    const result = await createPromise({
      accountId,
      actorId: user.id,
      byCustomer: false,
      invoiceIds: form.getAll("invoiceId").filter((v): v is string => typeof v === "string"),
      amount: String(form.get("amount") ?? ""),
      promisedFor: String(form.get("promisedFor") ?? ""),
      note: String(form.get("note") ?? ""),
      requestKey: String(form.get("requestKey") ?? ""),
      locale,
    });
    if (!result.ok) return failed("promises", result.errors);
    return back("promises", { saved: "collections:promises.savedShort" });
  }
  return failed("overview", { form: "collections:errors.checkFields" });

  function failed(tab: string, errors: Record<string, string>) {
    const [field, error] = Object.entries(errors)[0] ?? ["form", "collections:errors.checkFields"];
    // 303 back to the form with the refusal: nothing was written.
    return back(tab, { error, field: field === "form" ? undefined : field });
  }
}
