import { db } from "../../utils/db.server";
import { recordAudit } from "../audit/audit.server";

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
    await recordAudit({ actorId: repId, entity: "User", entityId: repId, action: "chat.rep_online", before: { presence: "OFFLINE" }, after: { presence: "ONLINE", reason: "console_opened" } }, tx);
    return true;
  });
}
