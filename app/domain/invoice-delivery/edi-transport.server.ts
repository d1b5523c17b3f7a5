/**
 * Where an 810 goes. The embedded default is a folder per trading partner under
 * EDI_OUTBOUND_DIR, which a translator or an SFTP/AS2 gateway on this host picks up.
 * SFTP and AS2 targets are described in EDI_TARGETS (docs/reference.md) so the account
 * can name one, but this build carries no SFTP or AS2 client: sending to one fails the
 * attempt with a delivery error that says so, and the ledger retries and then shows it.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { getEnv } from "../../utils/config.server";

export class DeliveryError extends Error {}

/** The partner's folder name: its ISA id, kept to safe characters (never a path outside the outbound folder). */
export function partnerFolder(interchangeId: string): string {
  return interchangeId.trim().replace(/[^A-Za-z0-9._-]/g, "_") || "partner";
}

export function ediTargetNames(): string[] {
  return ["folder", ...Object.keys(getEnv().EDI_TARGETS ?? {})];
}

/**
 * Writes the file under a temporary name and renames it, so a pickup never reads half a
 * file. Returns a function that removes it again (the caller's transaction failed).
 */
export async function sendEdiFile(
  target: string,
  partnerId: string,
  fileName: string,
  content: string,
): Promise<{ location: string; undo: () => Promise<void> }> {
  if (target === "folder") {
    const folder = path.resolve(getEnv().EDI_OUTBOUND_DIR, partnerFolder(partnerId));
    const final = path.join(folder, fileName);
    try {
      await fs.mkdir(folder, { recursive: true });
      const temporary = `${final}.part`;
      await fs.writeFile(temporary, content, { flag: "wx" });
      await fs.rename(temporary, final);
    } catch (error) {
      throw new DeliveryError(`could not write ${final}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { location: final, undo: () => fs.rm(final, { force: true }) };
  }
  const described = getEnv().EDI_TARGETS?.[target];
  if (!described) throw new DeliveryError(`EDI target "${target}" is not described in EDI_TARGETS`);
  if (described.type === "sftp")
    throw new DeliveryError(
      `SFTP target "${target}" (${described.username}@${described.host}:${described.port}${described.directory}) cannot be reached: this portal has no SFTP client; use the outbound folder with a gateway`,
    );
  throw new DeliveryError(
    `AS2 target "${target}" (${described.url}, ${described.as2From} → ${described.as2To}) cannot be reached: this portal has no AS2 client; use the outbound folder with a gateway`,
  );
}
