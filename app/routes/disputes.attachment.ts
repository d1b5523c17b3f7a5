import { data } from "react-router";
import type { Route } from "./+types/disputes.attachment";
import { requireUser } from "../utils/authorize.server";
import { downloadHeaders, readStoredFile } from "../domain/files/stored-files.server";
import { db } from "../utils/db.server";

/** A dispute attachment: staff may read any; a customer only one on their own account's dispute. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const staff = user.role === "REP" || user.role === "MANAGER";
  const file = await db().disputeAttachment.findFirst({
    where: {
      id: params.attachmentId,
      disputeId: params.disputeId,
      ...(staff ? {} : { dispute: { accountId: user.accountId ?? "-" } }),
      // Files on internal notes are for staff only.
      ...(staff ? {} : { OR: [{ messageId: null }, { message: { internal: false } }] }),
    },
  });
  if (!file) throw data({ reason: "not_found" }, { status: 404 });
  return new Response(new Uint8Array(await readStoredFile(file.storageKey)), { headers: downloadHeaders(file) });
}
