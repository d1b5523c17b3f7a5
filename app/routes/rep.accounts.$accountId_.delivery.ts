import { redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/rep.accounts.$accountId_.delivery";
import { requireStaff } from "../utils/authorize.server";
import { changeDeliveryPath, resendDelivery } from "../domain/invoice-delivery/delivery-ledger.server";
import { noticeQuery } from "../domain/collections/notices";
import { readForm } from "../utils/form-body.server";

/** Nothing to show here: the delivery panel lives on the account 360. */
export async function loader({ request, params }: Route.LoaderArgs) {
  await requireStaff(request);
  throw redirect(`/rep/accounts/${encodeURIComponent(params.accountId)}`);
}

const resendSchema = z.object({ deliveryId: z.string().min(1).max(64), attempts: z.coerce.number().int().min(0).max(1000) });

/**
 * The 360's delivery forms: set the account's path, or re-send one document. Staff only;
 * each comes back to the 360 with its outcome in the URL (a redirect: a reload never posts again).
 */
export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireStaff(request);
  const form = await readForm(request);
  const accountId = params.accountId;
  const back = (notice: { saved?: string; error?: string; field?: string }) =>
    redirect(`/rep/accounts/${encodeURIComponent(accountId)}?${noticeQuery(notice)}#delivery-title`, { status: 303 });
  const intent = form.get("intent");
  if (intent === "path") {
    const result = await changeDeliveryPath({ accountId, actorId: user.id, form });
    if (!result.ok) {
      const [field, error] = Object.entries(result.errors)[0];
      return back({ error, field: field === "form" ? undefined : field });
    }
    return back({ saved: result.changed ? "delivery:saved" : "delivery:unchanged" });
  }
  if (intent === "resend") {
    const parsed = resendSchema.safeParse({ deliveryId: form.get("deliveryId"), attempts: form.get("attempts") });
    if (!parsed.success) return back({ error: "delivery:errors.notFound" });
    const result = await resendDelivery({ accountId, deliveryId: parsed.data.deliveryId, seenAttempts: parsed.data.attempts, actorId: user.id });
    if (!result.ok) return back({ error: result.error });
    return result.status === "sent" || result.status === "queued"
      ? back({ saved: `delivery:resent.${result.status}` })
      : back({ error: `delivery:resent.${result.status}` });
  }
  return back({ error: "delivery:errors.checkFields" });
}
