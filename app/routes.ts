import type { RouteConfig } from "@react-router/dev/routes";
import { flatRoutes } from "@react-router/fs-routes";

/**
 * Every file in app/routes/ is a route named by its URL (React Router's flat-routes
 * convention): dots are slashes, `$name` a parameter, `_index` the page at its parent's
 * URL, `[.]` a literal dot, a leading `_` a layout that adds nothing to the URL, and a
 * trailing `_` leaves a parent layout. `_customer.*` pages sit in the customer layout,
 * `rep.*` pages in the staff one; everything else (sign-in, help, applying for credit,
 * webhooks) stands alone. Only route modules live in that folder.
 */
export default flatRoutes() satisfies Promise<RouteConfig>;
