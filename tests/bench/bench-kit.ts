/**
 * What the benchmarks share: a fresh database (embedded or a new PostgreSQL database)
 * with the demo data, an account of 10,000 invoices and, for the webhook figures, many
 * small accounts with checkouts waiting for Stripe; the server started as its own process
 * (tests/bench/bench-server.ts); autocannon runs with their percentiles.
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
import { useProductionSandboxSettings } from "../support/production-sandbox";

// The seed runs in this process under NODE_ENV=production, as the server does.
useProductionSandboxSettings();

export const INVOICES = 10_000;
export const PASSWORD = "Bench-Portal-2026";
export const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export type DatabaseKind = "pglite" | "postgres";

export function percentile(sorted: number[], p: number) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export type PageFigures = { page: string; requests: number; "req/s": number; "p50 ms": number; "p95 ms": number; "p99 ms": number; "non-200": number };

/**
 * `connections` concurrent GETs for `seconds` after a 2 s warm-up. `pathFor(i)`, when
 * given, makes request i ask for its own URL: pages that the page cache has never seen,
 * so every one is rendered from the database.
 */
export async function measure(
  label: string,
  url: string,
  headers: Record<string, string>,
  run: { connections: number; seconds: number },
  pathFor?: (i: number) => string,
): Promise<PageFigures> {
  let counter = 0;
  const requests = pathFor ? [{ setupRequest: (req: { path: string }) => ({ ...req, path: pathFor(counter++) }) }] : undefined;
  // A short warm-up so JIT and caches are in the state a running server is in.
  await autocannon({ url, connections: run.connections, duration: 2, headers, requests });
  const times: number[] = [];
  let non200 = 0;
  const instance = autocannon({ url, connections: run.connections, duration: run.seconds, headers, requests });
  instance.on("response", (_client, status, _bytes, ms) => {
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

const LIST_SORTS = ["dueOn", "issuedOn", "number", "balance"];
/**
 * Request i's invoice list, never asked before: 200 pages x 4 sorts x 2 directions make
 * 1,600 distinct lists; past those, `pass` (which the loader ignores) keeps each URL new.
 * A page found kept would be measured as a replay, not a render.
 */
export function neverAskedInvoiceList(i: number) {
  const pass = Math.floor(i / 1600);
  return `/invoices?sort=${LIST_SORTS[Math.floor(i / 200) % 4]}&dir=${Math.floor(i / 800) % 2 ? "asc" : "desc"}&page=${1 + (i % 200)}${pass ? `&pass=${pass}` : ""}`;
}

/** A fresh database of `kind` for `use`, dropped afterwards; null when PostgreSQL does not answer. */
export async function withFreshDatabase<T>(kind: DatabaseKind, use: (url: string, dir: string) => Promise<T>): Promise<T | null> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-bench-"));
  let url = `pglite:${path.join(dir, "db")}`;
  let drop = async () => {};
  if (kind === "postgres") {
    const name = `portal_bench_${crypto.randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    try {
      await admin.connect();
    } catch (error) {
      console.log(`\nPostgreSQL: skipped, nothing answers at ${POSTGRES_URL} (${(error as Error).message})`);
      fs.rmSync(dir, { recursive: true, force: true });
      return null;
    }
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const target = new URL(POSTGRES_URL);
    target.pathname = `/${name}`;
    url = target.toString();
    drop = async () => {
      const again = new pg.Client({ connectionString: POSTGRES_URL });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    };
  }
  try {
    return await use(url, dir);
  } finally {
    await drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A checkout waiting for Stripe: pays one invoice in full. */
export type PendingCheckout = { paymentId: string; sessionId: string; amountMinor: number; currency: string; invoiceId: string };

/**
 * Migrated and seeded, plus one account holding INVOICES invoices (its customer signs in
 * with `email`), and `checkouts` pending checkouts spread over small accounts of 20 open
 * invoices each, as many customers paying at once are.
 */
export async function prepare(url: string, checkouts = 0) {
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

  const pending: PendingCheckout[] = [];
  const PER_ACCOUNT = 20;
  for (let a = 0; a * PER_ACCOUNT < checkouts; a++) {
    const small = await db.account.create({
      data: {
        number: `${number}-W${a}`,
        legalName: `Webhook Customer ${a}`,
        taxId: "99-0000001",
        country: "US",
        currency: "USD",
        creditLimitMinor: 100_000_000n,
      },
    });
    const count = Math.min(PER_ACCOUNT, checkouts - a * PER_ACCOUNT);
    const invoices = Array.from({ length: count }, (_, k) => ({
      id: `inv_bench_${a}_${k}`,
      number: `${number.slice(4)}-W${a}-${k}`,
      accountId: small.id,
      currency: "USD",
      issuedOn: new Date(today - 40 * 86_400_000),
      dueOn: new Date(today - 10 * 86_400_000),
      totalMinor: BigInt(10_000 + k * 100),
      balanceMinor: BigInt(10_000 + k * 100),
      status: "OPEN" as const,
    }));
    await db.invoice.createMany({ data: invoices });
    const payments = invoices.map((inv, k) => ({
      paymentId: `pay_bench_${a}_${k}`,
      sessionId: `cs_bench_${a}_${k}`,
      amountMinor: Number(inv.totalMinor),
      currency: "USD",
      invoiceId: inv.id,
    }));
    await db.payment.createMany({
      data: payments.map((p) => ({
        id: p.paymentId,
        accountId: small.id,
        currency: p.currency,
        amountMinor: BigInt(p.amountMinor),
        status: "PENDING" as const,
        provider: "stripe",
        checkoutSessionId: p.sessionId,
        idempotencyKey: `bench-${p.paymentId}`,
        intendedAllocations: [{ invoiceId: p.invoiceId, amountMinor: p.amountMinor }],
      })),
    });
    pending.push(...payments);
  }
  // After a bulk load PostgreSQL's autovacuum (within a minute or so) refreshes the planner's
  // statistics and the visibility map that lets an index-only scan skip the table; the
  // measurement starts before it would. The portal does the same on embedded PGlite, which
  // has no autovacuum (embedded-upkeep.server.ts), also not within seconds. So: now, on both.
  await database.sql.exec("VACUUM (ANALYZE)");
  const count = await db.invoice.count({ where: { accountId: account.id } });
  await database.close();
  return { number, email, count, pending };
}

/** How many of the pending checkouts were applied, each exactly once, read after the server stopped. */
export async function appliedCheckouts(url: string, pending: PendingCheckout[]) {
  const database = await openDatabase(url);
  const db = database.prisma;
  try {
    const ids = pending.map((p) => p.paymentId);
    const [succeeded, allocations, processed, paidInvoices] = await Promise.all([
      db.payment.count({ where: { id: { in: ids }, status: "SUCCEEDED" } }),
      db.paymentAllocation.count({ where: { paymentId: { in: ids } } }),
      db.webhookEvent.count({ where: { eventId: { startsWith: "evt_bench_" }, processedAt: { not: null }, error: null } }),
      db.invoice.count({ where: { id: { in: pending.map((p) => p.invoiceId) }, status: "PAID", balanceMinor: 0n } }),
    ]);
    return { succeeded, allocations, processed, paidInvoices };
  } finally {
    await database.close();
  }
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

/** The server as its own process, so the load generator does not share its event loop. */
export async function startServer(env: Record<string, string>): Promise<{ base: string; child: ChildProcess; stop: () => Promise<void> }> {
  // BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of the server there.
  const profile = process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROFILE)}`] : [];
  const chosen = await freePort();
  const child = spawn(process.execPath, [...profile, "--import", "tsx", "tests/bench/bench-server.ts"], {
    env: {
      ...process.env,
      ...env,
      NODE_ENV: "production",
      PORT: String(chosen),
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      APP_URL: `http://127.0.0.1:${chosen}`,
      PAYMENTS_SANDBOX: "on",
      MAIL_OUTBOX: "on",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = "";
    child.stdout!.on("data", (chunk) => {
      buffer += chunk;
      const found = /READY (\d+)/.exec(buffer);
      if (found) resolve(Number(found[1]));
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  const stop = () => new Promise<void>((done) => (child.exitCode !== null ? done() : (child.once("exit", () => done()), child.kill("SIGTERM"))));
  process.on("exit", () => child.kill("SIGTERM"));
  return { base: `http://127.0.0.1:${port}`, child, stop };
}

/** Signs the bench customer in; the session cookie. */
export async function signIn(base: string, email: string) {
  const login = await fetch(`${base}/login`, { method: "POST", body: new URLSearchParams({ email, password: PASSWORD }), redirect: "manual" });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  if (login.status !== 302 || !cookie) throw new Error(`sign-in failed (${login.status})`);
  return cookie;
}
