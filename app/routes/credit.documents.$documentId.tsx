import { downloadNotFound } from "../utils/downloads.server";
import type { Route } from "./+types/credit.documents.$documentId";
import { optionalUser } from "../utils/authorize.server";
import { readableDocument } from "../domain/credit/documents.server";
import { draftFromCookie } from "../utils/credit-draft-cookie.server";
import { downloadHeaders, readStoredFile } from "../domain/files/stored-files.server";

/**
 * Downloads a credit document after checking the reader: staff, the applicant's own
 * account, or a new company's applicant holding its draft. Anyone else: 404, no bytes.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await optionalUser(request);
  const draft = user ? null : await draftFromCookie(request);
  const doc = await readableDocument(user, params.documentId, draft?.id ?? null);
  if (!doc) return downloadNotFound(request, user);
  const bytes = await readStoredFile(doc.storageKey);
  return new Response(new Uint8Array(bytes), { headers: downloadHeaders(doc) });
}
