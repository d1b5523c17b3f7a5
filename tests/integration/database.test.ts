import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { isUniqueViolation } from "../../app/domain/payments/unique-violation";
import type { Database } from "../../app/utils/db.server";
import { applyMigrations } from "../../prisma/migrate";
import { seedDemoData } from "../../prisma/seed";
import { useTestDatabase } from "../support/test-database";

const testDatabase = useTestDatabase();
let database: Database;
beforeAll(() => {
  database = testDatabase.current;
});

describe("migrations", () => {
  it("are applied once and recorded in Prisma's own table", async () => {
    const again = await applyMigrations(database);
    expect(again.applied).toEqual([]);
    const rows = await database.sql.query<{ migration_name: string; checksum: string }>(`SELECT migration_name, checksum FROM "_prisma_migrations"`);
    expect(rows.map((r) => r.migration_name)).toContain("20261123000000_init");
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
  });

  it("refuse a migration edited after it was applied", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-"));
    fs.cpSync(path.resolve("prisma/migrations"), dir, { recursive: true });
    fs.appendFileSync(path.join(dir, "20261123000000_init", "migration.sql"), "\n-- edited\n");
    await expect(applyMigrations(database, dir)).rejects.toThrow(/edited after it was applied/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("roll back a failing migration completely", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-"));
    fs.cpSync(path.resolve("prisma/migrations"), dir, { recursive: true });
    fs.mkdirSync(path.join(dir, "20991231000000_broken"));
    fs.writeFileSync(path.join(dir, "20991231000000_broken", "migration.sql"), `CREATE TABLE "Half" (id int);\nSELECT * FROM "NoSuchTable";`);
    await expect(applyMigrations(database, dir)).rejects.toThrow();
    const half = await database.sql.query(`SELECT to_regclass('"Half"') AS t`);
    expect(half[0]).toEqual({ t: null });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("seed data", () => {
  it("looks like a real book and is idempotent", async () => {
    const prisma = database.prisma;
    const summary = await seedDemoData(prisma);
    expect(summary.createdInvoices).toBe(0);
    expect(summary.invoices).toBeGreaterThanOrEqual(300);

    const accounts = await prisma.account.findMany();
    expect(new Set(accounts.map((a) => a.currency))).toEqual(new Set(["USD", "MXN", "EUR"]));
    expect(accounts.some((a) => a.status === "CREDIT_HOLD")).toBe(true);
    const pending = await prisma.creditApplication.findMany({ where: { status: "SUBMITTED" } });
    expect(pending.some((p) => p.accountId !== null)).toBe(true);
    expect(await prisma.invoice.count({ where: { status: "PARTIALLY_PAID" } })).toBeGreaterThan(0);
    expect(await prisma.dispute.count()).toBeGreaterThan(0);
    expect(await prisma.order.count({ where: { status: "ON_HOLD" } })).toBeGreaterThan(0);

    const reps = await prisma.user.findMany({ where: { role: { in: ["REP", "MANAGER"] } } });
    expect(new Set(reps.map((r) => r.staffLevel))).toEqual(new Set(["REP_I", "REP_II", "REP_III", "SENIOR", "MANAGER"]));
    const languageSets = new Set(reps.map((r) => [...r.languages].sort().join("+")));
    expect(languageSets).toEqual(new Set(["en", "es", "en+es"]));
    expect(await prisma.authorityLimit.count()).toBe(5);

    // Invoice balances agree with their payments and posted credits (memos, write-offs).
    const mismatched = await database.sql.query(`
      SELECT i.id FROM "Invoice" i
      WHERE i."totalMinor"
        - COALESCE((SELECT SUM(a."amountMinor") FROM "PaymentAllocation" a WHERE a."invoiceId" = i.id), 0)
        - COALESCE((SELECT SUM(d."amountMinor") FROM "Adjustment" d WHERE d."invoiceId" = i.id AND d.status = 'POSTED' AND d.kind IN ('CREDIT_MEMO', 'WRITE_OFF')), 0)
        + COALESCE((SELECT SUM(d."amountMinor") FROM "Adjustment" d WHERE d."invoiceId" = i.id AND d.status = 'POSTED' AND d.kind = 'DEBIT_MEMO'), 0)
        <> i."balanceMinor"`);
    expect(mismatched).toEqual([]);
  });
});

describe("named (prepared) statements", () => {
  it("carry every value exactly, quotes and backslashes included, as the unnamed form does", async () => {
    const values = ["plain", "O'Brien's \"quote\"", "back\\slash \\' and \\\\", '\'); DROP TABLE "Session"; --', "línea\nnueva ñ 💸", ""];
    for (const value of values) {
      const text = `SELECT $1::text AS v, length($1::text) AS n, $2::int AS i, $3::boolean AS b, $4::text IS NULL AS missing`;
      const named = await database.sql.query<{ v: string; n: number; i: number; b: boolean; missing: boolean }>(text, [value, 42, true, null], "test-echo");
      const unnamed = await database.sql.query(text, [value, 42, true, null]);
      expect(named).toEqual(unnamed);
      expect(named[0]).toMatchObject({ v: value, i: 42, b: true, missing: true });
    }
    expect(await database.sql.query(`SELECT to_regclass('"Session"') IS NOT NULL AS present`)).toEqual([{ present: true }]);
  });

  it("can be used for the first time by several callers at once", async () => {
    const name = `test-first-use-${Date.now()}`;
    const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => database.sql.query<{ n: number }>(`SELECT $1::int AS n`, [n], name)));
    expect(answers).toEqual([1, 2, 3, 4, 5].map((n) => [{ n }]));
  });
});

describe("the process while the database works", () => {
  it("goes on answering: a slow query does not hold up the event loop", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    const started = performance.now();
    await database.sql.query(`SELECT pg_sleep(0.6)`);
    const elapsed = performance.now() - started;
    clearInterval(timer);
    expect(elapsed).toBeGreaterThanOrEqual(550);
    // A 20 ms timer over 0.6 s: an event loop held by the query would have fired it at most once.
    expect(ticks).toBeGreaterThanOrEqual(10);
  });

  it("answers a failed query with its error and goes on working", async () => {
    await expect(database.sql.query(`SELECT * FROM "NoSuchTable"`)).rejects.toThrow(/NoSuchTable/);
    await expect(database.prisma.$queryRawUnsafe(`SELECT * FROM "NoSuchTable"`)).rejects.toThrow(/NoSuchTable/);
    expect(await database.sql.query(`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
    expect(await database.prisma.account.count()).toBeGreaterThan(0);
  });

  it("reports a unique violation as Prisma's P2002, inside a transaction too, and rolls the transaction back", async () => {
    const user = await database.prisma.user.findFirstOrThrow();
    await expect(database.prisma.user.create({ data: { email: user.email, name: "Twin", passwordHash: "x", role: "REP" } })).rejects.toMatchObject({
      code: "P2002",
    });
    await expect(
      database.prisma.$transaction(async (tx) => {
        await tx.user.update({ where: { id: user.id }, data: { name: "Renamed inside" } });
        await tx.user.create({ data: { email: user.email, name: "Twin", passwordHash: "x", role: "REP" } });
      }),
    ).rejects.toSatisfy(isUniqueViolation);
    // The failed transaction changed nothing.
    expect((await database.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe(user.name);
  });
});
