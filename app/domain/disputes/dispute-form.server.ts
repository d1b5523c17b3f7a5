import { MaxFileSizeExceededError, MaxFilesExceededError, parseFormData } from "@remix-run/form-data-parser";
import { MAX_UPLOAD_BYTES, storeUpload, type StoredFile, type UploadError } from "../files/stored-files.server";
import { readForm } from "../../utils/form-body.server";

/**
 * Reads a dispute form (multipart with optional `attachment` files). Files are checked
 * by size and real type and stored; any problem is a translated error and nothing
 * about the dispute changes (files of a rejected form stay unreferenced).
 */
export async function readDisputeForm(request: Request): Promise<{ ok: true; form: FormData; files: StoredFile[] } | { ok: false; error: string }> {
  if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    return { ok: true, form: await readForm(request), files: [] };
  }
  const files: StoredFile[] = [];
  let uploadError: UploadError | null = null;
  let form: FormData;
  try {
    form = await parseFormData(request, { maxFileSize: MAX_UPLOAD_BYTES, maxFiles: 5 }, async (file) => {
      if (file.fieldName !== "attachment" || !file.name) return null;
      const bytes = await file.arrayBuffer();
      if (bytes.byteLength === 0) return null;
      const stored = await storeUpload({ name: file.name, arrayBuffer: async () => bytes });
      if (stored.ok) files.push(stored.file);
      else uploadError ??= stored.error;
      return null;
    });
  } catch (error) {
    if (error instanceof MaxFileSizeExceededError) return { ok: false, error: "files:errors.tooLarge" };
    if (error instanceof MaxFilesExceededError) return { ok: false, error: "disputes:errors.tooManyFiles" };
    return { ok: false, error: "disputes:errors.badForm" };
  }
  if (uploadError) return { ok: false, error: uploadError };
  return { ok: true, form, files };
}
