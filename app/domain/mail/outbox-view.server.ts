import { db } from "../../utils/db.server";

/** The newest mail in the demo outbox, optionally only what went to one address, with the names of its attachments. */
export async function recentOutboxEmails(to?: string, take = 50) {
  const emails = await db().outboxEmail.findMany({
    where: to ? { to } : undefined,
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, to: true, subject: true, text: true, language: true, createdAt: true, status: true },
  });
  const attachments = await db().outboxAttachment.findMany({
    where: { emailId: { in: emails.map((e) => e.id) } },
    select: { emailId: true, fileName: true, sizeBytes: true },
    orderBy: { createdAt: "asc" },
  });
  return emails.map((e) => ({ ...e, attachments: attachments.filter((a) => a.emailId === e.id).map(({ fileName, sizeBytes }) => ({ fileName, sizeBytes })) }));
}
