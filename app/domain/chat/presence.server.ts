import { db } from "../../utils/db.server";
import type { z } from "zod";
import { recordAudit } from "../audit/audit.server";
import { capacityPolicy, effectiveCapacity } from "./chat-policy.server";
import type { Presence } from "./routing";
import type { repSettingsSchema } from "./schemas";

/**
 * Opening the console is how a rep starts their shift: a rep stored as OFFLINE (the
 * default, or after the disconnect grace period) comes ONLINE so routing considers
 * them. AWAY is a choice the rep made and is kept. The update is conditional so two
 * tabs connecting at once write one change and one audit row.
 */
export async function comeOnlineOnConnect(repId: string): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const changed = await tx.user.updateMany({ where: { id: repId, presence: "OFFLINE" }, data: { presence: "ONLINE", presenceChangedAt: new Date() } });
    if (changed.count !== 1) return false;
    await recordAudit(
      {
        actorId: repId,
        entity: "User",
        entityId: repId,
        action: "chat.rep_online",
        before: { presence: "OFFLINE" },
        after: { presence: "ONLINE", reason: "console_opened" },
      },
      tx,
    );
    return true;
  });
}

export type RepChatSettings = { id: string; presence: Presence; capacity: number; languages: string[]; maxCapacity: number };

/** A rep's own chat settings, as the console shows them: the capacity routing counts (their choice, else the team default). */
export async function repChatSettings(repId: string): Promise<RepChatSettings> {
  const [row, policy] = await Promise.all([
    db().user.findUniqueOrThrow({
      where: { id: repId },
      select: { id: true, presence: true, chatCapacity: true, chatCapacityChosenAt: true, languages: true },
    }),
    capacityPolicy(),
  ]);
  return { id: row.id, presence: row.presence, capacity: effectiveCapacity(row, policy), languages: row.languages, maxCapacity: policy.maxCapacity };
}

/** A rep changes their presence, capacity (up to the team maximum) or languages; audited with what it was before. */
export async function changeRepChatSettings(
  repId: string,
  change: z.infer<typeof repSettingsSchema>,
): Promise<{ ok: true; settings: RepChatSettings } | { ok: false; reason: "over_max_capacity" }> {
  const before = await repChatSettings(repId);
  if (change.capacity !== undefined && change.capacity > before.maxCapacity) return { ok: false, reason: "over_max_capacity" };
  await db().$transaction(async (tx) => {
    await tx.user.update({
      where: { id: repId },
      data: {
        presence: change.presence,
        chatCapacity: change.capacity,
        chatCapacityChosenAt: change.capacity !== undefined ? new Date() : undefined,
        languages: change.languages,
        presenceChangedAt: change.presence && change.presence !== before.presence ? new Date() : undefined,
      },
    });
    await recordAudit({ actorId: repId, entity: "User", entityId: repId, action: "chat.rep_settings", before, after: change }, tx);
  });
  return { ok: true, settings: await repChatSettings(repId) };
}

/** The disconnect grace period ran out with no console open: the rep goes OFFLINE. */
export async function goOfflineAfterGrace(repId: string): Promise<void> {
  await db().user.update({ where: { id: repId }, data: { presence: "OFFLINE", presenceChangedAt: new Date() } });
}
