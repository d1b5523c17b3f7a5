/**
 * Documents attached to a credit application (financial statements, tax
 * certificate …): read into memory and checked (type by bytes, size limit), written
 * under a random key outside the web root only once the sender is authorized and the
 * application has room for it, and served only through the authorized download route.
 */
import type { DocumentKind, Prisma } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { recordAudit } from "../audit/audit.server";
import type { SessionUser } from "../auth/session-user";
import { storeUploadsFor, type CheckedUpload } from "../files/stored-files.server";
import { UPLOAD_BUDGET_PER_CREDIT_APPLICATION } from "../security/throttles.server";

import { DOCUMENT_KINDS } from "./application-schema";

/** The kind a sender chose, or OTHER for anything that is not one. */
export function documentKindOf(value: unknown): DocumentKind {
  return (DOCUMENT_KINDS as readonly string[]).includes(String(value)) ? (value as DocumentKind) : "OTHER";
}

export type AttachError = "files:errors.tooManyFiles" | "files:errors.tooMuchData";

async function budgetError(
  client: Pick<Prisma.TransactionClient, "applicationDocument">,
  applicationId: string,
  sizeBytes: number,
): Promise<AttachError | null> {
  const used = await client.applicationDocument.aggregate({ where: { applicationId }, _count: { _all: true }, _sum: { sizeBytes: true } });
  if (used._count._all + 1 > UPLOAD_BUDGET_PER_CREDIT_APPLICATION.files) return "files:errors.tooManyFiles";
  if ((used._sum.sizeBytes ?? 0) + sizeBytes > UPLOAD_BUDGET_PER_CREDIT_APPLICATION.bytes) return "files:errors.tooMuchData";
  return null;
}

/**
 * Stores a checked upload for an application the caller has authorized, within the
 * application's budget (count and bytes): over it, nothing is written. The budget is
 * checked again under a lock on the application, so simultaneous uploads cannot pass it.
 */
export async function attachDocument(
  applicationId: string,
  upload: CheckedUpload,
  kind: DocumentKind,
  uploadedById: string | null,
): Promise<{ ok: true; id: string } | { ok: false; error: AttachError }> {
  const early = await budgetError(db(), applicationId, upload.sizeBytes);
  if (early) return { ok: false, error: early };
  const verdict: { refused: AttachError | null } = { refused: null };
  const doc = await storeUploadsFor([upload], async ([file]) =>
    db().$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "CreditApplication" WHERE id = ${applicationId} FOR UPDATE`;
      verdict.refused = await budgetError(tx, applicationId, file.sizeBytes);
      if (verdict.refused) return null;
      const application = await tx.creditApplication.findUniqueOrThrow({ where: { id: applicationId }, select: { accountId: true } });
      const doc = await tx.applicationDocument.create({ data: { applicationId, kind, uploadedById, ...file } });
      await tx.creditApplicationEvent.create({ data: { applicationId, kind: "document_uploaded", message: file.fileName, actorId: uploadedById } });
      await recordAudit(
        {
          actorId: uploadedById,
          accountId: application.accountId,
          entity: "ApplicationDocument",
          entityId: doc.id,
          action: "uploaded",
          after: { applicationId, kind, fileName: file.fileName, sizeBytes: file.sizeBytes },
        },
        tx,
      );
      return doc;
    }),
  );
  if (!doc) return { ok: false, error: verdict.refused ?? "files:errors.tooManyFiles" };
  return { ok: true, id: doc.id };
}

/**
 * A document a reader may download: staff any; a customer only their own account's;
 * a new company's applicant only while holding its draft (`draftApplicationId`).
 */
export async function readableDocument(user: SessionUser | null, documentId: string, draftApplicationId: string | null) {
  const doc = await db().applicationDocument.findUnique({
    where: { id: documentId },
    include: { application: { select: { id: true, accountId: true, status: true } } },
  });
  if (!doc) return null;
  if (user && (user.role === "REP" || user.role === "MANAGER")) return doc;
  if (user?.accountId && doc.application.accountId === user.accountId) return doc;
  if (!user && draftApplicationId && doc.application.id === draftApplicationId && doc.application.status === "DRAFT") return doc;
  return null;
}
