import type { Route } from "./+types/collections.letters.$letterId";
import { downloadNotFound, downloadResponse } from "../utils/downloads.server";
import { requireUser } from "../utils/authorize.server";
import { letterForReader } from "../domain/collections/final-demand.server";

/** A final demand letter's PDF: staff, or a customer of that letter's own account (others get 404). */
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const letter = await letterForReader(user, params.letterId);
  if (!letter) return downloadNotFound(request, user);
  return downloadResponse(letter.pdf, {
    fileName: `final-demand-${letter.createdAt.toISOString().slice(0, 10)}.pdf`,
    contentType: "application/pdf",
    language: letter.language,
  });
}
