import { db } from "../../utils/db.server";
import { sweepOrphanUploads } from "./stored-files.server";

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

export const ORPHAN_SWEEP_INTERVAL_MS = 15 * 60 * 1000;

/**
 * Sweeps at start-up and then every 15 minutes, until stopped. Several processes may
 * sweep the same folder: removing a file twice is harmless.
 */
export function startOrphanSweep(onError: (error: unknown) => void): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const run = () => {
    running ??= sweepOrphanUploadsNow()
      .then(() => undefined, onError)
      .finally(() => (running = null));
  };
  run();
  const timer = setInterval(run, ORPHAN_SWEEP_INTERVAL_MS);
  timer.unref();
  return {
    // Waits for a sweep under way, so the database is not closed under it.
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
