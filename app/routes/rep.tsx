import { useTranslation } from "react-i18next";
import { NavLink, Outlet } from "react-router";
import type { Route } from "./+types/rep";
import { requireStaff } from "../utils/authorize.server";
import { outboxEnabled } from "../domain/mail/outbox.server";

/**
 * Staff pages under /rep: their navigation. This loader runs beside the pages' loaders,
 * not before them, so every page below still checks for staff itself.
 */
export async function loader({ request }: Route.LoaderArgs) {
  await requireStaff(request);
  return { outbox: outboxEnabled() };
}

export default function RepLayout({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <>
      <nav aria-label={t("nav.label")} className="site-nav area-nav">
        <NavLink to="/rep" end>
          {t("nav.repHome")}
        </NavLink>
        <NavLink to="/rep/day">{t("nav.myDay")}</NavLink>
        <NavLink to="/rep/credit">{t("nav.creditReview")}</NavLink>
        <NavLink to="/rep/disputes">{t("nav.disputes")}</NavLink>
        <NavLink to="/rep/collections">{t("nav.collections")}</NavLink>
        <NavLink to="/rep/chat">{t("nav.liveChat")}</NavLink>
        <NavLink to="/rep/dashboard">{t("nav.dashboard")}</NavLink>
        {loaderData.outbox ? <NavLink to="/outbox">{t("nav.outbox")}</NavLink> : null}
        <NavLink to="/rep/settings">{t("nav.settings")}</NavLink>
      </nav>
      <Outlet />
    </>
  );
}
