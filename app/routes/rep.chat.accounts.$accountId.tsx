import { data } from "react-router";
import type { Route } from "./+types/rep.chat.accounts.$accountId";
import { requireStaff } from "../utils/authorize.server";
import { accountGlance } from "../domain/chat/account-glance.server";

/** JSON for the rep console's "account at a glance" panel. Staff only. */
export async function loader({ request, params }: Route.LoaderArgs) {
  await requireStaff(request);
  const glance = await accountGlance(params.accountId);
  if (!glance) throw data({ reason: "not_found" }, { status: 404 });
  return data(glance, { headers: { "Cache-Control": "no-store" } });
}
