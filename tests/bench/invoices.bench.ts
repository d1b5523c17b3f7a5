/**
 * Benchmark: the first page of the invoice list for an account with 10,000 invoices,
 * 50 concurrent requests, next to a bare page served by the same server in the same
 * run. Makes its own fresh database (PGlite in a temp folder, or BENCH_DATABASE_URL),
 * starts the real production server, drives it with autocannon, prints p50/p95/p99.
 *
 *   npm run build && npm run bench:invoices      (BENCH_SECONDS=10 by default)
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { hashPassword } from "../../app/domain/auth/password.server";
import { openDatabase } from "../../app/utils/db.server";
import { applyMigrations } from "../../prisma/migrate";
import { seedDemoData } from "../../prisma/seed";
import { createPortalServer } from "../../server/app";
import { parseEnv } from "../../server/env";

const INVOICES = 10_000;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PASSWORD = "Bench-Portal-2026";

function percentile(sorted: number[], p: number) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(label: string, url: string, headers: Record<string, string>) {
  const times: number[] = [];
  let non200 = 0;
  const instance = autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    times.push(ms);
    if (status !== 200) non200++;
  });
  const result = await instance;
  times.sort((a, b) => a - b);
  return {
    page: label,
    requests: times.length,
    "req/s": Math.round(result.requests.average),
    "p50 ms": +percentile(times, 50).toFixed(1),
    "p95 ms": +percentile(times, 95).toFixed(1),
    "p99 ms": +percentile(times, 99).toFixed(1),
    "non-200": non200 + result.errors,
  };
}

async function main() {
  if (!fs.existsSync("build/server/index.js")) throw new Error("Run `npm run build` first.");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "portal-bench-"));
  const env = parseEnv({
    NODE_ENV: "production",
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? `pglite:${path.join(tmp, "db")}`,
    UPLOAD_DIR: path.join(tmp, "uploads"),
    SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
    LOG_LEVEL: "silent",
  });
  const database = await openDatabase(env.DATABASE_URL);
  const db = database.prisma;
  console.log(`database: ${database.kind}; migrating and seeding…`);
  await applyMigrations(database);
  await seedDemoData(db);

  const number = `ACC-B${Date.now().toString(36).slice(-5).toUpperCase()}`;
  const account = await db.account.create({
    data: { number, legalName: "Benchmark Distribution LLC", taxId: "99-0000000", country: "US", currency: "USD", creditLimitMinor: 500_000_000n, paymentTermsDays: 30 },
  });
  const email = `bench-${number.toLowerCase()}@bench.example`;
  await db.user.create({ data: { email, name: "Bench User", role: "CUSTOMER", accountId: account.id, passwordHash: await hashPassword(PASSWORD), preferredLanguage: "en" } });
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const statuses = ["OPEN", "PARTIALLY_PAID", "PAID", "PAID"] as const;
  for (let start = 0; start < INVOICES; start += 1000) {
    await db.invoice.createMany({
      data: Array.from({ length: Math.min(1000, INVOICES - start) }, (_, k) => {
        const i = start + k;
        const issued = new Date(today - (i % 720) * 86_400_000);
        const total = BigInt(10_000 + ((i * 7919) % 900_000));
        const status = statuses[i % statuses.length];
        return {
          number: `${number.slice(4)}-${String(i + 1).padStart(6, "0")}`,
          accountId: account.id,
          poNumber: `PO-${number.slice(4)}-${7000 + i}`,
          currency: i % 10 === 0 ? "MXN" : "USD",
          issuedOn: issued,
          dueOn: new Date(issued.getTime() + 30 * 86_400_000),
          totalMinor: total,
          balanceMinor: status === "PAID" ? 0n : status === "PARTIALLY_PAID" ? total / 2n : total,
          status,
        };
      }),
    });
  }
  // PostgreSQL's autovacuum refreshes planner statistics after a bulk load by itself;
  // embedded PGlite has no autovacuum, so do what it would.
  await database.sql.exec("ANALYZE");
  console.log(`account ${number}: ${await db.invoice.count({ where: { accountId: account.id } })} invoices`);

  const server = await createPortalServer({ env, mode: "production", database });
  const { port } = await server.listen(0, "127.0.0.1");
  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/login`, { method: "POST", body: new URLSearchParams({ email, password: PASSWORD }), redirect: "manual" });
  const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  if (login.status !== 302 || !cookie) throw new Error(`sign-in failed (${login.status})`);
  const check = await fetch(`${base}/invoices?q=PO-&status=open`, { headers: { cookie } });
  if (check.status !== 200) throw new Error(`invoice list answered ${check.status}`);

  const auth = { cookie };
  const pages: [string, string, Record<string, string>][] = [
    ["bare page (/healthz)", `${base}/healthz`, {}],
    ["bare page (/login, rendered)", `${base}/login`, {}],
    ["signed-in page (/account)", `${base}/account`, auth],
    ["invoices, first page", `${base}/invoices`, auth],
    ["invoices, filtered + search", `${base}/invoices?status=open&currency=USD&from=2025-01-01&q=PO-${number.slice(4)}-71&sort=balance&dir=desc`, auth],
  ];
  console.log(`\n${CONNECTIONS} concurrent connections, ${SECONDS} s each, same server, same run:`);
  const rows = [];
  for (const [label, url, headers] of pages) rows.push(await measure(label, url, headers));
  console.table(rows);

  await server.close();
  await database.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
