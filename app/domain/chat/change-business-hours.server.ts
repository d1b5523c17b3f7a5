import type { Prisma } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { recordAudit } from "../audit/audit.server";

/** A manager sets a language team's opening hours and holidays (policy data `hours.<language>`), audited. */
export async function changeBusinessHours(actorId: string, language: string, hours: Prisma.InputJsonObject): Promise<void> {
  const key = `hours.${language}`;
  await db().$transaction(async (tx) => {
    const before = await tx.policySetting.findUnique({ where: { key } });
    await tx.policySetting.upsert({ where: { key }, create: { key, value: hours }, update: { value: hours } });
    await recordAudit({ actorId, entity: "PolicySetting", entityId: key, action: "chat.hours_changed", before: before?.value, after: hours }, tx);
  });
}
