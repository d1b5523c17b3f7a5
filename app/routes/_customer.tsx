import { useTranslation } from "react-i18next";
import { NavLink, Outlet } from "react-router";
import type { Route } from "./+types/_customer";
import { ChatWidget } from "../components/chat/widget/chat-widget";
import { requireCustomer } from "../utils/authorize.server";

/**
 * The signed-in customer's pages (no URL segment of its own): their navigation and the
 * chat widget. This loader runs beside the pages' loaders, not before them, so every
 * page below still checks the customer itself.
 */
export async function loader({ request }: Route.LoaderArgs) {
  await requireCustomer(request);
  return null;
}

export default function CustomerLayout() {
  const { t } = useTranslation();
  return (
    <>
      <nav aria-label={t("nav.label")} className="site-nav area-nav">
        <NavLink to="/account">{t("nav.accountHome")}</NavLink>
        <NavLink to="/invoices">{t("nav.invoices")}</NavLink>
        <NavLink to="/credit">{t("nav.credit")}</NavLink>
        <NavLink to="/promises">{t("nav.promises")}</NavLink>
        <NavLink to="/help">{t("nav.help")}</NavLink>
      </nav>
      {/* Room below the page so the floating chat button never covers a table's last rows. */}
      <div className="with-chat">
        <Outlet />
      </div>
      <ChatWidget />
    </>
  );
}
