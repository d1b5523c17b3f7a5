import { data } from "react-router";
import type { Route } from "./+types/$";

/** The catch-all route; it also renders the server's own refusals (see `renderError` in server/app.ts). */
export function loader({ context }: Route.LoaderArgs) {
  const status = context.errorStatus ?? 404;
  throw data({ reason: status === 404 ? "not_found" : "refused" }, { status });
}

export function action() {
  throw data({ reason: "not_found" }, { status: 404 });
}

export default function NotFound() {
  return null;
}
