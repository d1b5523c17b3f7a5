/**
 * Benchmark: the first page of the invoice list for an account with 10,000 invoices,
 * 50 concurrent requests, next to bare pages served by the same server in the same
 * run. For each database (embedded PGlite, and PostgreSQL when one answers at
 * BENCH_POSTGRES_URL) it makes its own fresh data, starts the real production server
 * as its own process (`tsx server/index.ts`, as `npm start` does) so the load
 * generator does not share the server's event loop, drives it with autocannon and
 * prints p50/p95/p99.
 *
 *   npm run build && npm run bench:invoices      (BENCH_SECONDS=10, BENCH_CONNECTIONS=50)
 *   BENCH_DATABASES=pglite npm run bench:invoices   (only one of pglite,postgres)
 *   BENCH_ONLY=invoices BENCH_CPU_PROFILE=/tmp/prof npm run bench:invoices   (some pages, profiled)
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { hashPassword } from "../../app/domain/auth/password.server";
import { openDatabase } from "../../app/utils/db.server";
import { applyMigrations } from "../../prisma/migrate";
import { seedDemoData } from "../../prisma/seed";

const INVOICES = 10_000;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PASSWORD = "Bench-Portal-2026";
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DATABASES = (process.env.BENCH_DATABASES ?? "pglite,postgres").split(",");

function percentile(sorted: number[], p: number) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * `pathFor(i)`, when given, makes request i ask for its own URL: pages that the page
 * cache has never seen, so every one is rendered from the database.
 */
async function measure(label: string, url: string, headers: Record<string, string>, pathFor?: (i: number) => string) {
  let counter = 0;
  const requests = pathFor ? [{ setupRequest: (req: { path: string }) => ({ ...req, path: pathFor(counter++) }) }] : undefined;
  // A short warm-up so JIT and caches are in the state a running server is in.
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers, requests } as Parameters<typeof autocannon>[0]);
  const times: number[] = [];
  let non200 = 0;
  const instance = autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers, requests } as Parameters<typeof autocannon>[0]);
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A fresh database with the demo data plus one account holding INVOICES invoices. */
async function prepare(url: string) {
  const database = await openDatabase(url);
  const db = database.prisma;
  await applyMigrations(database);
  await seedDemoData(db);
  const number = `ACC-B${Date.now().toString(36).slice(-5).toUpperCase()}`;
  const account = await db.account.create({
    data: {
      number,
      legalName: "Benchmark Distribution LLC",
      taxId: "99-0000000",
      country: "US",
      currency: "USD",
      creditLimitMinor: 500_000_000n,
      paymentTermsDays: 30,
    },
  });
  const email = `bench-${number.toLowerCase()}@bench.example`;
  await db.user.create({
    data: { email, name: "Bench User", role: "CUSTOMER", accountId: account.id, passwordHash: await hashPassword(PASSWORD), preferredLanguage: "en" },
  });
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
  // PostgreSQL's autovacuum refreshes planner statistics after a bulk load by itself
  // (eventually); embedded PGlite has none. Do what it would, now, on both.
  await database.sql.exec("ANALYZE");
  const count = await db.invoice.count({ where: { accountId: account.id } });
  await database.close();
  return { number, email, count };
}

async function startServer(env: Record<string, string>): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  // BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of the server there.
  const profile = process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROFILE)}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", "server/index.ts"], {
    env: {
      ...process.env,
      ...env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      APP_URL: `http://127.0.0.1:${port}`,
      PAYMENTS_SANDBOX: "on",
      MAIL_OUTBOX: "on",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { base, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error("server did not start");
}

async function run(kind: "pglite" | "postgres") {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "portal-bench-"));
  let url = `pglite:${path.join(tmp, "db")}`;
  let dropDatabase = async () => {};
  if (kind === "postgres") {
    const name = `portal_bench_${crypto.randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    try {
      await admin.connect();
    } catch (error) {
      console.log(`\nPostgreSQL: skipped, nothing answers at ${POSTGRES_URL} (${(error as Error).message})`);
      return;
    }
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const target = new URL(POSTGRES_URL);
    target.pathname = `/${name}`;
    url = target.toString();
    dropDatabase = async () => {
      const again = new pg.Client({ connectionString: POSTGRES_URL });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    };
  }
  console.log(`\n${kind}: migrating, seeding, loading ${INVOICES} invoices…`);
  const { number, email, count } = await prepare(url);
  const { base, child } = await startServer({
    DATABASE_URL: url,
    UPLOAD_DIR: path.join(tmp, "uploads"),
    SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
  });
  try {
    const login = await fetch(`${base}/login`, { method: "POST", body: new URLSearchParams({ email, password: PASSWORD }), redirect: "manual" });
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    if (login.status !== 302 || !cookie) throw new Error(`sign-in failed (${login.status})`);
    const filtered = `${base}/invoices?status=open&currency=USD&from=2025-01-01&q=PO-${number.slice(4)}-71&sort=balance&dir=desc`;
    for (const url of [`${base}/invoices`, filtered]) {
      const check = await fetch(url, { headers: { cookie } });
      const html = await check.text();
      if (check.status !== 200 || !html.includes(number.slice(4))) throw new Error(`invoice list answered ${check.status} without the account's invoices`);
    }
    // What a browser sends: the cached pages answer in the encoding it accepts.
    const browser = { "accept-encoding": "gzip, deflate, br", "accept-language": "en-US,en;q=0.9" };
    const auth = { ...browser, cookie };
    // 200 pages x 4 sorts x 2 directions = 1,600 distinct lists, more than one run asks for.
    const SORTS = ["dueOn", "issuedOn", "number", "balance"];
    const uncached = (i: number) => `/invoices?sort=${SORTS[Math.floor(i / 200) % 4]}&dir=${Math.floor(i / 800) % 2 ? "asc" : "desc"}&page=${1 + (i % 200)}`;
    const pages: [string, string, Record<string, string>, ((i: number) => string)?][] = [
      ["bare page (/healthz)", `${base}/healthz`, browser],
      ["bare page (/login, rendered)", `${base}/login`, browser],
      ["signed-in page (/account)", `${base}/account`, auth],
      ["invoices, first page", `${base}/invoices`, auth],
      ["invoices, filtered + search", filtered, auth],
      ["invoices, new page+sort each request (never cached)", `${base}/invoices`, auth, uncached],
    ];
    console.log(`${kind}, account ${number} with ${count} invoices; ${CONNECTIONS} concurrent connections, ${SECONDS} s each, same server, same run:`);
    const rows = [];
    // BENCH_ONLY=<text> measures only the pages whose label contains it.
    const only = process.env.BENCH_ONLY;
    for (const [label, target, headers, pathFor] of pages) if (!only || label.includes(only)) rows.push(await measure(label, target, headers, pathFor));
    console.table(rows);
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    await dropDatabase();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  if (!fs.existsSync("build/server/index.js")) throw new Error("Run `npm run build` first.");
  console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}, Node ${process.version}`);
  for (const kind of DATABASES) if (kind === "pglite" || kind === "postgres") await run(kind);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
