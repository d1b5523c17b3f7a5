/**
 * Uploaded documents (credit applications, dispute attachments): checked by size and
 * by their actual bytes (not the name or the browser's claim), stored under
 * UPLOAD_DIR with a random key outside the web root, and only ever served through a
 * route that has authorized the reader.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { getEnv } from "../../../server/env";

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
  const base = path.basename(name).normalize("NFC").replace(/[^\p{L}\p{N}._ -]/gu, "_").slice(0, 120);
  return base || "document";
}

export async function storeUpload(
  file: { name: string; arrayBuffer(): Promise<ArrayBuffer> },
  options: { maxBytes?: number } = {},
): Promise<{ ok: true; file: StoredFile } | { ok: false; error: UploadError }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.byteLength === 0) return { ok: false, error: "files:errors.empty" };
  if (bytes.byteLength > (options.maxBytes ?? MAX_UPLOAD_BYTES)) return { ok: false, error: "files:errors.tooLarge" };
  const contentType = sniffContentType(bytes);
  if (!contentType) return { ok: false, error: "files:errors.badType" };
  const storageKey = `${new Date().toISOString().slice(0, 7)}/${crypto.randomUUID()}`;
  const target = path.resolve(getEnv().UPLOAD_DIR, storageKey);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, bytes, { mode: 0o600 });
  return { ok: true, file: { storageKey, fileName: cleanFileName(file.name), contentType, sizeBytes: bytes.byteLength } };
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
