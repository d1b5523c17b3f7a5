/**
 * Documents attached to a credit application (financial statements, tax
 * certificate …): stored with storeUpload (type by bytes, size limit, random key
 * outside the web root) and served only through the authorized download route.
 */
import { data } from "react-router";
import { MaxFileSizeExceededError, MaxFilesExceededError, parseFormData } from "@remix-run/form-data-parser";
import type { DocumentKind } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { recordAudit } from "../audit/audit.server";
import type { SessionUser } from "../auth/session.server";
import { MAX_UPLOAD_BYTES, storeUpload, type StoredFile, type UploadError } from "../files/stored-files.server";

export const DOCUMENT_KINDS = ["FINANCIAL_STATEMENT", "TAX_CERTIFICATE", "BANK_LETTER", "OTHER"] as const satisfies readonly DocumentKind[];

export type UploadOutcome = { ok: true; file: StoredFile } | { ok: false; error: UploadError };

/** Parses a multipart form with one file in the `document` field, storing it as it arrives. */
export async function readUploadForm(request: Request): Promise<{ form: FormData; upload: UploadOutcome }> {
  let upload: UploadOutcome = { ok: false, error: "files:errors.empty" };
  try {
    const form = await parseFormData(request, { maxFileSize: MAX_UPLOAD_BYTES, maxFiles: 1 }, async (file) => {
      if (file.fieldName === "document") upload = await storeUpload(file);
    });
    return { form, upload };
  } catch (error) {
    if (error instanceof MaxFileSizeExceededError) return { form: new FormData(), upload: { ok: false, error: "files:errors.tooLarge" } };
    if (error instanceof MaxFilesExceededError) return { form: new FormData(), upload: { ok: false, error: "files:errors.badType" } };
    // A body that is not the multipart it says it is: the sender's fault, not ours.
    throw data({ reason: "bad_request" }, { status: 400 });
  }
}

export function documentKindOf(value: FormDataEntryValue | null): DocumentKind {
  return (DOCUMENT_KINDS as readonly string[]).includes(String(value)) ? (value as DocumentKind) : "OTHER";
}

export async function attachDocument(applicationId: string, file: StoredFile, kind: DocumentKind, uploadedById: string | null) {
  return db().$transaction(async (tx) => {
    const application = await tx.creditApplication.findUniqueOrThrow({ where: { id: applicationId }, select: { accountId: true } });
    const doc = await tx.applicationDocument.create({ data: { applicationId, kind, uploadedById, ...file } });
    await tx.creditApplicationEvent.create({ data: { applicationId, kind: "document_uploaded", message: file.fileName, actorId: uploadedById } });
    await recordAudit({ actorId: uploadedById, accountId: application.accountId, entity: "ApplicationDocument", entityId: doc.id, action: "uploaded", after: { applicationId, kind, fileName: file.fileName, sizeBytes: file.sizeBytes } }, tx);
    return doc;
  });
}

/**
 * A document a reader may download: staff any; a customer only their own account's;
 * a new company's applicant only while holding its draft (`draftApplicationId`).
 */
export async function readableDocument(user: SessionUser | null, documentId: string, draftApplicationId: string | null) {
  const doc = await db().applicationDocument.findUnique({ where: { id: documentId }, include: { application: { select: { id: true, accountId: true, status: true } } } });
  if (!doc) return null;
  if (user && (user.role === "REP" || user.role === "MANAGER")) return doc;
  if (user?.accountId && doc.application.accountId === user.accountId) return doc;
  if (!user && draftApplicationId && doc.application.id === draftApplicationId && doc.application.status === "DRAFT") return doc;
  return null;
}
