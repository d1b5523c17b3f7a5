import { db } from "../../utils/db.server";

/** The newest mail in the demo outbox, optionally only what went to one address. */
export function recentOutboxEmails(to?: string, take = 50) {
  return db().outboxEmail.findMany({
    where: to ? { to } : undefined,
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, to: true, subject: true, text: true, language: true, createdAt: true, status: true },
  });
}
