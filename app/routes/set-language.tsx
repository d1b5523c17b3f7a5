import { redirect } from "react-router";
import type { Route } from "./+types/set-language";
import { optionalUser, safeRedirectPath } from "../utils/authorize.server";
import { isLanguage } from "../i18n/config";
import { languageCookie } from "../i18n/i18n.server";
import { setPreferredLanguage } from "../domain/auth/preferred-language.server";
import { readForm } from "../utils/form-body.server";

export async function action({ request }: Route.ActionArgs) {
  const formData = await readForm(request);
  const language = formData.get("language");
  const back = safeRedirectPath(formData.get("redirectTo"), "/");
  // Only a tampered form sends another language (the switcher's buttons are ours): back where
  // it came from, in the language it had, as a page and not a bare error body.
  if (!isLanguage(language)) throw redirect(back);
  const user = await optionalUser(request);
  // Signed in: the profile is the source of truth; the cookie covers the signed-out pages.
  if (user) await setPreferredLanguage(user.id, language);
  throw redirect(user ? back : carryToSignIn(back, language), { headers: { "Set-Cookie": await languageCookie.serialize(language) } });
}

/**
 * A choice made on the sign-in page rides back to it in the address, so the sign-in form
 * can send it: only that choice becomes the profile's language. The cookie alone may be
 * somebody else's, left in a shared browser.
 */
function carryToSignIn(back: string, language: string): string {
  const url = new URL(back, "http://portal.invalid");
  if (url.pathname !== "/login") return back;
  url.searchParams.set("language", language);
  return url.pathname + url.search;
}

export function loader() {
  throw redirect("/");
}
