import { db } from "../../utils/db.server";

/**
 * A file attached to a dispute, if this reader may open it: staff any; a customer only
 * one on their own account's dispute, and never one on a staff-only internal note.
 */
export async function readableAttachment(reader: { role: string; accountId: string | null }, disputeId: string, attachmentId: string) {
  const staff = reader.role === "REP" || reader.role === "MANAGER";
  return db().disputeAttachment.findFirst({
    where: {
      id: attachmentId,
      disputeId,
      ...(staff ? {} : { dispute: { accountId: reader.accountId ?? "-" } }),
      ...(staff ? {} : { OR: [{ messageId: null }, { message: { internal: false } }] }),
    },
  });
}
