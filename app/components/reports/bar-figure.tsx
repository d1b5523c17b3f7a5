import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type BarSeries = { key: string; label: string; color: string };
export type BarDatum = { label: string } & Record<string, number | string | null>;

/** The palette: the brand colours, distinguishable in grey too (lightness steps apart). */
export const SERIES_COLORS = ["#0f4c5c", "#e08a3c", "#6a9fb5", "#b42318"];

/**
 * A bar chart drawn in the browser only: recharts measures its box before it draws, so the
 * server sends nothing here and the table beside it carries the figures until then (and
 * for good without JavaScript). The SVG has the chart's title and description, and the
 * keyboard layer lets a screen-reader user step through the bars.
 */
export function BarFigure({
  title,
  description,
  data,
  series,
  stacked = false,
  layout = "horizontal",
  format,
  integer = false,
}: {
  title: string;
  description: string;
  data: BarDatum[];
  series: BarSeries[];
  stacked?: boolean;
  layout?: "horizontal" | "vertical";
  format: (value: number) => string;
  /** Counts: no fractional ticks. */
  integer?: boolean;
}) {
  const { t } = useTranslation("reports");
  const drawn = useHydrated();
  if (!drawn) return null;
  // An axis with nothing on it reads as a broken chart; say so in words instead.
  if (!data.some((d) => series.some((s) => typeof d[s.key] === "number" && d[s.key] !== 0))) return <p className="note report-empty">{t("noData")}</p>;
  const vertical = layout === "vertical";
  const height = vertical ? Math.max(180, data.length * series.length * 22 + 60) : 240;
  return (
    <div className="report-chart" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout={layout} title={title} desc={description} accessibilityLayer margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={vertical} horizontal={!vertical} />
          {vertical ? (
            <>
              <XAxis type="number" tickFormatter={format} allowDecimals={!integer} />
              <YAxis type="category" dataKey="label" width={160} />
            </>
          ) : (
            <>
              <XAxis dataKey="label" />
              <YAxis tickFormatter={format} width={96} allowDecimals={!integer} />
            </>
          )}
          <Tooltip formatter={(value) => (typeof value === "number" ? format(value) : String(value ?? ""))} />
          {series.length > 1 ? <Legend /> : null}
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} stackId={stacked ? "stack" : undefined} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** False on the server and in the first browser render (so hydration matches), true after. */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
