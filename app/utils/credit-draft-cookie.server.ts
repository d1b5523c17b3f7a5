import { portalCookie } from "./cookies.server";
import { draftByToken, submittedByToken } from "../domain/credit/application-drafts.server";

/** A new company's draft is found again only through this cookie: its id and a secret token (hashed in the draft). */
export const draftCookie = portalCookie("credit_draft", { path: "/credit", sameSite: "lax", httpOnly: true, maxAge: 60 * 60 * 24 * 30 });

async function idAndToken(request: Request) {
  const raw = (await draftCookie.parse(request.headers.get("Cookie"))) as unknown;
  if (typeof raw !== "string") return null;
  const [id, token] = raw.split(".");
  return id && token ? { id, token } : null;
}

export async function draftFromCookie(request: Request) {
  const found = await idAndToken(request);
  return found ? draftByToken(found.id, found.token) : null;
}

/** The application this cookie's draft became, once submitted (see `submittedByToken`). */
export async function submittedFromCookie(request: Request) {
  const found = await idAndToken(request);
  return found ? submittedByToken(found.id, found.token) : null;
}
