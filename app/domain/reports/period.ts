import { z } from "zod";
import { calendarDay } from "../../utils/forms";

/** A reporting period: whole calendar days, both ends included (YYYY-MM-DD). */
export type Period = { from: string; to: string };

export const PERIOD_PRESETS = ["thisMonth", "lastMonth", "quarter"] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** The longest period the dashboard reads at once: a year (and a leap day). */
export const MAX_PERIOD_DAYS = 366;

const iso = (year: number, month: number, day: number) => new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);

/** A preset's days as of `today`: this month so far, the whole previous month, this calendar quarter so far. */
export function presetPeriod(preset: PeriodPreset, today: Date): Period {
  const year = today.getUTCFullYear();
  const month = today.getUTCMonth();
  const todayIso = iso(year, month, today.getUTCDate());
  if (preset === "lastMonth") return { from: iso(year, month - 1, 1), to: iso(year, month, 0) };
  if (preset === "quarter") return { from: iso(year, month - (month % 3), 1), to: todayIso };
  return { from: iso(year, month, 1), to: todayIso };
}

const day = z.string().refine((v) => calendarDay().safeParse(v).success, "reports:errors.date");

/**
 * The period a query string asks for: a preset, or from/to days. Messages are translation
 * keys. Nothing given is this month.
 */
export const periodQuerySchema = z
  .object({
    preset: z.enum(PERIOD_PRESETS, { message: "reports:errors.preset" }).optional(),
    from: day.optional(),
    to: day.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.preset) return;
    if (!value.from) ctx.addIssue({ code: "custom", path: ["from"], message: "reports:errors.dateRequired" });
    if (!value.to) ctx.addIssue({ code: "custom", path: ["to"], message: "reports:errors.dateRequired" });
    if (value.from && value.to) {
      if (value.from > value.to) ctx.addIssue({ code: "custom", path: ["to"], message: "reports:errors.toBeforeFrom" });
      else if ((Date.parse(value.to) - Date.parse(value.from)) / 86_400_000 + 1 > MAX_PERIOD_DAYS)
        ctx.addIssue({ code: "custom", path: ["to"], message: "reports:errors.tooLong" });
    }
  });

export type PeriodChoice = { period: Period; preset: PeriodPreset | null };

/** Reads a period from query parameters; the errors are field → translation key. */
export function periodFrom(params: URLSearchParams, today: Date): { ok: true; choice: PeriodChoice } | { ok: false; errors: Record<string, string> } {
  const raw = {
    preset: params.get("preset") || undefined,
    from: params.get("from") || undefined,
    to: params.get("to") || undefined,
  };
  if (!raw.preset && !raw.from && !raw.to) return { ok: true, choice: { period: presetPeriod("thisMonth", today), preset: "thisMonth" } };
  const parsed = periodQuerySchema.safeParse(raw);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[issue.path.join(".") || "form"] ??= issue.message;
    return { ok: false, errors };
  }
  const { preset, from, to } = parsed.data;
  if (preset) return { ok: true, choice: { period: presetPeriod(preset, today), preset } };
  return { ok: true, choice: { period: { from: from as string, to: to as string }, preset: null } };
}
