import { Prisma } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { OPEN_DISPUTE_STATUSES } from "../disputes/dispute-schemas";

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
    db().dispute.count({ where: { status: { in: [...OPEN_DISPUTE_STATUSES] } } }),
    // An account counts only for what is past due beyond its open disputes: disputed money is not chased.
    db().$queryRaw<{ n: bigint }[]>`
      SELECT COUNT(DISTINCT i."accountId")::bigint AS n FROM "Invoice" i
      WHERE i.status IN ('OPEN', 'PARTIALLY_PAID') AND i."balanceMinor" > 0 AND i."dueOn" < ${day}::date
        AND i."balanceMinor" > (
          SELECT COALESCE(SUM(x."amountMinor"), 0) FROM "Dispute" x
          WHERE x."invoiceId" = i.id AND x.status::text IN (${Prisma.join([...OPEN_DISPUTE_STATUSES])})
        )`,
    db().conversation.count({ where: { status: "QUEUED" } }),
  ]);
  return { applicationsToReview, heldOrders, openDisputes, pastDueAccounts: Number(pastDue[0]?.n ?? 0), queuedChats };
}
