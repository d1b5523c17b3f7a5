import { useTranslation } from "react-i18next";
import { useFormat } from "../../i18n/format";
import { roundedFigure, type Cell, type DashboardTable } from "../../domain/reports/dashboard-tables";
import { useHydrated } from "./bar-figure";

/** How the page writes a cell in the reader's locale: the same rounding as the CSV (roundedFigure). */
export function useCellText() {
  const { t } = useTranslation();
  const format = useFormat();
  const oneDecimal = new Intl.NumberFormat(format.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(format.locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const whole = new Intl.NumberFormat(format.locale, { maximumFractionDigits: 0 });
  return {
    oneDecimal: (v: number) => oneDecimal.format(v),
    percent: (v: number) => percent.format(v / 100),
    whole: (v: number) => whole.format(v),
    money: (minor: number, currency: string) => format.money({ amountMinor: minor, currency }),
    cell(cell: Cell): string {
      if (cell.t === "label") return t(cell.key, cell.values);
      if (cell.t === "text") return cell.text;
      const figure = roundedFigure(cell);
      if (figure === null) return t("reports:noData");
      if (cell.t === "money") return format.money({ amountMinor: figure, currency: cell.currency });
      if (cell.t === "percent") return percent.format(figure / 100);
      if (cell.t === "days") return oneDecimal.format(figure);
      return whole.format(figure);
    },
  };
}

/**
 * One dashboard figure: its title and description, the chart, and the same figures as a
 * table behind a disclosure with a CSV download. Before the chart is drawn (server render,
 * no JavaScript) the disclosure stands open, so the figures are always there to read.
 */
export function ReportPanel({ table, csvHref, children }: { table: DashboardTable; csvHref: string; children?: React.ReactNode }) {
  const { t } = useTranslation("reports");
  const text = useCellText();
  const hydrated = useHydrated();
  const id = `report-${table.id}`;
  return (
    <section className="panel report-panel" aria-labelledby={`${id}-title`} data-table={table.id}>
      <h2 id={`${id}-title`}>{t(`tables.${table.id}.title`)}</h2>
      <p id={`${id}-description`} className="note">
        {t(`tables.${table.id}.description`)}
      </p>
      {children ? (
        <figure aria-labelledby={`${id}-title`} aria-describedby={`${id}-description`} className="report-figure">
          {children}
        </figure>
      ) : null}
      <details open={!hydrated || !children} className="report-table">
        <summary>{t("showTable")}</summary>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t(`tables.${table.id}.title`)}</caption>
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c} scope="col">
                    {t(c)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, c) =>
                    c === 0 ? (
                      <th key={c} scope="row">
                        {text.cell(cell)}
                      </th>
                    ) : (
                      <td key={c} className={cell.t === "label" || cell.t === "text" ? undefined : "num"}>
                        {text.cell(cell)}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      <p className="report-download">
        <a href={csvHref} download>
          {t("download")}
        </a>
      </p>
    </section>
  );
}
