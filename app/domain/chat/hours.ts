import { z } from "zod";

/** A language team's business hours as a manager edits them (PolicySetting `hours.<lang>`). */
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "chat:errors.timeInvalid");

export const hoursFormSchema = z
  .object({
    language: z.enum(["en", "es"]),
    timezone: z.string().refine((tz) => {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "chat:errors.timezoneInvalid"),
    days: z.array(z.coerce.number().int().min(0).max(6)).min(1, "chat:errors.daysRequired"),
    open: time,
    close: time,
    holidays: z
      .string()
      .max(2000)
      .transform((s) => s.split(/[\s,]+/).filter(Boolean))
      .pipe(z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "chat:errors.holidayInvalid"))),
  })
  .refine((h) => h.open < h.close, { message: "chat:errors.closeBeforeOpen", path: ["close"] });
