import { data, redirect } from "react-router";
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
  if (!isLanguage(language)) return data({ error: "common:language.unsupported" }, { status: 400 });
  const user = await optionalUser(request);
  // Signed in: the profile is the source of truth; the cookie covers the signed-out pages.
  if (user) await setPreferredLanguage(user.id, language);
  throw redirect(back, { headers: { "Set-Cookie": await languageCookie.serialize(language) } });
}

export function loader() {
  throw redirect("/");
}
