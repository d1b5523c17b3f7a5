/**
 * Test databases: one migrated and seeded template per run, copied for every test
 * file (a folder copy for PGlite, CREATE DATABASE … TEMPLATE for PostgreSQL), so a
 * file gets a fresh, realistic database in well under a second.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase } from "../../app/utils/db.server";
import { applyMigrations } from "../../prisma/migrate";
import { seedDemoData } from "../../prisma/seed";

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type TestTarget = "pglite" | "postgres";

export function testTarget(): TestTarget {
  return process.env.TEST_DATABASE === "postgres" ? "postgres" : "pglite";
}

function withDatabase(adminUrl: string, name: string) {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Builds the template; returns a description the copies start from. `adminUrl`: the PostgreSQL server to make it on. */
export async function createTemplate(target: TestTarget, adminUrl = POSTGRES_ADMIN_URL): Promise<string> {
  if (target === "pglite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-template-"));
    const url = `pglite:${path.join(dir, "db")}`;
    const database = await openDatabase(url);
    await applyMigrations(database);
    await seedDemoData(database.prisma);
    await database.close();
    return url;
  }
  const name = `portal_tpl_${crypto.randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const database = await openDatabase(url);
  await applyMigrations(database);
  await seedDemoData(database.prisma);
  await database.close();
  return url;
}

export async function dropTemplate(templateUrl: string, adminUrl = POSTGRES_ADMIN_URL): Promise<void> {
  if (templateUrl.startsWith("pglite:")) {
    fs.rmSync(path.dirname(templateUrl.slice("pglite:".length)), { recursive: true, force: true });
    return;
  }
  const name = new URL(templateUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const copies = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${name}_%`]);
  for (const row of copies.rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

/** A private copy of the template for one test file. */
export async function copyTemplate(templateUrl: string): Promise<{ url: string; dispose: () => Promise<void> }> {
  if (templateUrl.startsWith("pglite:")) {
    const source = templateUrl.slice("pglite:".length);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-test-"));
    fs.cpSync(source, path.join(dir, "db"), { recursive: true });
    return { url: `pglite:${path.join(dir, "db")}`, dispose: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const template = new URL(templateUrl).pathname.slice(1);
  const name = `${template}_${crypto.randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  return {
    url: withDatabase(POSTGRES_ADMIN_URL, name),
    dispose: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
