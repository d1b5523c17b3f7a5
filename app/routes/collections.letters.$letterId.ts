import { data } from "react-router";
import type { Route } from "./+types/collections.letters.$letterId";
import { downloadResponse } from "../utils/downloads.server";
import { requireUser } from "../utils/authorize.server";
import { letterForReader } from "../domain/collections/final-demand.server";

/** A final demand letter's PDF: staff, or a customer of that letter's own account (others get 404). */
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const letter = await letterForReader(user, params.letterId);
  if (!letter) throw data({ reason: "not_found" }, { status: 404 });
  return downloadResponse(letter.pdf, {
    fileName: `final-demand-${letter.createdAt.toISOString().slice(0, 10)}.pdf`,
    contentType: "application/pdf",
    language: letter.language,
  });
}
