import { describe, expect, it } from "vitest";
import {
  bestPossibleDso,
  collectionEffectiveness,
  daysInPeriod,
  disputeAgeOf,
  dso,
  firstResponseStats,
  percentOf,
  promisesKeptRate,
  withinTarget,
  workingDays,
} from "../../app/domain/reports/formulas";
import { DEFAULT_OBJECTIVES, objectiveProgress, parseObjectivesForm } from "../../app/domain/reports/objectives";
import { periodFrom, presetPeriod } from "../../app/domain/reports/period";
import { dashboardTableCsv } from "../../app/domain/reports/dashboard-csv";

/**
 * A small month worked by hand. November 2026 (30 days), amounts in USD cents:
 *   receivables at the start   100,000.00  (10,000,000)
 *   credit sales in the month   60,000.00   (6,000,000)
 *   receivables at the end      70,000.00   (7,000,000)
 *   of which not yet due        40,000.00   (4,000,000)
 */
const month = { from: "2026-11-01", to: "2026-11-30" };
const opening = 10_000_000;
const sales = 6_000_000;
const ending = 7_000_000;
const endingCurrent = 4_000_000;

describe("receivables formulas on the hand-computed month", () => {
  it("counts the days of the period, both ends included", () => {
    expect(daysInPeriod(month.from, month.to)).toBe(30);
    expect(daysInPeriod("2026-11-30", "2026-11-30")).toBe(1);
  });

  it("DSO = ending receivables / credit sales × days", () => {
    // 7,000,000 / 6,000,000 × 30 = 35 days
    expect(dso(ending, sales, 30)).toBeCloseTo(35, 10);
  });

  it("best possible DSO uses only what is not yet due", () => {
    // 4,000,000 / 6,000,000 × 30 = 20 days
    expect(bestPossibleDso(endingCurrent, sales, 30)).toBeCloseTo(20, 10);
  });

  it("CEI = (opening + sales − ending) / (opening + sales − ending current) × 100", () => {
    // (10,000,000 + 6,000,000 − 7,000,000) / (10,000,000 + 6,000,000 − 4,000,000) = 9 / 12 = 75 %
    expect(
      collectionEffectiveness({ openingMinor: opening, creditSalesMinor: sales, endingTotalMinor: ending, endingCurrentMinor: endingCurrent }),
    ).toBeCloseTo(75, 10);
  });

  it("% current = not yet due / all receivables", () => {
    // 4,000,000 / 7,000,000 = 57.142857… %
    expect(percentOf(endingCurrent, ending)).toBeCloseTo(57.142857, 5);
  });

  it("says 'no data' rather than dividing by nothing", () => {
    expect(dso(ending, 0, 30)).toBeNull();
    expect(collectionEffectiveness({ openingMinor: 0, creditSalesMinor: 0, endingTotalMinor: 0, endingCurrentMinor: 0 })).toBeNull();
    expect(percentOf(0, 0)).toBeNull();
  });
});

describe("promises kept rate", () => {
  it("counts kept against kept + broken; open and cancelled say nothing yet", () => {
    // 3 kept, 1 broken → 3 / 4 = 75 %
    expect(promisesKeptRate(["KEPT", "KEPT", "BROKEN", "OPEN", "KEPT", "CANCELLED"])).toEqual({ kept: 3, broken: 1, rate: 75 });
    expect(promisesKeptRate(["OPEN"]).rate).toBeNull();
  });
});

describe("first response time", () => {
  const at = (time: string) => new Date(`2026-11-10T${time}Z`);
  it("averages and takes the median of answered chats from when the customer started waiting", () => {
    // Waits: 60 s, 180 s, 30 s; one chat never answered.
    // Average (60 + 180 + 30) / 3 = 90 s; median of 30, 60, 180 = 60 s.
    const stats = firstResponseStats([
      { waitingSince: at("10:00:00"), firstResponseAt: at("10:01:00") },
      { waitingSince: at("10:00:00"), firstResponseAt: at("10:03:00") },
      { waitingSince: at("10:00:00"), firstResponseAt: at("10:00:30") },
      { waitingSince: at("10:00:00"), firstResponseAt: null },
    ]);
    expect(stats).toEqual({ total: 4, answered: 3, averageSeconds: 90, medianSeconds: 60 });
  });

  it("takes the middle two of an even count for the median", () => {
    // Waits 10 s and 50 s: median (10 + 50) / 2 = 30 s.
    const stats = firstResponseStats([
      { waitingSince: at("09:00:00"), firstResponseAt: at("09:00:10") },
      { waitingSince: at("09:00:00"), firstResponseAt: at("09:00:50") },
    ]);
    expect(stats.medianSeconds).toBe(30);
  });

  it("has no time when nobody was answered", () => {
    expect(firstResponseStats([{ waitingSince: at("09:00:00"), firstResponseAt: null }])).toEqual({
      total: 1,
      answered: 0,
      averageSeconds: null,
      medianSeconds: null,
    });
  });
});

describe("work within a target, dispute ages, working days", () => {
  it("counts work finished within the target hours, the boundary included", () => {
    const start = new Date("2026-11-10T08:00:00Z");
    const after = (hours: number) => ({ startedAt: start, finishedAt: new Date(start.getTime() + hours * 3_600_000) });
    // 10 h and 24 h are within 24 h, 30 h is not: 2 of 3.
    const result = withinTarget([after(10), after(24), after(30)], 24);
    expect(result.total).toBe(3);
    expect(result.within).toBe(2);
    expect(result.rate).toBeCloseTo(66.6667, 3);
  });

  it("bands dispute ages at 7, 30 and 60 days", () => {
    expect([0, 7, 8, 30, 31, 60, 61].map(disputeAgeOf)).toEqual(["days0to7", "days0to7", "days8to30", "days8to30", "days31to60", "days31to60", "over60"]);
  });

  it("counts Monday to Friday", () => {
    // November 2026 starts on a Sunday: four full weeks (2–27) and Monday the 30th → 21.
    expect(workingDays(month.from, month.to)).toBe(21);
  });
});

