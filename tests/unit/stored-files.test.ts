import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkUpload, readStoredFile, sniffContentType, storeUploadsFor } from "../../app/domain/files/stored-files.server";
import { parseEnv, setEnv } from "../../app/utils/config.server";

const pdf = new TextEncoder().encode("%PDF-1.7\n%âãÏÓ\n1 0 obj<<>>endobj\n");
const asFile = (name: string, bytes: Uint8Array) => ({ name, bytes });

beforeAll(() => {
  setEnv(parseEnv({ UPLOAD_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "uploads-")) }));
});

describe("stored files", () => {
  it("recognises files by their bytes, not their names", () => {
    expect(sniffContentType(pdf)).toBe("application/pdf");
    expect(sniffContentType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe("image/png");
    expect(sniffContentType(new TextEncoder().encode("<html><script>alert(1)</script>"))).toBeNull();
  });

  it("stores an accepted file under a random key and reads it back", async () => {
    const checked = checkUpload(asFile("../../etc/Estados financieros 2025.pdf", pdf));
    if (!checked.ok) throw new Error(checked.error);
    const file = await storeUploadsFor([checked.upload], async ([stored]) => stored);
    if (!file) throw new Error("not stored");
    expect(file.fileName).toBe("Estados financieros 2025.pdf");
    expect(file.contentType).toBe("application/pdf");
    expect(new Uint8Array(await readStoredFile(file.storageKey))).toEqual(pdf);
  });

  it("refuses empty, oversized and disguised files", async () => {
    expect(checkUpload(asFile("a.pdf", new Uint8Array()))).toEqual({ ok: false, error: "files:errors.empty" });
    expect(checkUpload(asFile("a.pdf", pdf), { maxBytes: 10 })).toEqual({ ok: false, error: "files:errors.tooLarge" });
    expect(checkUpload(asFile("invoice.pdf", new TextEncoder().encode("MZ executable")))).toEqual({ ok: false, error: "files:errors.badType" });
  });

  it("never reads outside the upload folder", async () => {
    await expect(readStoredFile("../../etc/passwd")).rejects.toThrow(/Invalid storage key/);
  });
});
