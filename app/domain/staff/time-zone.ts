import { z } from "zod";
import { isTimeZone } from "../../i18n/locale";

/** A rep's own time zone, as typed on their settings page: an IANA zone name (Europe/Madrid), or empty for the team's. */
export const staffTimeZoneSchema = z.object({
  timeZone: z
    .string({ error: "rep:settings.errors.timeZone" })
    .trim()
    .max(64, "rep:settings.errors.timeZone")
    .refine((value) => value === "" || isTimeZone(value), "rep:settings.errors.timeZone"),
});
