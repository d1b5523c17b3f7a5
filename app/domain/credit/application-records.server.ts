import { db } from "../../utils/db.server";

/** Reading credit applications for the pages that show them; decisions live in applications.server.ts. */

/** The files attached to an application, oldest first. */
export function applicationDocuments(applicationId: string) {
  return db().applicationDocument.findMany({ where: { applicationId }, orderBy: { createdAt: "asc" }, select: { id: true, fileName: true, kind: true } });
}

/** A customer's own recent applications (a rep's internal limit-change request is not one of them). */
export function customerApplications(accountId: string, take = 10) {
  return db().creditApplication.findMany({
    where: { accountId, OR: [{ status: "DRAFT" }, { signatureName: { not: null } }] },
    orderBy: { createdAt: "desc" },
    take,
    include: { events: { orderBy: { createdAt: "asc" } }, documents: { orderBy: { createdAt: "asc" }, select: { id: true, fileName: true, kind: true } } },
  });
}

/** One of the account's applications that is still open, so it may still take documents. */
export function openApplicationOf(accountId: string, applicationId: string) {
  return db().creditApplication.findFirst({ where: { id: applicationId, accountId, status: { notIn: ["APPROVED", "DECLINED", "WITHDRAWN"] } } });
}

/** An application as a reviewer reads it: references, documents and its history (history.server.ts names who did what). */
export async function applicationUnderReview(applicationId: string) {
  const application = await db().creditApplication.findUnique({
    where: { id: applicationId },
    include: { references: true, documents: { orderBy: { createdAt: "asc" } }, events: { orderBy: { createdAt: "asc" } } },
  });
  if (!application) return null;
  return { application };
}

/** The currency an application's amounts are typed in, to read a reviewer's decision. */
export function applicationToDecide(applicationId: string) {
  return db().creditApplication.findUnique({ where: { id: applicationId }, select: { id: true, currency: true } });
}
