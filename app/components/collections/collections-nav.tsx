import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";

/** Links between the collections pages this part of the portal adds. */
export function CollectionsNav() {
  const { t } = useTranslation("dunning");
  return (
    <nav aria-label={t("nav.label")} className="sub-nav">
      <NavLink to="/rep/collections/write-offs">{t("nav.writeOffs")}</NavLink> · <NavLink to="/rep/collections/final-demands">{t("nav.finalDemands")}</NavLink>
    </nav>
  );
}
