/**
 * `npm run bench:queries`: what one database call costs this process, in CPU and wall
 * time, through Prisma's model API and through raw SQL on the same client — on the
 * embedded database and on PostgreSQL (BENCH_POSTGRES_URL). It explains the webhook
 * figure of `npm run bench`: applying one Stripe event is about a dozen model calls in a
 * transaction, then the receipt and the hold and promise checks, and on Prisma 6's
 * query compiler (Wasm, on the main thread, no plan cache) each model call costs
 * about a millisecond of CPU before the database sees it.
 *
 * BENCH_DATABASES=pglite|postgres, BENCH_QUERY_CALLS (per kind of call, 1000).
 */
import { openDatabase } from "../../app/utils/db.server";
import { applyMigrations } from "../../prisma/migrate";
import { seedDemoData } from "../../prisma/seed";
import { withFreshDatabase, type DatabaseKind } from "./bench-kit";

const CALLS = Number(process.env.BENCH_QUERY_CALLS ?? 1000);
const DATABASES = (process.env.BENCH_DATABASES ?? "pglite,postgres").split(",").filter((d): d is DatabaseKind => d === "pglite" || d === "postgres");

type Row = { database: string; call: string; "CPU ms/call": string; "wall ms/call": string };

async function timed(call: () => Promise<unknown>) {
  for (let i = 0; i < Math.min(100, CALLS); i++) await call();
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < CALLS; i++) await call();
  const used = process.cpuUsage(cpu);
  return { cpu: (used.user + used.system) / 1000 / CALLS, wall: (performance.now() - started) / CALLS };
}

async function measureOn(kind: DatabaseKind, rows: Row[]) {
  await withFreshDatabase(kind, async (url) => {
    const database = await openDatabase(url);
    try {
      await applyMigrations(database);
      await seedDemoData(database.prisma);
      const db = database.prisma;
      const { id } = await db.account.findFirstOrThrow({ select: { id: true } });
      const calls: [string, () => Promise<unknown>][] = [
        ["model: findUnique (whole row)", () => db.account.findUnique({ where: { id } })],
        ["model: findUnique (one column)", () => db.account.findUnique({ where: { id }, select: { id: true } })],
        ["model: updateMany", () => db.account.updateMany({ where: { id, status: { not: "CLOSED" } }, data: { updatedAt: new Date() } })],
        ["raw: SELECT one column", () => db.$queryRaw`SELECT id FROM "Account" WHERE id = ${id}`],
        ["raw: UPDATE", () => db.$executeRaw`UPDATE "Account" SET "updatedAt" = now() WHERE id = ${id}`],
        [
          "model: transaction of 3 calls",
          () =>
            db.$transaction(async (tx) => {
              await tx.account.findUnique({ where: { id } });
              await tx.account.updateMany({ where: { id }, data: { updatedAt: new Date() } });
              await tx.account.findUnique({ where: { id }, select: { id: true } });
            }),
        ],
      ];
      for (const [call, run] of calls) {
        const { cpu, wall } = await timed(run);
        rows.push({ database: kind === "postgres" ? "PostgreSQL" : "PGlite", call, "CPU ms/call": cpu.toFixed(3), "wall ms/call": wall.toFixed(3) });
      }
    } finally {
      await database.close();
    }
  });
}

const rows: Row[] = [];
for (const kind of DATABASES) await measureOn(kind, rows);
console.log(`\nOne call at a time, ${CALLS} of each after a warm-up; CPU is this process's (on PGlite that includes the database's worker thread).`);
console.table(rows);
