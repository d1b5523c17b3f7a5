import { data } from "react-router";
import type { Route } from "./+types/rep.accounts.$accountId_.timeline[.]csv";
import { downloadResponse } from "../utils/downloads.server";
import { requireStaff } from "../utils/authorize.server";
import { timelineCsv, timelineForExport } from "../domain/collections/timeline-export.server";
import { resolveReader, translatorFor } from "../i18n/i18n.server";

/** /rep/accounts/:accountId/timeline.csv: the whole account timeline, oldest first, for an auditor. Staff only. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireStaff(request);
  const found = await timelineForExport(params.accountId);
  if (!found) throw data({ reason: "not_found" }, { status: 404 });
  const { language, locale, timeZone } = await resolveReader(request, user);
  const t = await translatorFor(language);
  return downloadResponse(timelineCsv(found.events, t, { locale, timeZone }), {
    fileName: `timeline-${found.account.number}.csv`,
    contentType: "text/csv; charset=utf-8",
    language,
  });
}
