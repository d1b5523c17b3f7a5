/**
 * Uploaded documents (credit applications, dispute attachments): checked by size and
 * by their actual bytes (not the name or the browser's claim), stored under
 * UPLOAD_DIR with a random key outside the web root, and only ever served through a
 * route that has authorized the reader.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { getEnv } from "../../utils/config.server";

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

const SIGNATURES: { type: string; extension: string; magic: number[] }[] = [
  { type: "application/pdf", extension: "pdf", magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: "image/png", extension: "png", magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: "image/jpeg", extension: "jpg", magic: [0xff, 0xd8, 0xff] },
];

export type UploadError = "files:errors.empty" | "files:errors.tooLarge" | "files:errors.badType";

export type StoredFile = { storageKey: string; fileName: string; contentType: string; sizeBytes: number };

/** The content type the bytes really are, among the accepted ones, or null. */
export function sniffContentType(bytes: Uint8Array): string | null {
  return SIGNATURES.find((s) => s.magic.every((b, i) => bytes[i] === b))?.type ?? null;
}

function cleanFileName(name: string): string {
  const base = path
    .basename(name)
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}._ -]/gu, "_")
    .slice(0, 120);
  return base || "document";
}

/**
 * An upload read into memory and checked (size, real type), not yet on disk: a form is
 * validated and its sender authorized before anything of it is written.
 */
export type CheckedUpload = { fileName: string; contentType: string; sizeBytes: number; bytes: Uint8Array };

export function checkUpload(
  file: { name: string; bytes: Uint8Array },
  options: { maxBytes?: number } = {},
): { ok: true; upload: CheckedUpload } | { ok: false; error: UploadError } {
  const { bytes } = file;
  if (bytes.byteLength === 0) return { ok: false, error: "files:errors.empty" };
  if (bytes.byteLength > (options.maxBytes ?? MAX_UPLOAD_BYTES)) return { ok: false, error: "files:errors.tooLarge" };
  const contentType = sniffContentType(bytes);
  if (!contentType) return { ok: false, error: "files:errors.badType" };
  return { ok: true, upload: { fileName: cleanFileName(file.name), contentType, sizeBytes: bytes.byteLength, bytes } };
}

const STORAGE_KEY = /^\d{4}-\d{2}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function writeUpload(upload: CheckedUpload): Promise<StoredFile> {
  const storageKey = `${new Date().toISOString().slice(0, 7)}/${crypto.randomUUID()}`;
  const target = path.resolve(getEnv().UPLOAD_DIR, storageKey);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, upload.bytes, { mode: 0o600 });
  return { storageKey, fileName: upload.fileName, contentType: upload.contentType, sizeBytes: upload.sizeBytes };
}

async function removeStoredFiles(files: StoredFile[]) {
  const root = path.resolve(getEnv().UPLOAD_DIR);
  await Promise.all(files.map((f) => (STORAGE_KEY.test(f.storageKey) ? fs.rm(path.join(root, f.storageKey), { force: true }) : undefined)));
}

/**
 * Writes checked uploads to UPLOAD_DIR, then runs `record` (which stores the rows that
 * reference them). If it refuses (null) or fails, the files are removed again; a crash
 * in between leaves orphans that `sweepOrphanUploads` removes.
 */
export async function storeUploadsFor<T>(uploads: CheckedUpload[], record: (files: StoredFile[]) => Promise<T | null>): Promise<T | null> {
  const files: StoredFile[] = [];
  try {
    for (const upload of uploads) files.push(await writeUpload(upload));
    const result = await record(files);
    if (result === null) await removeStoredFiles(files);
    return result;
  } catch (error) {
    await removeStoredFiles(files).catch(() => undefined);
    throw error;
  }
}

/**
 * Removes files under UPLOAD_DIR that no row references and that are older than
 * `olderThanMs` (young ones may belong to a request still recording its row). Only
 * names this module gives out are considered, so nothing else in the folder is touched.
 */
export async function sweepOrphanUploads(
  isReferenced: (storageKeys: string[]) => Promise<Set<string>>,
  options: { olderThanMs?: number; now?: Date } = {},
): Promise<{ removed: string[] }> {
  const root = path.resolve(getEnv().UPLOAD_DIR);
  const cutoff = (options.now ?? new Date()).getTime() - (options.olderThanMs ?? 60 * 60 * 1000);
  const candidates: string[] = [];
  const months = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  for (const month of months) {
    if (!month.isDirectory() || !/^\d{4}-\d{2}$/.test(month.name)) continue;
    for (const name of await fs.readdir(path.join(root, month.name)).catch(() => [] as string[])) {
      const key = `${month.name}/${name}`;
      if (!STORAGE_KEY.test(key)) continue;
      const stat = await fs.stat(path.join(root, key)).catch(() => null);
      if (stat?.isFile() && stat.mtimeMs < cutoff) candidates.push(key);
    }
  }
  const removed: string[] = [];
  for (let i = 0; i < candidates.length; i += 500) {
    const batch = candidates.slice(i, i + 500);
    const referenced = await isReferenced(batch);
    const orphans = batch.filter((key) => !referenced.has(key));
    await Promise.all(orphans.map((key) => fs.rm(path.join(root, key), { force: true })));
    removed.push(...orphans);
  }
  return { removed };
}

/** Bytes of a stored file; the caller has already checked who may read it. */
export async function readStoredFile(storageKey: string): Promise<Buffer> {
  const root = path.resolve(getEnv().UPLOAD_DIR);
  const target = path.resolve(root, storageKey);
  if (!target.startsWith(root + path.sep)) throw new Error("Invalid storage key");
  return fs.readFile(target);
}

/** Headers for serving a stored file as a download that browsers will not sniff or run. */
export function downloadHeaders(file: Pick<StoredFile, "fileName" | "contentType" | "sizeBytes">): HeadersInit {
  return {
    "Content-Type": file.contentType,
    "Content-Length": String(file.sizeBytes),
    "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
  };
}
