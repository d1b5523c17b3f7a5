import { redirect } from "react-router";
import type { Route } from "./+types/rep.collections.next";
import { requireStaff } from "../utils/authorize.server";
import { filterQuery, filtersFrom, nextAccount } from "../domain/collections/worklist.server";

/** "Next account": the account after `after` in the same filtered worklist, opened on its 360 with the way on kept. */
export async function loader({ request }: Route.LoaderArgs) {
  await requireStaff(request);
  const url = new URL(request.url);
  const filters = filtersFrom(url.searchParams);
  const query = filterQuery(filters);
  const after = url.searchParams.get("after");
  const next = await nextAccount(after && after.length <= 64 ? after : null, filters);
  if (!next) throw redirect(`/rep/collections?${query ? `${query}&` : ""}done=1`);
  throw redirect(`/rep/accounts/${encodeURIComponent(next)}?from=worklist${query ? `&${query}` : ""}`);
}
