import { db } from "../../utils/db.server";
import { sweepOrphanUploads } from "./stored-files.server";
import { repeatInBackground } from "../../utils/repeat-in-background.server";

/** Every table whose rows point at a stored file. A new one belongs here too. */
async function referencedKeys(storageKeys: string[]): Promise<Set<string>> {
  const where = { storageKey: { in: storageKeys } };
  const [documents, attachments, letters] = await Promise.all([
    db().applicationDocument.findMany({ where, select: { storageKey: true } }),
    db().disputeAttachment.findMany({ where, select: { storageKey: true } }),
    db().finalDemandLetter.findMany({ where, select: { storageKey: true } }),
  ]);
  return new Set([...documents, ...attachments, ...letters].map((row) => row.storageKey));
}

/** Removes uploaded files that no row references and that are more than an hour old. */
export function sweepOrphanUploadsNow(options: { olderThanMs?: number; now?: Date } = {}) {
  return sweepOrphanUploads(referencedKeys, options);
}

const ORPHAN_SWEEP_INTERVAL_MS = 15 * 60 * 1000;

/**
 * Sweeps at start-up and then every 15 minutes, until stopped. Several processes may
 * sweep the same folder: removing a file twice is harmless.
 */
export function startOrphanSweep(onError: (error: unknown) => void): { stop(): Promise<void> } {
  return repeatInBackground(() => sweepOrphanUploadsNow(), { firstAfterMs: 0, everyMs: ORPHAN_SWEEP_INTERVAL_MS }, onError);
}
