/**
 * The dashboard's figures as tables of typed cells: the page renders them (with its charts
 * beside them) and the CSV export writes them, so a CSV can only say what the page shows.
 * Labels are translation keys; numbers stay numbers until a reader's locale formats them.
 */
import type { TeamFigures } from "./team-figures.server";

export type Cell =
  | { t: "label"; key: string; values?: Record<string, string> }
  | { t: "text"; text: string }
  | { t: "count"; value: number }
  | { t: "money"; minor: number | null; currency: string }
  /** Percent (0–100), one decimal. */
  | { t: "percent"; value: number | null }
  /** Days, one decimal. */
  | { t: "days"; value: number | null }
  /** Seconds, whole. */
  | { t: "seconds"; value: number | null };

export const TABLE_IDS = ["receivables", "pastDueByBucket", "pastDueByCurrency", "promises", "disputesByAge", "turnaround", "chats", "objectives"] as const;
export type TableId = (typeof TABLE_IDS)[number];

export type DashboardTable = { id: TableId; columns: string[]; rows: Cell[][] };

const label = (key: string, values?: Record<string, string>): Cell => ({ t: "label", key, values });

/** Rounds as the page and the CSV both show a figure, so they agree to the last digit. */
export function roundedFigure(cell: Cell): number | null {
  switch (cell.t) {
    case "percent":
    case "days":
      return cell.value === null ? null : Math.round(cell.value * 10) / 10;
    case "seconds":
      return cell.value === null ? null : Math.round(cell.value);
    case "count":
      return cell.value;
    case "money":
      return cell.minor;
    default:
      return null;
  }
}

export function dashboardTables(figures: TeamFigures): DashboardTable[] {
  const cur = figures.policyCurrency;
  const r = figures.receivables;
  const money = (minor: number | null, currency = cur): Cell => ({ t: "money", minor, currency });
  return [
    {
      id: "receivables",
      columns: ["reports:columns.measure", "reports:columns.value"],
      rows: [
        [label("reports:measures.dso"), { t: "days", value: r.dso }],
        [label("reports:measures.bestPossibleDso"), { t: "days", value: r.bestPossibleDso }],
        [label("reports:measures.cei"), { t: "percent", value: r.cei }],
        [label("reports:measures.percentCurrent"), { t: "percent", value: r.percentCurrent }],
        [label("reports:measures.opening"), money(r.openingMinor)],
        [label("reports:measures.creditSales"), money(r.creditSalesMinor)],
        [label("reports:measures.ending"), money(r.endingMinor)],
        [label("reports:measures.endingCurrent"), money(r.endingCurrentMinor)],
      ],
    },
    {
      id: "pastDueByBucket",
      columns: ["reports:columns.bucket", "reports:columns.amount"],
      rows: figures.pastDueByBucket.map((b) => [label(`reports:buckets.${b.bucket}`), money(b.amountMinor)]),
    },
    {
      id: "pastDueByCurrency",
      columns: ["reports:columns.currency", "reports:columns.amount", "reports:columns.converted", "reports:columns.rate"],
      rows: figures.pastDueByCurrency.map((c) => [
        { t: "text", text: c.currency },
        money(c.amountMinor, c.currency),
        money(c.convertedMinor),
        c.currency === cur
          ? label("reports:rates.same")
          : c.rate
            ? label("reports:rates.used", { rate: c.rate, from: c.currency, to: cur, date: c.effectiveOn ?? "" })
            : label("reports:rates.missing"),
      ]),
    },
    {
      id: "promises",
      columns: ["reports:columns.measure", "reports:columns.value"],
      rows: [
        [label("reports:measures.promisesKept"), { t: "count", value: figures.promises.kept }],
        [label("reports:measures.promisesBroken"), { t: "count", value: figures.promises.broken }],
        [label("reports:measures.keptRate"), { t: "percent", value: figures.promises.rate }],
      ],
    },
    {
      id: "disputesByAge",
      columns: ["reports:columns.age", "reports:columns.count"],
      rows: figures.disputesByAge.map((d) => [label(`reports:ages.${d.age}`), { t: "count", value: d.count }]),
    },
    {
      id: "turnaround",
      columns: ["reports:columns.work", "reports:columns.total", "reports:columns.within", "reports:columns.rate"],
      rows: [
        [
          label("reports:measures.heldOrders", { hours: String(figures.heldOrders.targetHours) }),
          { t: "count", value: figures.heldOrders.total },
          { t: "count", value: figures.heldOrders.within },
          { t: "percent", value: figures.heldOrders.rate },
        ],
        [
          label("reports:measures.applications", { hours: String(figures.applications.slaHours) }),
          { t: "count", value: figures.applications.total },
          { t: "count", value: figures.applications.within },
          { t: "percent", value: figures.applications.rate },
        ],
      ],
    },
    {
      id: "chats",
      columns: [
        "reports:columns.language",
        "reports:columns.chats",
        "reports:columns.answered",
        "reports:columns.averageResponse",
        "reports:columns.medianResponse",
      ],
      rows: figures.chatsByLanguage.map((c) => [
        label(`reports:languages.${c.language === "es" ? "es" : c.language === "en" ? "en" : "other"}`),
        { t: "count", value: c.total },
        { t: "count", value: c.answered },
        { t: "seconds", value: c.averageSeconds },
        { t: "seconds", value: c.medianSeconds },
      ]),
    },
    {
      id: "objectives",
      columns: ["reports:columns.rep", "reports:columns.objective", "reports:columns.target", "reports:columns.actual", "reports:columns.progress"],
      rows: figures.reps.flatMap((rep) =>
        rep.progress.map((p): Cell[] => {
          const figure = (value: number | null): Cell =>
            p.key === "collected"
              ? money(value === null ? null : Math.round(value))
              : p.key === "firstResponse"
                ? { t: "seconds", value }
                : p.key === "promisesKept"
                  ? { t: "percent", value }
                  : { t: "days", value };
          return [{ t: "text", text: rep.name }, label(`reports:objectives.${p.key}`), figure(p.target), figure(p.actual), { t: "percent", value: p.percent }];
        }),
      ),
    },
  ];
}
