import { data } from "react-router";
import type { Route } from "./+types/rep.dashboard[.]csv";
import { downloadResponse } from "../utils/downloads.server";
import { requireStaff } from "../utils/authorize.server";
import { resolveReader, translatorFor } from "../i18n/i18n.server";
import { dashboardFor } from "../domain/reports/dashboard.server";
import { dashboardTableCsv } from "../domain/reports/dashboard-csv";
import { TABLE_IDS, type TableId } from "../domain/reports/dashboard-tables";
import { periodFrom } from "../domain/reports/period";

/** /rep/dashboard.csv?table=…&from=…&to=…&rep=…: one dashboard table, as the page shows it, with the same access rules. */
export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireStaff(request);
  const params = new URL(request.url).searchParams;
  const { language, locale } = await resolveReader(request, user);
  const t = await translatorFor(language);
  const refuse = (key: string) => new Response(t(key), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8", "Content-Language": language } });
  const tableId = params.get("table") ?? "";
  if (!(TABLE_IDS as readonly string[]).includes(tableId)) return refuse("reports:errors.table");
  const parsed = periodFrom(params, new Date());
  if (!parsed.ok) return refuse(Object.values(parsed.errors)[0]);
  const view = await dashboardFor(user, parsed.choice.period, params.get("rep") || null);
  if (!view.ok && view.reason === "forbidden") throw data({ reason: "forbidden" }, { status: 403 });
  if (!view.ok) return refuse("reports:errors.unknownRep");
  const table = view.tables.find((x) => x.id === (tableId as TableId));
  if (!table) return refuse("reports:errors.table");
  const { from, to } = parsed.choice.period;
  return downloadResponse(dashboardTableCsv(table, t, locale), {
    fileName: `dashboard-${table.id}-${from}-${to}.csv`,
    contentType: "text/csv; charset=utf-8",
    language,
  });
}
