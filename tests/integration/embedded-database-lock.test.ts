/**
 * The embedded database's folder is one process's at a time: a second process (the
 * database CLI while the portal runs, a job runner, another server) is refused with a
 * readable reason instead of corrupting it, and a lock left by a process that died is
 * taken over.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../app/utils/db.server";
import { applyMigrations, assertMigrated } from "../../prisma/migrate";
import { lockEmbeddedFolder } from "../../app/utils/embedded-folder-lock.server";
import { parseEnv } from "../../app/utils/config.server";
import { createPortalServer } from "../../server/app";

let dir: string;
let folder: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-lock-"));
  folder = path.join(dir, "db");
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function databaseCli(command: string) {
  return spawnSync(process.execPath, ["--import", "tsx", path.resolve("prisma/cli.ts"), command], {
    env: { PATH: process.env.PATH ?? "", DATABASE_URL: `pglite:${folder}` },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("the embedded database folder", () => {
  it("refuses the database CLI while this process holds it, and lets it in once closed", async () => {
    const database = await openDatabase(`pglite:${folder}`);
    try {
      await applyMigrations(database);
      expect(fs.readFileSync(`${folder}.lock`, "utf8")).toBe(String(process.pid));
      const refused = databaseCli("migrate");
      expect(refused.status).toBe(1);
      expect(refused.stderr.trim().split("\n")).toHaveLength(1);
      expect(refused.stderr).toContain(`The embedded database at ${folder} is in use by another process (pid ${process.pid})`);
      expect(refused.stderr).toContain("use PostgreSQL");
      // Still whole: the refused process wrote nothing.
      await expect(assertMigrated(database)).resolves.toBeUndefined();
    } finally {
      await database.close();
    }
    expect(fs.existsSync(`${folder}.lock`)).toBe(false);
    const allowed = databaseCli("migrate");
    expect(allowed.stderr).toBe("");
    expect(allowed.stdout).toContain("Database is up to date");
    expect(allowed.status).toBe(0);
  });

  it("takes over a lock whose process is gone", async () => {
    const gone = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
    fs.writeFileSync(`${folder}.lock`, gone.stdout.trim());
    let database: Database | undefined;
    try {
      database = await openDatabase(`pglite:${folder}`);
      expect(fs.readFileSync(`${folder}.lock`, "utf8")).toBe(String(process.pid));
      await expect(assertMigrated(database)).resolves.toBeUndefined();
    } finally {
      await database?.close();
    }
  });

  it("is one open database at a time within a process too", async () => {
    const first = await openDatabase(`pglite:${folder}`);
    try {
      await expect(openDatabase(`pglite:${folder}`)).rejects.toThrow(`The embedded database at ${folder} is already open in this process.`);
    } finally {
      await first.close();
    }
    expect(fs.existsSync(`${folder}.lock`)).toBe(false);
    // Nothing left beside the folder but the folder.
    expect(fs.readdirSync(dir)).toEqual(["db"]);
  });

  it("is free again when the server refuses to start on it", async () => {
    const unmigrated = path.join(dir, "empty");
    await expect(createPortalServer({ env: parseEnv({ DATABASE_URL: `pglite:${unmigrated}` }), mode: "production" })).rejects.toThrow(
      "The database has no tables yet.",
    );
    expect(fs.existsSync(`${unmigrated}.lock`)).toBe(false);
    const release = lockEmbeddedFolder(unmigrated);
    release();
  });
});

describe("a database behind the code", () => {
  it("names how far behind it is", async () => {
    const database = await openDatabase("pglite:memory");
    try {
      await expect(assertMigrated(database)).rejects.toThrow("The database has no tables yet. Run `npm run db:setup`");
      await applyMigrations(database);
      await expect(assertMigrated(database)).resolves.toBeUndefined();
      const ahead = fs.mkdtempSync(path.join(os.tmpdir(), "portal-migrations-"));
      fs.cpSync(path.resolve("prisma/migrations"), ahead, { recursive: true });
      fs.mkdirSync(path.join(ahead, "29991231000000_next_release"));
      fs.writeFileSync(path.join(ahead, "29991231000000_next_release", "migration.sql"), "SELECT 1;");
      await expect(assertMigrated(database, ahead)).rejects.toThrow(
        "The database is 1 migration(s) behind this release (next: 29991231000000_next_release). Run `npm run db:migrate`",
      );
      const [first] = fs.readdirSync(ahead).sort();
      fs.appendFileSync(path.join(ahead, first, "migration.sql"), "\n-- edited after it ran\n");
      await expect(assertMigrated(database, ahead)).rejects.toThrow(`Migration ${first} was edited after it was applied`);
      fs.rmSync(ahead, { recursive: true, force: true });
    } finally {
      await database.close();
    }
  });
});
