import { useTranslation } from "react-i18next";
import { data, Form, Link } from "react-router";
import type { Route } from "./+types/rep.dashboard";
import { pageTitle } from "../i18n/meta";
import { useFormat } from "../i18n/format";
import { requireStaff } from "../utils/authorize.server";
import { dashboardFor } from "../domain/reports/dashboard.server";
import { PERIOD_PRESETS, periodFrom } from "../domain/reports/period";
import type { Cell, DashboardTable, TableId } from "../domain/reports/dashboard-tables";
import { Field, SelectField } from "../components/field";
import { BarFigure, SERIES_COLORS, type BarDatum } from "../components/reports/bar-figure";
import { ReportPanel, useCellText } from "../components/reports/report-panel";
import reportStyles from "../styles/reports.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: reportStyles }];
export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "reports:title");

/**
 * /rep/dashboard: the team's figures over a period (managers and seniors: the team or any
 * rep; other reps: their own). A period that cannot be read answers 400 with the reasons.
 */
export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireStaff(request);
  const params = new URL(request.url).searchParams;
  const values = { from: params.get("from") ?? "", to: params.get("to") ?? "", rep: params.get("rep") ?? "" };
  const isManager = user.role === "MANAGER";
  const parsed = periodFrom(params, new Date());
  if (!parsed.ok) return data({ ok: false as const, errors: parsed.errors, values, isManager }, { status: 400 });
  const view = await dashboardFor(user, parsed.choice.period, values.rep || null);
  if (!view.ok && view.reason === "forbidden") throw data({ reason: "forbidden" }, { status: 403 });
  if (!view.ok) return data({ ok: false as const, errors: { rep: "reports:errors.unknownRep" }, values, isManager }, { status: 400 });
  return {
    ok: true as const,
    period: parsed.choice.period,
    preset: parsed.choice.preset,
    values,
    isManager,
    seesTeam: view.seesTeam,
    reps: view.reps,
    repId: view.repId,
    policyCurrency: view.figures.policyCurrency,
    rates: view.figures.rates,
    tables: view.tables,
  };
}

