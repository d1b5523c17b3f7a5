import type { Prisma } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";

type AuditClient = Pick<Prisma.TransactionClient, "auditLog">;

/** JSON-safe snapshot: BigInt money becomes a number of minor units, dates ISO strings. */
function snapshot(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? Number(v) : v)));
}

/**
 * Writes one audit row: who, what, before → after, when. Pass the transaction client
 * so the row commits or rolls back with the change it records.
 */
export async function recordAudit(
  entry: { actorId: string | null; accountId?: string | null; entity: string; entityId: string; action: string; before?: unknown; after?: unknown },
  client: AuditClient = db(),
) {
  return client.auditLog.create({
    data: {
      actorId: entry.actorId,
      accountId: entry.accountId ?? null,
      entity: entry.entity,
      entityId: entry.entityId,
      action: entry.action,
      before: snapshot(entry.before),
      after: snapshot(entry.after),
    },
  });
}
