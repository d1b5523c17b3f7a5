import { data } from "react-router";
import type { Route } from "./+types/collections.letters.$letterId";
import { requireUser } from "../utils/authorize.server";
import { letterForReader } from "../domain/collections/final-demand.server";

/** A final demand letter's PDF: staff, or a customer of that letter's own account (others get 404). */
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const letter = await letterForReader(user, params.letterId);
  if (!letter) throw data({ reason: "not_found" }, { status: 404 });
  return new Response(new Uint8Array(letter.pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="final-demand-${letter.createdAt.toISOString().slice(0, 10)}.pdf"`,
      "Cache-Control": "private, no-store",
      "Content-Language": letter.language,
      "X-Content-Type-Options": "nosniff",
    },
  });
}