export default function Dashboard({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("reports");
  const format = useFormat();
  const own = loaderData.ok && !loaderData.seesTeam;
  return (
    <div className="page report-page">
      <div className="page-head">
        <div>
          <h1>{t(own ? "titleOwn" : "title")}</h1>
          {loaderData.ok ? (
            <p className="lead">
              {t(own ? "introOwn" : "intro", { currency: loaderData.policyCurrency })}{" "}
              {t("period.showing", { from: format.date(loaderData.period.from), to: format.date(loaderData.period.to) })}
            </p>
          ) : null}
        </div>
        {loaderData.isManager ? <Link to="/rep/dashboard/objectives">{t("objectives.link")}</Link> : null}
      </div>
      <PeriodForm data={loaderData} />
      {loaderData.ok ? <Figures data={loaderData} /> : null}
    </div>
  );
}

type LoaderData = Route.ComponentProps["loaderData"];
type Loaded = Extract<LoaderData, { ok: true }>;

function PeriodForm({ data: d }: { data: LoaderData }) {
  const { t } = useTranslation("reports");
  const errors: Record<string, string> = d.ok ? {} : d.errors;
  const from = d.ok ? d.period.from : d.values.from;
  const to = d.ok ? d.period.to : d.values.to;
  const rep = d.values.rep;
  const presetHref = (preset: string) => `?${new URLSearchParams({ preset, ...(rep ? { rep } : {}) })}`;
  return (
    <section className="panel report-period" aria-labelledby="period-title">
      <h2 id="period-title" className="visually-hidden">
        {t("period.legend")}
      </h2>
      {Object.keys(errors).length ? (
        <div className="alert error" role="alert">
          <p>{t("errors.title")}</p>
          <ul>
            {Object.entries(errors).map(([field, key]) => (
              <li key={field}>{t(key)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {/* Keyed by the period shown, so the boxes show it after a preset link navigates in the browser. */}
      <Form method="get" className="report-period-form" key={`${from}|${to}|${rep}`}>
        <Field name="from" type="date" label={t("period.from")} defaultValue={from} error={errors.from} />
        <Field name="to" type="date" label={t("period.to")} defaultValue={to} error={errors.to} />
        {d.ok && d.seesTeam ? (
          <SelectField
            name="rep"
            label={t("period.rep")}
            defaultValue={d.repId ?? ""}
            choose={t("period.wholeTeam")}
            options={d.reps.map((r) => ({ value: r.id, label: r.name }))}
          />
        ) : null}
        <button type="submit" className="button primary">
          {t("period.show")}
        </button>
      </Form>
      <nav aria-label={t("period.presets")} className="report-presets">
        {PERIOD_PRESETS.map((preset) => (
          <Link key={preset} to={presetHref(preset)} aria-current={d.ok && d.preset === preset ? "true" : undefined}>
            {t(`period.${preset}`)}
          </Link>
        ))}
      </nav>
    </section>
  );
}

const figure = (cell: Cell | undefined): number | null => {
  if (!cell) return null;
  if (cell.t === "money") return cell.minor;
  if (cell.t === "percent" || cell.t === "days" || cell.t === "seconds") return cell.value;
  if (cell.t === "count") return cell.value;
  return null;
};

function Figures({ data: d }: { data: Loaded }) {
  const { t } = useTranslation("reports");
  const format = useFormat();
  const text = useCellText();
  const table = (id: TableId) => d.tables.find((x) => x.id === id) as DashboardTable;
  const csvHref = (id: TableId) =>
    `/rep/dashboard.csv?${new URLSearchParams({ table: id, from: d.period.from, to: d.period.to, ...(d.repId ? { rep: d.repId } : {}) })}`;
  const rowLabel = (row: Cell[]) => text.cell(row[0]);
  const money = (v: number) => text.money(v, d.policyCurrency);

  const receivables = table("receivables");
  const buckets = table("pastDueByBucket");
  const currencies = table("pastDueByCurrency");
  const promises = table("promises");
  const disputes = table("disputesByAge");
  const turnaround = table("turnaround");
  const chats = table("chats");
  const objectives = table("objectives");
  const chart = (id: TableId) => ({ title: t(`tables.${id}.title`), description: t(`tables.${id}.description`) });

  return (
    <>
      <section className="panel report-conversion" aria-label={t("conversion", { currency: d.policyCurrency, date: format.date(d.period.to) })}>
        <p>{t("conversion", { currency: d.policyCurrency, date: format.date(d.period.to) })}</p>
        <ul>
          {d.rates.map((r) =>
            r.rate ? (
              <li key={r.currency}>
                {t("conversionRate", { from: r.currency, to: d.policyCurrency, rate: r.rate.rate, date: format.date(r.rate.effectiveOn) })}
              </li>
            ) : (
              <li key={r.currency}>{t("conversionMissing", { from: r.currency, to: d.policyCurrency })}</li>
            ),
          )}
        </ul>
      </section>
      <div className="report-grid">
        <ReportPanel table={receivables} csvHref={csvHref("receivables")}>
          <BarFigure
            title={t("charts.dsoVsBest")}
            description={chart("receivables").description}
            data={receivables.rows.slice(0, 2).map((row) => ({ label: rowLabel(row), days: figure(row[1]) }))}
            series={[{ key: "days", label: t("charts.dsoVsBest"), color: SERIES_COLORS[0] }]}
            format={text.oneDecimal}
          />
        </ReportPanel>
        <ReportPanel table={buckets} csvHref={csvHref("pastDueByBucket")}>
          <BarFigure
            {...chart("pastDueByBucket")}
            data={buckets.rows.map((row) => ({ label: rowLabel(row), amount: figure(row[1]) }))}
            series={[{ key: "amount", label: t("charts.amount"), color: SERIES_COLORS[1] }]}
            format={money}
          />
        </ReportPanel>
        <ReportPanel table={currencies} csvHref={csvHref("pastDueByCurrency")}>
          <BarFigure
            {...chart("pastDueByCurrency")}
            data={currencies.rows.map((row) => ({ label: rowLabel(row), amount: figure(row[2]) }))}
            series={[{ key: "amount", label: t("columns.converted"), color: SERIES_COLORS[0] }]}
            format={money}
          />
        </ReportPanel>
        <ReportPanel table={promises} csvHref={csvHref("promises")}>
          <BarFigure
            {...chart("promises")}
            data={[{ label: t("tables.promises.title"), kept: figure(promises.rows[0]?.[1]), broken: figure(promises.rows[1]?.[1]) }]}
            series={[
              { key: "kept", label: t("charts.kept"), color: SERIES_COLORS[0] },
              { key: "broken", label: t("charts.broken"), color: SERIES_COLORS[3] },
            ]}
            stacked
            layout="vertical"
            format={text.whole}
            integer
          />
        </ReportPanel>
        <ReportPanel table={disputes} csvHref={csvHref("disputesByAge")}>
          <BarFigure
            {...chart("disputesByAge")}
            data={disputes.rows.map((row) => ({ label: rowLabel(row), count: figure(row[1]) }))}
            series={[{ key: "count", label: t("charts.count"), color: SERIES_COLORS[2] }]}
            format={text.whole}
            integer
          />
        </ReportPanel>
        <ReportPanel table={turnaround} csvHref={csvHref("turnaround")}>
          <BarFigure
            {...chart("turnaround")}
            data={turnaround.rows.map((row) => {
              const total = figure(row[1]) ?? 0;
              const within = figure(row[2]) ?? 0;
              return { label: rowLabel(row), within, late: total - within };
            })}
            series={[
              { key: "within", label: t("charts.withinTarget"), color: SERIES_COLORS[0] },
              { key: "late", label: t("charts.late"), color: SERIES_COLORS[1] },
            ]}
            stacked
            layout="vertical"
            format={text.whole}
            integer
          />
        </ReportPanel>
        <ReportPanel table={chats} csvHref={csvHref("chats")}>
          <BarFigure
            {...chart("chats")}
            data={chats.rows.map((row) => ({ label: rowLabel(row), seconds: figure(row[3]) }))}
            series={[{ key: "seconds", label: t("columns.averageResponse"), color: SERIES_COLORS[2] }]}
            format={text.whole}
            integer
          />
        </ReportPanel>
      </div>
      <ReportPanel table={objectives} csvHref={csvHref("objectives")}>
        {objectives.rows.length ? (
          <BarFigure
            {...chart("objectives")}
            data={objectiveChartData(objectives, text.cell)}
            series={["collected", "contactsPerDay", "promisesKept", "firstResponse"].map((key, i) => ({
              key,
              label: t(`objectives.${key}`),
              color: SERIES_COLORS[i],
            }))}
            layout="vertical"
            format={text.whole}
            integer
          />
        ) : null}
      </ReportPanel>
    </>
  );
}

/** One bar group per rep, one bar per objective: progress in percent of the target. */
function objectiveChartData(table: DashboardTable, cellText: (c: Cell) => string): BarDatum[] {
  const byRep = new Map<string, BarDatum>();
  for (const row of table.rows) {
    const rep = cellText(row[0]);
    const key = row[1].t === "label" ? (row[1].key.split(".").pop() ?? "") : "";
    const datum = byRep.get(rep) ?? { label: rep };
    datum[key] = figure(row[4]);
    byRep.set(rep, datum);
  }
  return [...byRep.values()];
}
