import { statementPdf } from "./documents-pdf.server";
import { statementCsv, statementFor, type Statement } from "./statement.server";

type T = (key: string, values?: Record<string, unknown>) => string;

export type StatementFormat = "pdf" | "csv";

/**
 * One account's statement for a date range as a downloadable file: the same lines
 * whether they go out as a PDF or as a CSV, named by account and range.
 */
export async function statementFile(
  accountId: string,
  range: { from: string; to: string },
  format: StatementFormat,
  reader: { t: T; locale: string },
): Promise<{ fileName: string; contentType: string; body: Uint8Array<ArrayBuffer> | string }> {
  const statement: Statement = await statementFor(accountId, range);
  const fileName = `statement-${statement.account.number}-${range.from}-${range.to}.${format}`;
  if (format === "csv") return { fileName, contentType: "text/csv; charset=utf-8", body: statementCsv(statement, reader.t, reader.locale) };
  return { fileName, contentType: "application/pdf", body: new Uint8Array(await statementPdf(statement, reader.t, reader.locale)) };
}
