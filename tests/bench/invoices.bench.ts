/**
 * Benchmark: the first page of the invoice list for an account with 10,000 invoices,
 * 50 concurrent requests, next to bare pages served by the same server in the same
 * run. For each database (embedded PGlite, and PostgreSQL when one answers at
 * BENCH_POSTGRES_URL) it makes its own fresh data, starts the real production server
 * as its own process (tests/bench/bench-server.ts: the app `npm start` serves) so the load
 * generator does not share the server's event loop, drives it with autocannon and
 * prints p50/p95/p99.
 *
 *   npm run build && npm run bench:invoices      (BENCH_SECONDS=10, BENCH_CONNECTIONS=50)
 *   BENCH_DATABASES=pglite npm run bench:invoices   (only one of pglite,postgres)
 *   BENCH_ONLY=invoices BENCH_CPU_PROFILE=/tmp/prof npm run bench:invoices   (some pages, profiled)
 * `npm run bench` is the one table with every figure and its baseline; this one has more pages.
 */
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import fs from "node:fs";
import { INVOICES, measure, neverAskedInvoiceList, prepare, signIn, startServer, withFreshDatabase, type DatabaseKind } from "./bench-kit";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const DATABASES = (process.env.BENCH_DATABASES ?? "pglite,postgres").split(",");

async function run(kind: DatabaseKind) {
  await withFreshDatabase(kind, async (url, tmp) => {
    console.log(`\n${kind}: migrating, seeding, loading ${INVOICES} invoices…`);
    const { number, email, count } = await prepare(url);
    const server = await startServer({
      DATABASE_URL: url,
      UPLOAD_DIR: path.join(tmp, "uploads"),
      SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
    });
    const base = server.base;
    try {
      const cookie = await signIn(base, email);
      const filtered = `${base}/invoices?status=open&currency=USD&from=2025-01-01&q=PO-${number.slice(4)}-71&sort=balance&dir=desc`;
      for (const url of [`${base}/invoices`, filtered]) {
        const check = await fetch(url, { headers: { cookie } });
        const html = await check.text();
        if (check.status !== 200 || !html.includes(number.slice(4))) throw new Error(`invoice list answered ${check.status} without the account's invoices`);
      }
      // What a browser sends: the cached pages answer in the encoding it accepts.
      const browser = { "accept-encoding": "gzip, deflate, br", "accept-language": "en-US,en;q=0.9" };
      const auth = { ...browser, cookie };
      const pages: [string, string, Record<string, string>, ((i: number) => string)?][] = [
        ["bare page (/healthz)", `${base}/healthz`, browser],
        ["bare page (/login, rendered)", `${base}/login`, browser],
        ["signed-in page (/account)", `${base}/account`, auth],
        ["invoices, first page", `${base}/invoices`, auth],
        ["invoices, filtered + search", filtered, auth],
        ["invoices, new page+sort each request (never cached)", `${base}/invoices`, auth, neverAskedInvoiceList],
      ];
      console.log(`${kind}, account ${number} with ${count} invoices; ${CONNECTIONS} concurrent connections, ${SECONDS} s each, same server, same run:`);
      const rows = [];
      // BENCH_ONLY=<text> measures only the pages whose label contains it.
      const only = process.env.BENCH_ONLY;
      for (const [label, target, headers, pathFor] of pages)
        if (!only || label.includes(only)) rows.push(await measure(label, target, headers, { connections: CONNECTIONS, seconds: SECONDS }, pathFor));
      console.table(rows);
    } finally {
      await server.stop();
    }
  });
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
