/**
 * `npm run bench:cpu` (after `npm run build`): the server's CPU per request, by thread,
 * for the pages `npm run bench` compares — the login page (the bare page), and the
 * account home and invoice list never cached — on the embedded database and on
 * PostgreSQL (BENCH_POSTGRES_URL). Throughput on a 2-core machine moves with whatever
 * else runs; CPU per request moves much less, and says where a page's time goes:
 *
 * - main: the event loop (Express, React Router, React, loaders, the page cache);
 * - other threads: V8's collector, compression (libuv's pool) and, on PGlite, the
 *   embedded database's own thread;
 * - PostgreSQL: the server's processes (all of them, from /proc), on PostgreSQL only.
 *
 * The pages take turns in short slices, BENCH_ROUNDS (12) rounds of BENCH_SECONDS (2) s each
 * over BENCH_CONNECTIONS (20) connections, so a host that speeds up or slows down during the
 * run (a shared VM does) moves every page alike; CPU is read from /proc around each slice.
 * Linux only. BENCH_DATABASES=pglite|postgres.
 */
import crypto from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { neverAskedInvoiceList, percentile, prepare, signIn, startServer, withFreshDatabase, type DatabaseKind } from "./bench-kit";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const DATABASES = (process.env.BENCH_DATABASES ?? "pglite,postgres").split(",").filter((d): d is DatabaseKind => d === "pglite" || d === "postgres");
const TICK_MS = 1000 / Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim() || 100);

/** utime + stime of one /proc stat line, in ms. */
function cpuOf(statFile: string): number {
  try {
    const stat = fs.readFileSync(statFile, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0; // a thread or process that ended between listing and reading
  }
}

function serverCpu(pid: number) {
  let other = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) if (Number(tid) !== pid) other += cpuOf(`/proc/${pid}/task/${tid}/stat`);
  return { main: cpuOf(`/proc/${pid}/task/${pid}/stat`), other };
}

function postgresCpu() {
  let total = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim().startsWith("postgres")) total += cpuOf(`/proc/${entry}/stat`);
    } catch {
      // gone
    }
  }
  return total;
}

type Totals = { requests: number; failed: number; main: number; other: number; postgres: number; perSecond: number[] };

async function run(kind: DatabaseKind) {
  await withFreshDatabase(kind, async (url, dir) => {
    const { email } = await prepare(url);
    const server = await startServer({ DATABASE_URL: url, UPLOAD_DIR: path.join(dir, "uploads"), SESSION_SECRET: crypto.randomBytes(32).toString("hex") });
    const pid = server.child.pid!;
    try {
      const cookie = await signIn(server.base, email);
      const browser = { "accept-encoding": "gzip, deflate, br", "accept-language": "en-US,en;q=0.9" };
      const pages = [
        { name: "login page (bare)", headers: browser, path: () => "/login" },
        { name: "account home, never cached", headers: { ...browser, cookie }, path: (i: number, round: number) => `/account?bench=${i}&round=${round}` },
        {
          name: "invoice list, never cached",
          headers: { ...browser, cookie },
          path: (i: number, round: number) => `${neverAskedInvoiceList(i)}&round=${round}`,
        },
      ];
      const totals = new Map<string, Totals>(pages.map((p) => [p.name, { requests: 0, failed: 0, main: 0, other: 0, postgres: 0, perSecond: [] }]));
      for (let round = 1; round <= ROUNDS; round++) {
        for (const page of pages) {
          let next = 0;
          const options = {
            url: server.base,
            connections: CONNECTIONS,
            headers: page.headers,
            requests: [{ setupRequest: (req: { path: string }) => ({ ...req, path: page.path(next++, round) }) }],
          };
          // Warmed up once: the first slice of each page compiles its code paths.
          if (round === 1) await autocannon({ ...options, duration: 1 });
          const before = { ...serverCpu(pid), postgres: kind === "postgres" ? postgresCpu() : 0 };
          const result = await autocannon({ ...options, duration: SECONDS });
          const after = { ...serverCpu(pid), postgres: kind === "postgres" ? postgresCpu() : 0 };
          const sum = totals.get(page.name)!;
          sum.requests += result.requests.total;
          sum.main += after.main - before.main;
          sum.other += after.other - before.other;
          sum.postgres += after.postgres - before.postgres;
          sum.perSecond.push(Math.round(result.requests.average));
          sum.failed += result.non2xx + result.errors;
        }
      }
      const perRequest = (ms: number, requests: number) => (requests ? (ms / requests).toFixed(2) : "—");
      console.log(`\n${kind}: CPU ms per request (pages in turn, ${ROUNDS} slices of ${SECONDS} s each, ${CONNECTIONS} connections)`);
      console.table(
        [...totals].map(([page, t]) => ({
          page,
          requests: t.requests,
          "not 2xx": t.failed,
          "req/s (median, range)": `${percentile(
            [...t.perSecond].sort((a, b) => a - b),
            50,
          )} (${Math.min(...t.perSecond)}–${Math.max(...t.perSecond)})`,
          main: perRequest(t.main, t.requests),
          "other threads": perRequest(t.other, t.requests),
          ...(kind === "postgres" ? { PostgreSQL: perRequest(t.postgres, t.requests) } : {}),
          total: perRequest(t.main + t.other + t.postgres, t.requests),
        })),
      );
    } finally {
      await server.stop();
    }
  });
}

async function main() {
  if (!fs.existsSync("build/server/index.js")) throw new Error("Run `npm run build` first.");
  if (!fs.existsSync("/proc/self/task")) throw new Error("bench:cpu reads /proc: Linux only.");
  console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}`);
  for (const kind of DATABASES) await run(kind);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
