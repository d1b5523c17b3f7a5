import type { Route } from "./+types/_customer.statement[.]csv";
import { downloadResponse } from "../utils/downloads.server";
import { requireCustomer } from "../utils/authorize.server";
import { statementFile } from "../domain/invoices/statement-file.server";
import { statementRange } from "../domain/invoices/statement.server";
import { resolveReader, translatorFor } from "../i18n/i18n.server";

/** /statement.csv: the session's own account only; nothing in the URL names an account. */
export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireCustomer(request);
  const range = statementRange(new URL(request.url).searchParams);
  const { language, locale } = await resolveReader(request, user);
  const file = await statementFile(user.accountId, range, "csv", { t: await translatorFor(language, locale), locale });
  return downloadResponse(file.body, { fileName: file.fileName, contentType: file.contentType, language });
}
