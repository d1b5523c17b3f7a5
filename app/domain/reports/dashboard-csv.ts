import { csvWriter, type CsvValue } from "../../i18n/csv";
import { roundedFigure, type Cell, type DashboardTable } from "./dashboard-tables";

type T = (key: string, values?: Record<string, unknown>) => string;

/** One dashboard table as CSV in the reader's language and locale: the figures rounded as the page shows them. */
export function dashboardTableCsv(table: DashboardTable, t: T, locale: string): string {
  const csv = csvWriter(locale);
  const value = (cell: Cell): CsvValue => {
    if (cell.t === "label") return t(cell.key, cell.values);
    if (cell.t === "text") return cell.text;
    const figure = roundedFigure(cell);
    if (figure === null) return null;
    if (cell.t === "money") return csv.amount(figure, cell.currency);
    if (cell.t === "percent" || cell.t === "days") return csv.decimal(figure, 1);
    return figure;
  };
  return csv.document([table.columns.map((c) => t(c)), ...table.rows.map((row) => row.map(value))]);
}
