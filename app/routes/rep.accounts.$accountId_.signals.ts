import { redirect } from "react-router";
import type { Route } from "./+types/rep.accounts.$accountId_.signals";
import { requireStaff } from "../utils/authorize.server";
import { readForm } from "../utils/form-body.server";
import { reviewSignal } from "../domain/watch/signals.server";

/** Nothing to show here: the signals live on the account 360. */
export async function loader({ request, params }: Route.LoaderArgs) {
  await requireStaff(request);
  throw redirect(`/rep/accounts/${encodeURIComponent(params.accountId)}`);
}

/** A rep marks a watch signal reviewed; back to the 360 with the outcome (a redirect, so a reload never posts again). */
export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireStaff(request);
  const form = await readForm(request);
  const outcome = await reviewSignal(user, params.accountId, String(form.get("signal") ?? "").slice(0, 80));
  return redirect(`/rep/accounts/${encodeURIComponent(params.accountId)}?signal=${outcome === "reviewed" ? "reviewed" : "gone"}#signals`, { status: 303 });
}
