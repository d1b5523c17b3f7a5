import { downloadNotFound } from "../utils/downloads.server";
import type { Route } from "./+types/disputes.$disputeId.attachments.$attachmentId";
import { requireUser } from "../utils/authorize.server";
import { downloadHeaders, readStoredFile } from "../domain/files/stored-files.server";
import { readableAttachment } from "../domain/disputes/attachments.server";

/** A dispute attachment: staff may read any; a customer only one on their own account's dispute. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const file = await readableAttachment(user, params.disputeId, params.attachmentId);
  if (!file) return downloadNotFound(request, user);
  return new Response(new Uint8Array(await readStoredFile(file.storageKey)), { headers: downloadHeaders(file) });
}
