/** Where a rep reads times: their own zone, else the team's (the language's business-hours policy), else UTC. */
import { isTimeZone } from "../../i18n/locale";
import { db } from "../../utils/db.server";
import { recordAudit } from "../audit/audit.server";
import { policyValue } from "../policy/policy-value.server";

/** The team's zone for a language: the time zone its business hours are kept in (policy `hours.<language>`), else UTC. */
export async function teamTimeZone(language: string): Promise<string> {
  const hours = await policyValue<{ timezone?: unknown } | null>(`hours.${language}`, null);
  return isTimeZone(hours?.timezone) ? hours.timezone : "UTC";
}

/**
 * Sets (or, with "", clears back to the team's) a rep's own time zone. The value was
 * validated by `staffTimeZoneSchema`; checked again here so no caller can store a zone
 * Intl cannot read. The change is audited with before and after.
 */
export async function setOwnTimeZone(userId: string, timeZone: string): Promise<{ ok: true } | { ok: false }> {
  if (timeZone !== "" && !isTimeZone(timeZone)) return { ok: false };
  await db().$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { timeZone: true } });
    const after = timeZone === "" ? null : timeZone;
    if (before.timeZone === after) return;
    await tx.user.update({ where: { id: userId }, data: { timeZone: after } });
    await recordAudit({ actorId: userId, entity: "User", entityId: userId, action: "user.time_zone", before, after: { timeZone: after } }, tx);
  });
  return { ok: true };
}
