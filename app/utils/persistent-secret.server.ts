/**
 * A secret made once per installation and kept in a file beside the embedded data (the
 * session secret, the payment sandbox's webhook secret), for when the configuration
 * names none. Two processes starting together must end up with the same secret: each
 * writes its candidate to a private temporary file and hard-links it into place, which
 * succeeds for exactly one of them; the others read the winner's file, which is whole
 * from the moment it appears.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const secretsByFile = new Map<string, string>();

function readIfPresent(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** The secret kept in `file`, made with `make` (and kept there) if there is none yet. */
export function persistentSecret(file: string, make: () => string): string {
  const known = secretsByFile.get(file);
  if (known) return known;
  let secret = readIfPresent(file);
  if (secret === null) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const candidate = `${file}.${process.pid}.${crypto.randomBytes(6).toString("hex")}.tmp`;
    fs.writeFileSync(candidate, make(), { mode: 0o600, flag: "wx" });
    try {
      fs.linkSync(candidate, file);
    } catch (error) {
      // Another process put its secret in place first: that one is the installation's.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      fs.rmSync(candidate, { force: true });
    }
    secret = fs.readFileSync(file, "utf8").trim();
  }
  secretsByFile.set(file, secret);
  return secret;
}
