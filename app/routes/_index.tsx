import { useTranslation } from "react-i18next";
import { Link, redirect } from "react-router";
import type { Route } from "./+types/_index";
import { pageTitle } from "../i18n/meta";
import { homePathFor, optionalUser } from "../utils/authorize.server";

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.home");

export async function loader({ request }: Route.LoaderArgs) {
  const user = await optionalUser(request);
  if (user) throw redirect(homePathFor(user));
  return null;
}

export default function Home() {
  const { t } = useTranslation();
  const features = ["credit", "invoices", "pay", "chat"] as const;
  return (
    <div className="page">
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">{t("landing.title")}</h1>
        <p className="lead">{t("landing.lead")}</p>
        <p>
          <Link to="/login" className="button primary">
            {t("nav.signIn")}
          </Link>{" "}
          {/* A company that is not a customer yet starts here: the application needs no account. */}
          <Link to="/credit/apply" className="button" data-testid="home-apply">
            {t("landing.applyForCredit")}
          </Link>
        </p>
      </section>
      <ul className="feature-list">
        {features.map((feature) => (
          <li key={feature} className="panel">
            <h2>{t(`landing.features.${feature}.title`)}</h2>
            <p>{t(`landing.features.${feature}.text`)}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
