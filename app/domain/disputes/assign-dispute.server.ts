import { db } from "../../utils/db.server";
import { CLAIM_TRANSACTION } from "../../utils/transactions.server";
import { recordAudit } from "../audit/audit.server";
import { isOpen } from "./dispute-schemas";
import type { Actor } from "./dispute-numbers.server";

/** A rep takes a dispute to work; an open one moves into review. */
export async function assignDispute(disputeId: string, actor: Actor, toUserId: string) {
  const d = await db().dispute.findUnique({ where: { id: disputeId } });
  if (!d || !isOpen(d.status)) return false;
  // Conditional on the status read, so an assignment racing a resolution never reopens the dispute.
  return db().$transaction(async (tx) => {
    const claimed = await tx.dispute.updateMany({
      where: { id: disputeId, status: d.status },
      data: { assignedToId: toUserId, status: d.status === "OPEN" ? "IN_REVIEW" : d.status },
    });
    if (claimed.count !== 1) return false;
    await recordAudit(
      {
        actorId: actor.id,
        accountId: d.accountId,
        entity: "Dispute",
        entityId: disputeId,
        action: "dispute_assigned",
        before: { assignedToId: d.assignedToId, status: d.status },
        after: { assignedToId: toUserId },
      },
      tx,
    );
    return true;
  }, CLAIM_TRANSACTION);
}
