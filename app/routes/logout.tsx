import { redirect } from "react-router";
import type { Route } from "./+types/logout";
import { endSession } from "../utils/session.server";

export async function action({ request }: Route.ActionArgs) {
  throw redirect("/", { headers: { "Set-Cookie": await endSession(request.headers.get("Cookie")) } });
}

export async function loader() {
  // Signing out changes state, so it is a POST; a stray GET just goes home.
  throw redirect("/");
}
