import type { Route } from "./+types/statement.files";
import { requireCustomer } from "../utils/authorize.server";
import { statementPdf } from "../domain/invoices/documents-pdf.server";
import { statementCsv, statementFor, statementRange } from "../domain/invoices/statement.server";
import { resolveReader, translatorFor } from "../i18n/i18n.server";

/** /statement.pdf and /statement.csv: the session's own account only; nothing in the URL names an account. */
export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireCustomer(request);
  const url = new URL(request.url);
  const format = url.pathname.endsWith(".csv") ? "csv" : "pdf";
  const range = statementRange(url.searchParams);
  const statement = await statementFor(user.accountId, range);
  const { language, locale } = await resolveReader(request, user);
  const t = await translatorFor(language);
  const name = `statement-${statement.account.number}-${range.from}-${range.to}.${format}`;
  const headers = { "Content-Language": language, "Content-Disposition": `attachment; filename="${name}"`, "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" };
  if (format === "csv") return new Response(statementCsv(statement, t, locale), { headers: { ...headers, "Content-Type": "text/csv; charset=utf-8" } });
  const pdf = await statementPdf(statement, t, locale);
  return new Response(new Uint8Array(pdf), { headers: { ...headers, "Content-Type": "application/pdf" } });
}
