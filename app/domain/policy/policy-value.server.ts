import { db } from "../../utils/db.server";

/** One policy setting (policy data a manager or supervisor sets), or the fallback while nobody has set it. */
export async function policyValue<T>(key: string, fallback: T): Promise<T> {
  const row = await db().policySetting.findUnique({ where: { key } });
  return row ? (row.value as T) : fallback;
}
