import { z } from "zod";

/**
 * zod messages in this app are translation keys ("auth:errors.emailInvalid"),
 * so one schema serves the server and the browser and the UI translates the key.
 */
export type FieldErrors = Record<string, string>;

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "form";
    errors[key] ??= issue.message;
  }
  return errors;
}

export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) if (typeof value === "string") values[key] = value;
  return values;
}

/**
 * Free text typed by a person (names, messages, notes, reasons). PostgreSQL refuses a
 * NUL in text, and other control characters only hide what a reader is shown, so they
 * get a field error instead of reaching the database; tab and line breaks stay allowed.
 * Every free-text schema starts from this, then adds its own trim/min/max.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
export const CONTROL_CHARACTERS_MESSAGE = "common:errors.controlCharacters";

export function freeText() {
  return z.string().refine((value) => !CONTROL_CHARACTERS.test(value), CONTROL_CHARACTERS_MESSAGE);
}

/**
 * A real calendar day (`YYYY-MM-DD`) in the years a ledger can hold. `Date.parse` alone
 * takes `2026-02-30` (as March 2) and `9999-12-31` (a range ending in year 10000), which
 * the database then refuses.
 */
export function calendarDay() {
  return z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .refine((v) => {
      const parsed = new Date(`${v}T00:00:00Z`);
      return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === v && v >= "1900-01-01" && v <= "2999-12-31";
    });
}

/** Text as it may be kept in a draft: control characters dropped (the field error still shows them refused). */
export function withoutControlCharacters(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");
}
