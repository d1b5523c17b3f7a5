import { MaxFileSizeExceededError, MaxFilesExceededError, parseFormData } from "@remix-run/form-data-parser";
import { checkUpload, MAX_UPLOAD_BYTES, type CheckedUpload, type UploadError } from "../files/stored-files.server";
import { readForm } from "../../utils/form-body.server";

/**
 * Reads a dispute form (multipart with optional `attachment` files). Files are checked
 * by size and real type in memory, not stored: the dispute code writes them only with
 * the rows that reference them, so a refused form leaves nothing on disk.
 */
export async function readDisputeForm(request: Request): Promise<{ ok: true; form: FormData; files: CheckedUpload[] } | { ok: false; error: string }> {
  if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    return { ok: true, form: await readForm(request), files: [] };
  }
  const files: CheckedUpload[] = [];
  let uploadError: UploadError | null = null;
  let form: FormData;
  try {
    form = await parseFormData(request, { maxFileSize: MAX_UPLOAD_BYTES, maxFiles: 5 }, async (file) => {
      if (file.fieldName !== "attachment" || !file.name) return null;
      const bytes = new Uint8Array(await file.arrayBuffer());
      if (bytes.byteLength === 0) return null;
      const checked = checkUpload({ name: file.name, bytes });
      if (checked.ok) files.push(checked.upload);
      else uploadError ??= checked.error;
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
