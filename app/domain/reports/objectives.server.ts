import { db } from "../../utils/db.server";
import { recordAudit } from "../audit/audit.server";
import { objectivesFromPolicy, type Objectives } from "./objectives";

const KEY = "reports.objectives";

export async function teamObjectives(): Promise<Objectives> {
  const row = await db().policySetting.findUnique({ where: { key: KEY } });
  return objectivesFromPolicy(row?.value);
}

/** A manager sets the team's objectives, audited with what they were before. */
export async function changeObjectives(actorId: string, objectives: Objectives): Promise<void> {
  await db().$transaction(async (tx) => {
    const before = await tx.policySetting.findUnique({ where: { key: KEY } });
    await tx.policySetting.upsert({ where: { key: KEY }, create: { key: KEY, value: objectives }, update: { value: objectives } });
    await recordAudit({ actorId, entity: "PolicySetting", entityId: KEY, action: "reports.objectives_changed", before: before?.value, after: objectives }, tx);
  });
}
