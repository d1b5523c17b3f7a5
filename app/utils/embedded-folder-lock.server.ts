import crypto from "node:crypto";
import fs from "node:fs";

/**
 * The embedded database's folder belongs to one open database at a time. Like two
 * PostgreSQL servers on one data directory, two PGlite instances on the same folder each
 * keep their own buffers and write over each other's pages: running `npm run db:setup`
 * while the portal is up, or a second server on the same folder, leaves a database that
 * no longer opens. So the folder gets a lock file beside it naming the process that holds
 * it. A holder that is no longer running (killed, crashed) leaves a stale lock, which the
 * next process to open the folder takes over.
 *
 * The pid is checked on this machine: a folder shared between machines or containers is
 * not guarded (and not supported: the embedded database is one process's).
 */
export class EmbeddedFolderInUseError extends Error {
  constructor(folder: string, lockFile: string, holder: number | null) {
    super(
      holder === process.pid
        ? `The embedded database at ${folder} is already open in this process.`
        : `The embedded database at ${folder} is in use by another process${holder ? ` (pid ${holder})` : ""}. Stop that process first; ` +
            `to run several processes at once, use PostgreSQL (DATABASE_URL=postgres://…). ` +
            `If ${holder ? `no process ${holder}` : "no such process"} is running, delete ${lockFile}.`,
    );
    this.name = "EmbeddedFolderInUseError";
  }
}

const heldHere = new Set<string>();
let releaseAtExit = false;

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid in a lock file; undefined when there is no file, null when it holds no pid. */
function holderOf(lockFile: string): number | null | undefined {
  let text: string;
  try {
    text = fs.readFileSync(lockFile, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Takes `folder` for this open database, or throws EmbeddedFolderInUseError; returns the release. */
export function lockEmbeddedFolder(folder: string): () => void {
  const lockFile = `${folder}.lock`;
  if (heldHere.has(lockFile)) throw new EmbeddedFolderInUseError(folder, lockFile, process.pid);
  claim(folder, lockFile);
  heldHere.add(lockFile);
  if (!releaseAtExit) {
    releaseAtExit = true;
    process.once("exit", () => {
      for (const file of heldHere) removeIfOurs(file);
    });
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    heldHere.delete(lockFile);
    removeIfOurs(lockFile);
  };
}

function claim(folder: string, lockFile: string) {
  // Written whole under a name of its own, then linked into place: the lock file never
  // exists without its pid, and a link fails if the file is there, so one of two processes starting at once gets it.
  const mine = `${lockFile}.${process.pid}.${crypto.randomBytes(4).toString("hex")}`;
  fs.writeFileSync(mine, String(process.pid));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.linkSync(mine, lockFile);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = holderOf(lockFile);
      if (holder === undefined) continue; // released in the meantime
      if (holder === null || (holder !== process.pid && running(holder))) throw new EmbeddedFolderInUseError(folder, lockFile, holder);
      takeOverStale(folder, lockFile, holder);
    }
    throw new EmbeddedFolderInUseError(folder, lockFile, holderOf(lockFile) ?? null);
  } finally {
    fs.rmSync(mine, { force: true });
  }
}

/**
 * Moves a stale lock aside before deleting it, and checks that what it moved is the lock
 * it judged stale: another process may have taken the folder over in between, and its
 * fresh lock is then put back, not deleted.
 */
function takeOverStale(folder: string, lockFile: string, stalePid: number) {
  const aside = `${lockFile}.stale.${process.pid}.${crypto.randomBytes(4).toString("hex")}`;
  try {
    fs.renameSync(lockFile, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  const moved = holderOf(aside);
  if (moved !== stalePid) {
    try {
      fs.linkSync(aside, lockFile);
    } finally {
      fs.rmSync(aside, { force: true });
    }
    throw new EmbeddedFolderInUseError(folder, lockFile, moved ?? null);
  }
  fs.rmSync(aside, { force: true });
}

function removeIfOurs(lockFile: string) {
  try {
    if (holderOf(lockFile) === process.pid) fs.rmSync(lockFile, { force: true });
  } catch {
    // Unreadable now: the next opener reports it, with the file to delete.
  }
}
