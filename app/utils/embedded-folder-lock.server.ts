import fs from "node:fs";

/**
 * The embedded database's folder belongs to one process at a time. Like two PostgreSQL
 * servers on one data directory, two processes with the same PGlite folder each keep
 * their own buffers and write over each other's pages: running `npm run db:setup` while
 * the portal is up, or a second server on the same folder, leaves a database that no
 * longer opens. So the folder gets a lock file beside it naming the process that holds
 * it. A holder that is no longer running (killed, crashed) leaves a stale lock, which the
 * next process to open the folder takes over.
 */
export class EmbeddedFolderInUseError extends Error {
  constructor(folder: string, lockFile: string, pid: number) {
    super(
      `The embedded database at ${folder} is in use by another process (pid ${pid}). Stop that process first; ` +
        `to run several processes at once, use PostgreSQL (DATABASE_URL=postgres://…). ` +
        `If no process ${pid} is running, delete ${lockFile}.`,
    );
    this.name = "EmbeddedFolderInUseError";
  }
}

// Opens within this process share the lock (the test suite opens a folder, closes it,
// opens it again); the file goes when the last of them closes.
const heldHere = new Map<string, number>();
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

function holderOf(lockFile: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(lockFile, "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Takes `folder` for this process, or throws EmbeddedFolderInUseError; returns the release. */
export function lockEmbeddedFolder(folder: string): () => void {
  const lockFile = `${folder}.lock`;
  const held = heldHere.get(lockFile) ?? 0;
  if (held === 0) claim(folder, lockFile);
  heldHere.set(lockFile, held + 1);
  if (!releaseAtExit) {
    releaseAtExit = true;
    process.once("exit", () => {
      for (const file of heldHere.keys()) removeIfOurs(file);
    });
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (heldHere.get(lockFile) ?? 1) - 1;
    if (left > 0) return void heldHere.set(lockFile, left);
    heldHere.delete(lockFile);
    removeIfOurs(lockFile);
  };
}

function claim(folder: string, lockFile: string) {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // `wx`: created only if absent, so of two processes starting at once only one gets it.
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const pid = holderOf(lockFile);
    if (pid !== null && pid !== process.pid && running(pid)) throw new EmbeddedFolderInUseError(folder, lockFile, pid);
    // Stale (its process is gone) or unreadable: taken over.
    fs.rmSync(lockFile, { force: true });
  }
  throw new EmbeddedFolderInUseError(folder, lockFile, holderOf(lockFile) ?? 0);
}

function removeIfOurs(lockFile: string) {
  if (holderOf(lockFile) === process.pid) fs.rmSync(lockFile, { force: true });
}
