import type { Route } from "./+types/rep.chat._index";
import { ChatConsole } from "../components/chat/console/chat-console";
import { requireStaff } from "../utils/authorize.server";
import { consoleData } from "../domain/chat/console.server";
import { pageTitle } from "../i18n/meta";

/** The rep console at /rep/chat: the page brings what does not change; the socket brings everything live. */
export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.liveChat");

export async function loader({ request }: Route.LoaderArgs) {
  return consoleData(await requireStaff(request));
}

export default function RepChat({ loaderData }: Route.ComponentProps) {
  return <ChatConsole data={loaderData} />;
}
