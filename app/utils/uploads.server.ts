import { MaxFileSizeExceededError, MaxFilesExceededError, parseFormData } from "@remix-run/form-data-parser";
import { checkUpload, MAX_UPLOAD_BYTES, type CheckedUpload, type UploadError } from "../domain/files/stored-files.server";
import { formTypeOf, readForm } from "./form-body.server";

/** Why a posted form with files could not be read at all (nothing in it is used). */
export type UnreadableUpload = "files:errors.tooLarge" | "files:errors.tooManyAtOnce" | "files:errors.unreadable";

export type FormWithFiles = { ok: true; form: FormData; files: CheckedUpload[]; fileError: UploadError | null } | { ok: false; error: UnreadableUpload };

/**
 * The one reader of a form that may carry files (multipart, files in `field`). Files are
 * checked by size and real type in memory, not stored: the domain writes them only with
 * the rows that reference them, so a refused form leaves nothing on disk. A file input
 * left empty sends no file. A form that is not multipart is read like any other form.
 *
 * `fileError` is the first refused file (the rest of the form is still read); `ok: false`
 * means the body could not be read whole — too large a file, too many, or not the
 * multipart it says it is — and the caller answers 400 without acting on any of it.
 */
export async function readFormWithFiles(request: Request, options: { field: string; maxFiles: number }): Promise<FormWithFiles> {
  if (formTypeOf(request) !== "multipart/form-data") return { ok: true, form: await readForm(request), files: [], fileError: null };
  const files: CheckedUpload[] = [];
  let fileError: UploadError | null = null;
  try {
    const form = await parseFormData(request, { maxFileSize: MAX_UPLOAD_BYTES, maxFiles: options.maxFiles }, async (file) => {
      if (file.fieldName !== options.field || !file.name) return null;
      const bytes = new Uint8Array(await file.arrayBuffer());
      if (bytes.byteLength === 0) return null;
      const checked = checkUpload({ name: file.name, bytes });
      if (checked.ok) files.push(checked.upload);
      else fileError ??= checked.error;
      return null;
    });
    return { ok: true, form, files, fileError };
  } catch (error) {
    if (error instanceof MaxFileSizeExceededError) return { ok: false, error: "files:errors.tooLarge" };
    if (error instanceof MaxFilesExceededError) return { ok: false, error: "files:errors.tooManyAtOnce" };
    // A body that is not the multipart it says it is: the sender's fault, not ours.
    return { ok: false, error: "files:errors.unreadable" };
  }
}
