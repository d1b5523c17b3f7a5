import { z } from "zod";
import { amountErrorKey, parseAmountInput } from "../money/amount-input";

/**
 * What the manager expects of each rep (policy data `reports.objectives`), and the targets
 * the team dashboard measures against: collected amount per month (policy currency),
 * collection contacts per working day, promises kept rate, average first chat response,
 * and how fast a held order should be released.
 */
export type Objectives = {
  collectedPerMonthMinor: number;
  contactsPerDay: number;
  promisesKeptPercent: number;
  firstResponseSeconds: number;
  heldOrderReleaseHours: number;
};

export const DEFAULT_OBJECTIVES: Objectives = {
  collectedPerMonthMinor: 5_000_000,
  contactsPerDay: 8,
  promisesKeptPercent: 80,
  firstResponseSeconds: 120,
  heldOrderReleaseHours: 24,
};

// Typed whole numbers only: an empty box is refused rather than read as 0.
const whole = (min: number, max: number, message: string) =>
  z
    .string({ message })
    .trim()
    .regex(/^\d{1,6}$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message));

/** The objectives form without the amount (read by the money reader in the locale's way). Messages are translation keys. */
export const objectivesFormSchema = z.object({
  contactsPerDay: whole(0, 500, "reports:errors.contactsPerDay"),
  promisesKeptPercent: whole(0, 100, "reports:errors.percent"),
  firstResponseSeconds: whole(1, 86_400, "reports:errors.firstResponseSeconds"),
  heldOrderReleaseHours: whole(1, 720, "reports:errors.heldOrderReleaseHours"),
});

/** Reads the objectives form as typed in the reader's locale; errors are field → translation key. */
export function parseObjectivesForm(
  form: Record<string, string | undefined>,
  reader: { locale: string; currency: string },
): { ok: true; objectives: Objectives } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const amount = parseAmountInput(form.collectedPerMonth ?? "", reader.locale, reader.currency);
  if (!amount.ok) errors.collectedPerMonth = amountErrorKey(amount.error, reader.locale);
  const parsed = objectivesFormSchema.safeParse(form);
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
  if (!amount.ok || !parsed.success) return { ok: false, errors };
  return { ok: true, objectives: { collectedPerMonthMinor: amount.amountMinor, ...parsed.data } };
}

/** Objectives as stored, with any missing or unreadable value falling back to its default. */
export function objectivesFromPolicy(value: unknown): Objectives {
  const stored = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  const result = { ...DEFAULT_OBJECTIVES };
  for (const key of Object.keys(DEFAULT_OBJECTIVES) as (keyof Objectives)[]) {
    const v = stored[key];
    if (typeof v === "number" && Number.isFinite(v) && v >= 0) result[key] = v;
  }
  return result;
}

export type ObjectiveKey = "collected" | "contactsPerDay" | "promisesKept" | "firstResponse";

/** One rep's figure against one objective: `met` when at or past the target (for response time, at or under). */
export type ObjectiveProgress = { key: ObjectiveKey; target: number; actual: number | null; percent: number | null; met: boolean | null };

/**
 * A rep's progress over a period. The monthly collection target is prorated by calendar days
 * (a 15-day period asks for half of a 30-day month); contacts are per working day.
 */
export function objectiveProgress(
  objectives: Objectives,
  actuals: { collectedMinor: number; contacts: number; promisesKeptRate: number | null; averageFirstResponseSeconds: number | null },
  period: { days: number; workingDays: number },
): ObjectiveProgress[] {
  const collectedTarget = Math.round((objectives.collectedPerMonthMinor * period.days) / 30);
  const contactsPerDay = period.workingDays > 0 ? actuals.contacts / period.workingDays : null;
  const higherIsBetter = (key: ObjectiveKey, target: number, actual: number | null): ObjectiveProgress => ({
    key,
    target,
    actual,
    percent: actual === null || target <= 0 ? null : (actual / target) * 100,
    met: actual === null ? null : actual >= target,
  });
  const response = actuals.averageFirstResponseSeconds;
  return [
    higherIsBetter("collected", collectedTarget, actuals.collectedMinor),
    higherIsBetter("contactsPerDay", objectives.contactsPerDay, contactsPerDay),
    higherIsBetter("promisesKept", objectives.promisesKeptPercent, actuals.promisesKeptRate),
    {
      key: "firstResponse",
      target: objectives.firstResponseSeconds,
      actual: response,
      // Faster than the target is over 100%: the target divided by the time taken.
      percent: response === null ? null : response === 0 ? 100 : (objectives.firstResponseSeconds / response) * 100,
      met: response === null ? null : response <= objectives.firstResponseSeconds,
    },
  ];
}