describe("objectives", () => {
  it("prorates the monthly collection target and divides contacts by working days", () => {
    // 15 of 30 days: half of 50,000.00 = 25,000.00; 84 contacts over 21 working days = 4 a day (target 8).
    const progress = objectiveProgress(
      DEFAULT_OBJECTIVES,
      { collectedMinor: 3_000_000, contacts: 84, promisesKeptRate: 75, averageFirstResponseSeconds: 60 },
      { days: 15, workingDays: 21 },
    );
    expect(progress.find((p) => p.key === "collected")).toEqual({ key: "collected", target: 2_500_000, actual: 3_000_000, percent: 120, met: true });
    expect(progress.find((p) => p.key === "contactsPerDay")).toMatchObject({ target: 8, actual: 4, percent: 50, met: false });
    expect(progress.find((p) => p.key === "promisesKept")).toMatchObject({ target: 80, actual: 75, met: false });
    // 60 s against a 120 s target: twice as fast → 200 %.
    expect(progress.find((p) => p.key === "firstResponse")).toMatchObject({ target: 120, actual: 60, percent: 200, met: true });
  });

  it("reads the form in the reader's locale and refuses what it cannot read", () => {
    const ok = parseObjectivesForm(
      { collectedPerMonth: "40.000,50", contactsPerDay: "10", promisesKeptPercent: "85", firstResponseSeconds: "90", heldOrderReleaseHours: "12" },
      { locale: "es-ES", currency: "USD" },
    );
    expect(ok).toEqual({
      ok: true,
      objectives: { collectedPerMonthMinor: 4_000_050, contactsPerDay: 10, promisesKeptPercent: 85, firstResponseSeconds: 90, heldOrderReleaseHours: 12 },
    });
    const bad = parseObjectivesForm(
      { collectedPerMonth: "lots", contactsPerDay: "", promisesKeptPercent: "101", firstResponseSeconds: "1.5", heldOrderReleaseHours: "0" },
      { locale: "en-US", currency: "USD" },
    );
    expect(bad).toEqual({
      ok: false,
      errors: {
        collectedPerMonth: "common:amountInput.invalid_point",
        contactsPerDay: "reports:errors.contactsPerDay",
        promisesKeptPercent: "reports:errors.percent",
        firstResponseSeconds: "reports:errors.firstResponseSeconds",
        heldOrderReleaseHours: "reports:errors.heldOrderReleaseHours",
      },
    });
  });
});

describe("periods", () => {
  const today = new Date("2026-12-01T15:00:00Z");
  it("knows this month, last month and this quarter", () => {
    expect(presetPeriod("thisMonth", today)).toEqual({ from: "2026-12-01", to: "2026-12-01" });
    expect(presetPeriod("lastMonth", today)).toEqual({ from: "2026-11-01", to: "2026-11-30" });
    expect(presetPeriod("quarter", today)).toEqual({ from: "2026-10-01", to: "2026-12-01" });
    expect(presetPeriod("lastMonth", new Date("2027-01-15T00:00:00Z"))).toEqual({ from: "2026-12-01", to: "2026-12-31" });
  });

  it("refuses impossible, reversed and overlong periods with translation keys", () => {
    const read = (q: string) => periodFrom(new URLSearchParams(q), today);
    expect(read("")).toEqual({ ok: true, choice: { period: { from: "2026-12-01", to: "2026-12-01" }, preset: "thisMonth" } });
    expect(read("from=2026-02-30&to=2026-03-01")).toEqual({ ok: false, errors: { from: "reports:errors.date" } });
    expect(read("from=2026-11-30&to=2026-11-01")).toEqual({ ok: false, errors: { to: "reports:errors.toBeforeFrom" } });
    expect(read("from=2024-01-01&to=2026-01-01")).toEqual({ ok: false, errors: { to: "reports:errors.tooLong" } });
    expect(read("from=2026-11-01")).toEqual({ ok: false, errors: { to: "reports:errors.dateRequired" } });
    expect(read("preset=decade")).toEqual({ ok: false, errors: { preset: "reports:errors.preset" } });
  });
});

describe("dashboard CSV", () => {
  it("writes the page's rounding with the locale's separators", () => {
    const table = {
      id: "receivables" as const,
      columns: ["reports:columns.measure", "reports:columns.value"],
      rows: [
        [
          { t: "label" as const, key: "reports:measures.dso" },
          { t: "days" as const, value: 35.04 },
        ],
        [
          { t: "label" as const, key: "reports:measures.ending" },
          { t: "money" as const, minor: 7_000_050, currency: "USD" },
        ],
        [
          { t: "label" as const, key: "reports:measures.cei" },
          { t: "percent" as const, value: null },
        ],
      ],
    };
    const t = (key: string) => key.split(".").pop() ?? key;
    expect(dashboardTableCsv(table, t, "en-US")).toBe("\uFEFFmeasure,value\r\ndso,35.0\r\nending,70000.50\r\ncei,\r\n");
    expect(dashboardTableCsv(table, t, "es-ES")).toBe("\uFEFFmeasure;value\r\ndso;35,0\r\nending;70000,50\r\ncei;\r\n");
  });
});
