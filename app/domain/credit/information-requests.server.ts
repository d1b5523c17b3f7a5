/** The applicant's answer to a rep's question, with an optional document: the application goes back to review. */
import type { CreditApplication, DocumentKind } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { recordAudit } from "../audit/audit.server";
import { applicationByStatusToken } from "./status-links.server";
import { storeUploadsFor, type CheckedUpload, type StoredFile } from "../files/stored-files.server";

/**
 * The applicant's answer to a question (and, optionally, a document stored by the same
 * upload path as the application form): the application goes back to review, once.
 */
async function provideInformation(
  application: Pick<CreditApplication, "id" | "accountId">,
  actorId: string | null,
  message: string,
  document?: { file: StoredFile; kind: DocumentKind },
): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const claimed = await tx.creditApplication.updateMany({ where: { id: application.id, status: "INFO_REQUESTED" }, data: { status: "IN_REVIEW" } });
    if (claimed.count !== 1) return false;
    await tx.creditApplicationEvent.create({ data: { applicationId: application.id, kind: "info_provided", message, actorId } });
    await recordAudit(
      {
        actorId,
        accountId: application.accountId,
        entity: "CreditApplication",
        entityId: application.id,
        action: "info_provided",
        before: { status: "INFO_REQUESTED" },
        after: { status: "IN_REVIEW" },
      },
      tx,
    );
    if (document) {
      const doc = await tx.applicationDocument.create({
        data: { applicationId: application.id, kind: document.kind, uploadedById: actorId, ...document.file },
      });
      await tx.creditApplicationEvent.create({ data: { applicationId: application.id, kind: "document_uploaded", message: document.file.fileName, actorId } });
      await recordAudit(
        {
          actorId,
          accountId: application.accountId,
          entity: "ApplicationDocument",
          entityId: doc.id,
          action: "uploaded",
          after: { applicationId: application.id, kind: document.kind, fileName: document.file.fileName, sizeBytes: document.file.sizeBytes },
        },
        tx,
      );
    }
    return true;
  });
}

export async function answerInfoRequest(accountId: string, applicationId: string, actorId: string, message: string): Promise<boolean> {
  const application = await db().creditApplication.findFirst({ where: { id: applicationId, accountId }, select: { id: true, accountId: true } });
  return application ? provideInformation(application, actorId, message) : false;
}

export async function answerInfoRequestByToken(token: string, message: string, document?: { upload: CheckedUpload; kind: DocumentKind }): Promise<boolean> {
  const application = await applicationByStatusToken(token);
  if (!application) return false;
  if (!document) return provideInformation(application, null, message);
  // The file is written only once the answer is accepted, and removed again if it is not.
  const done = await storeUploadsFor([document.upload], async ([file]) =>
    (await provideInformation(application, null, message, { file, kind: document.kind })) ? true : null,
  );
  return done === true;
}
