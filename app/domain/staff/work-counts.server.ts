import { db } from "../../utils/db.server";

export type RepWorkCounts = {
  applicationsToReview: number;
  heldOrders: number;
  openDisputes: number;
  pastDueAccounts: number;
  queuedChats: number;
};

/** Open work on the rep side, straight from the database. */
export async function repWorkCounts(asOf = new Date()): Promise<RepWorkCounts> {
  const day = asOf.toISOString().slice(0, 10);
  const [applicationsToReview, heldOrders, openDisputes, pastDue, queuedChats] = await Promise.all([
    db().creditApplication.count({ where: { status: { in: ["SUBMITTED", "IN_REVIEW", "ESCALATED"] } } }),
    db().order.count({ where: { status: "ON_HOLD" } }),
    db().dispute.count({ where: { status: { in: ["OPEN", "IN_REVIEW", "ESCALATED"] } } }),
    db().$queryRaw<{ n: bigint }[]>`
      SELECT COUNT(DISTINCT "accountId")::bigint AS n FROM "Invoice"
      WHERE status IN ('OPEN', 'PARTIALLY_PAID') AND "balanceMinor" > 0 AND "dueOn" < ${day}::date`,
    db().conversation.count({ where: { status: "QUEUED" } }),
  ]);
  return { applicationsToReview, heldOrders, openDisputes, pastDueAccounts: Number(pastDue[0]?.n ?? 0), queuedChats };
}
