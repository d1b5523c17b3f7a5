import { useTranslation } from "react-i18next";
import { Form, useLocation } from "react-router";
import { SUPPORTED_LANGUAGES } from "../i18n/config";

const NAMES: Record<string, string> = { en: "English", es: "Español" };

/** A plain form, so switching language works before (or without) JavaScript. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  // A regional variant (es-ES) is its language's button.
  const current = i18n.language.slice(0, 2);
  return (
    <Form method="post" action="/set-language" className="language-switcher" aria-label={t("language.label")}>
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      {SUPPORTED_LANGUAGES.map((language) => (
        <button
          key={language}
          type="submit"
          name="language"
          value={language}
          lang={language}
          aria-pressed={current === language}
          className={current === language ? "lang active" : "lang"}
        >
          {NAMES[language]}
        </button>
      ))}
    </Form>
  );
}
