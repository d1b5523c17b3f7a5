/**
 * Chat load benchmark (not a test): N customers + M reps over real sockets on
 * loopback, against (1) a bare Socket.IO relay and (2) the portal's chat on the embedded
 * database and (3) on PostgreSQL when one answers, in the same run on the same machine.
 * Prints delivery latency (customer send → rep receive) p50/p95/p99 and messages/s
 * side by side. The portal relays a message on receipt and confirms it once stored, so
 * it has two rows: when the rep sees the message (`conversation:incoming`, or the stored
 * copy if that came first) and when the stored copy with its seq reaches the rep
 * (`conversation:message`, the moment the sender's ack goes out too).
 *
 *   npm run load:chat                      # 1000 customers, 50 reps
 *   npm run load:chat -- --customers 200 --reps 10 --messages 3 --interval 5000
 *   LOAD_DATABASES=pglite npm run load:chat   # only one of pglite,postgres
 *   LOAD_CPU_PROFILE=/tmp/prof npm run load:chat   # V8 CPU profiles of the servers
 *   LOAD_PAUSE_DAMON=1 npm run load:chat   # as root: kdamond paused for the run
 *   npm run load:chat -- --rounds 5 --arrival 5   # five measurements on the same sockets, arriving over 5 s
 *   LOAD_JSON=/tmp/chat.json npm run load:chat   # also the figures as JSON (npm run bench reads them)
 *
 * Each server runs in its own child process (the portal's database is made by another
 * one beforehand); this process only drives clients. "server MB" is the server's resident
 * memory when the measurement ends.
 * Bounded: a fixed number of messages per customer and a hard time limit.
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { useProductionSandboxSettings } from "../support/production-sandbox";
import { keepChatOpenAllDay } from "../support/sockets";

const POSTGRES_URL = process.env.LOAD_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
// The embedded default and, when a server answers, PostgreSQL as production runs it.
const DATABASES = (process.env.LOAD_DATABASES ?? "pglite,postgres").split(",");

async function postgresAnswers() {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * DAMON, the kernel's memory access monitor, when it runs here (the VMs this project
 * runs on have one: it samples physical memory every 500 ms and pages out what it finds
 * cold). Each pass stalls a process for a time that grows with the process's resident
 * memory in 4 KiB pages: an idle Node process here, kdamond running, had 3 stalls over
 * 5 ms in 20 s at 100 MB, 23 at 400 MB, and one of 10–40 ms at every pass at 1.5 GB
 * (one in 20 s with kdamond paused; none with the 1.5 GB in transparent huge pages,
 * which V8's heap does not use). The bare relay runs in ~100 MB, the portal in 400–550
 * (the "server MB" column), so a pass costs the portal more. Measured on this machine:
 * with kdamond paused, the portal's p99 (rep sees it) was 1.1–1.4x the bare relay's on
 * PostgreSQL and 1.3x on PGlite; with it running, 2–3.6x and 2.8–3.1x. So the run says whether it was running, and as root
 * LOAD_PAUSE_DAMON=1 pauses it for the measurement (and turns it back on afterwards)
 * to measure the portal's own path.
 */
const DAMON_ADMIN = "/sys/kernel/mm/damon/admin/kdamonds";

function runningMonitors(): { state: string; sampleMs: number; actions: string[] }[] {
  try {
    return fs
      .readdirSync(DAMON_ADMIN)
      .filter((name) => /^\d+$/.test(name))
      .map((name) => path.join(DAMON_ADMIN, name))
      .filter((dir) => fs.readFileSync(path.join(dir, "state"), "utf8").trim() === "on")
      .map((dir) => {
        const context = path.join(dir, "contexts", "0");
        const read = (file: string) => fs.readFileSync(path.join(context, file), "utf8").trim();
        const schemes = Number(read("schemes/nr_schemes"));
        return {
          state: path.join(dir, "state"),
          sampleMs: Number(read("monitoring_attrs/intervals/sample_us")) / 1000,
          actions: Array.from({ length: schemes }, (_, i) => read(`schemes/${i}/action`)),
        };
      });
  } catch {
    return []; // no DAMON on this kernel, or not readable
  }
}

/** Pauses the running monitors until this process exits; what to print about them. */
function damonDuringRun(pause: boolean): string {
  const monitors = runningMonitors();
  if (!monitors.length) return "kdamond: not running";
  const what = monitors.map((m) => `samples every ${m.sampleMs} ms${m.actions.length ? `, ${m.actions.join("/")}` : ""}`).join("; ");
  if (!pause) return `kdamond: running (${what}); LOAD_PAUSE_DAMON=1 (as root) measures without it`;
  try {
    for (const m of monitors) fs.writeFileSync(m.state, "off");
  } catch (error) {
    return `kdamond: running (${what}); could not pause it: ${(error as Error).message}`;
  }
  process.on("exit", () => {
    for (const m of monitors) fs.writeFileSync(m.state, "on");
  });
  // Interrupted, it still turns them back on: a signal would otherwise end it without "exit".
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
  return `kdamond: paused for this run (${what}), turned back on at the end`;
}

type Options = { customers: number; reps: number; messages: number; interval: number; timeLimit: number; rounds: number; arrival: number };

function options(argv: string[]): Options {
  const get = (name: string, fallback: number) => {
    const i = argv.indexOf(`--${name}`);
    const v = i >= 0 ? Number(argv[i + 1]) : Number(process.env[`LOAD_${name.toUpperCase()}`] ?? fallback);
    if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
    return v;
  };
  return {
    customers: Math.min(get("customers", 1000), 5000),
    reps: Math.min(get("reps", 50), 500),
    messages: Math.min(get("messages", 5), 100),
    // Each customer sends one message every `interval` ms (with jitter): 1000 customers at 5 s ≈ 200 msg/s.
    interval: get("interval", 5000),
    timeLimit: Math.min(get("time-limit", 180), 900) * 1000,
    // Measurements on the same connections, one after another: the ratio is read from the median round.
    rounds: Math.min(get("rounds", 1), 20),
    // Seconds over which the sockets arrive (see connectAll); a short run may shorten it.
    arrival: Math.min(get("arrival", PING_INTERVAL_MS / 1000), 60),
  };
}

// ───────────────────────── server side (child processes) ─────────────────────────

async function serveBare() {
  const server = http.createServer();
  const io = new Server(server, { serveClient: false });
  io.on("connection", (socket) => {
    socket.on("join", (room: string) => void socket.join(room));
    socket.on("msg", (m: { to: string; body: string }, ack?: () => void) => {
      io.to(m.to).emit("msg", m);
      if (typeof ack === "function") ack();
    });
  });
  server.listen(0, "127.0.0.1", () => console.log(`READY ${JSON.stringify({ port: (server.address() as { port: number }).port })}`));
}

type PreparedDatabase = { databaseUrl: string; dir: string; sessionSecret: string };

/**
 * Makes the portal's database for a run: migrated, seeded, the load's reps and
 * customers with their sessions. In a process of its own, so that the server under test
 * starts as production starts it, on a database already there, without the seed's
 * garbage and caches in its heap (its footprint counts: see DAMON above).
 */
async function preparePortal(opts: Options, kind: "pglite" | "postgres") {
  // The test suite's template: migrated and seeded (under NODE_ENV=production, as the
  // server runs), on PGlite or on the server at LOAD_POSTGRES_URL.
  useProductionSandboxSettings();
  const { createTemplate } = await import("../support/databases");
  const databaseUrl = await createTemplate(kind, POSTGRES_URL);
  // Uploads and nothing else; the sessions are signed with the secret the serving process will check them with.
  const prepared: PreparedDatabase = {
    databaseUrl,
    dir: fs.mkdtempSync(path.join(os.tmpdir(), "portal-load-")),
    sessionSecret: crypto.randomBytes(32).toString("hex"),
  };
  try {
    const sessions = await addLoadUsers(opts, prepared);
    console.log(`PREPARED ${JSON.stringify({ ...prepared, ...sessions })}`);
  } catch (error) {
    await discardDatabase(prepared);
    throw error;
  }
}

/** The load's reps (with room for everyone) and customers, signed in. */
async function addLoadUsers(opts: Options, prepared: PreparedDatabase): Promise<{ reps: string[]; customers: string[] }> {
  const { openDatabase, setDatabase } = await import("../../app/utils/db.server");
  const { parseEnv, setEnv } = await import("../../app/utils/config.server");
  const { startSession } = await import("../../app/utils/session.server");
  setEnv(portalEnv(prepared, parseEnv));
  const database = await openDatabase(prepared.databaseUrl);
  setDatabase(database);
  try {
    const prisma = database.prisma;
    await keepChatOpenAllDay(prisma);
    await prisma.user.updateMany({ where: { role: { in: ["REP", "MANAGER"] } }, data: { presence: "OFFLINE" } });
    const perRep = Math.ceil(opts.customers / opts.reps) + 1;
    await prisma.user.createMany({
      data: Array.from({ length: opts.reps }, (_, i) => ({
        email: `load-rep-${i}@accounts.example`,
        name: `Load Rep ${i}`,
        passwordHash: "x",
        role: "REP" as const,
        staffLevel: "REP_I" as const,
        languages: ["en"],
        chatCapacity: perRep,
        chatCapacityChosenAt: new Date(),
      })),
    });
    // Customers spread over the seeded accounts.
    const accounts = await prisma.account.findMany({ select: { id: true } });
    await prisma.account.updateMany({ data: { ownerRepId: null } });
    await prisma.user.createMany({
      data: Array.from({ length: opts.customers }, (_, i) => ({
        email: `load-customer-${i}@example.com`,
        name: `Customer ${i}`,
        passwordHash: "x",
        role: "CUSTOMER" as const,
        accountId: accounts[i % accounts.length].id,
        preferredLanguage: "en",
      })),
    });
    const cookieFor = async (email: string) => {
      const user = await prisma.user.findUniqueOrThrow({ where: { email } });
      return (await startSession(user.id, "load")).split(";")[0];
    };
    const reps = [];
    for (let i = 0; i < opts.reps; i++) reps.push(await cookieFor(`load-rep-${i}@accounts.example`));
    const customers = [];
    for (let i = 0; i < opts.customers; i++) customers.push(await cookieFor(`load-customer-${i}@example.com`));
    return { reps, customers };
  } finally {
    await database.close();
  }
}

function portalEnv(prepared: PreparedDatabase, parseEnv: typeof import("../../app/utils/config.server").parseEnv) {
  // Production mode, with the demo conveniences switched on as the README's demo start does.
  return parseEnv({
    NODE_ENV: "production",
    APP_URL: "http://127.0.0.1",
    PAYMENTS_SANDBOX: "on",
    MAIL_OUTBOX: "on",
    DATABASE_URL: prepared.databaseUrl,
    UPLOAD_DIR: path.join(prepared.dir, "uploads"),
    SESSION_SECRET: prepared.sessionSecret,
    LOG_LEVEL: "silent",
  });
}

async function discardDatabase({ databaseUrl, dir }: PreparedDatabase) {
  fs.rmSync(dir, { recursive: true, force: true });
  const { dropTemplate } = await import("../support/databases");
  await dropTemplate(databaseUrl, POSTGRES_URL);
}

/** Serves the portal on a prepared database, and discards the database when told to stop. */
async function servePortal(prepared: PreparedDatabase) {
  const { openDatabase } = await import("../../app/utils/db.server");
  const { createPortalServer } = await import("../../server/app");
  const { parseEnv } = await import("../../app/utils/config.server");
  const env = portalEnv(prepared, parseEnv);
  const database = await openDatabase(env.DATABASE_URL);
  const server = await createPortalServer({ env, mode: "production", database });
  const { port } = await server.listen(0, "127.0.0.1");
  process.removeAllListeners("SIGTERM");
  process.on("SIGTERM", () => {
    void (async () => {
      await server.close();
      await database.close();
      await discardDatabase(prepared);
    })().finally(() => process.exit(0));
  });
  console.log(`READY ${JSON.stringify({ port })}`);
}

// ───────────────────────── client side ─────────────────────────

type Latencies = { received: number; latencies: number[] };
/** `seen`: when the rep first has the message; `stored`: when its stored copy arrives (portal only). */
type Result = {
  name: string;
  sent: number;
  seconds: number;
  setupSeconds: number;
  seen: Latencies;
  stored?: Latencies;
  serverMb?: number;
  /** p50/p99 of each round when there were several (`--rounds`); the totals above pool them. */
  rounds?: { seen: [number, number]; stored?: [number, number] }[];
};
type OnBody = (body: string) => void;

type Child = { ready: Any; pid: number; stop: () => Promise<void> };

/** Starts `node chat-load.ts <args>` and resolves with the JSON of its `<marker> {...}` line. */
function startChild(args: string[], marker: "READY" | "PREPARED", env: NodeJS.ProcessEnv = {}): Promise<Child> {
  // LOAD_CPU_PROFILE=<dir> writes a V8 CPU profile of each server process there.
  const profile = process.env.LOAD_CPU_PROFILE && marker === "READY" ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.LOAD_CPU_PROFILE)}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", path.resolve("tests/load/chat-load.ts"), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...env, NODE_ENV: "production" },
  });
  return new Promise((resolve, reject) => {
    let buffer = "";
    child.stdout!.on("data", (chunk) => {
      buffer += chunk;
      // Only a complete line: the PREPARED line (all the session cookies) spans many chunks.
      const start = buffer.indexOf(`${marker} `);
      const end = start >= 0 ? buffer.indexOf("\n", start) : -1;
      if (end > start)
        resolve({
          ready: JSON.parse(buffer.slice(start + marker.length + 1, end)),
          pid: child.pid!,
          // Resolves once the child has cleaned up (closed, dropped its database).
          stop: () => new Promise<void>((done) => (child.exitCode !== null ? done() : (child.once("exit", () => done()), child.kill("SIGTERM")))),
        });
    });
    child.once("exit", (code) => code !== 0 && reject(new Error(`${args.join(" ")} exited with ${code}`)));
    // Never leave a child behind, whatever happens to this process.
    process.on("exit", () => child.kill("SIGTERM"));
  });
}

/** The portal on a database prepared by another process (see preparePortal). */
async function startPortal(kind: "pglite" | "postgres", opts: Options): Promise<Child> {
  const prepared = await startChild(["--prepare", kind, "--customers", String(opts.customers), "--reps", String(opts.reps)], "PREPARED");
  await prepared.stop();
  const { reps, customers, ...database } = prepared.ready;
  const server = await startChild(["--serve", kind], "READY", { LOAD_PREPARED: JSON.stringify(database) }).catch(async (error) => {
    await discardDatabase(database);
    throw error;
  });
  return { ...server, ready: { ...server.ready, reps, customers } };
}

/** Resident memory of a server process, in MB (Linux), when the measurement ends. */
function residentMb(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

type Any = any;

// engine.io's default: the server pings each socket this often, counted from its handshake.
const PING_INTERVAL_MS = 25_000;

/**
 * Sockets arrive one at a time at a steady rate, as users do, spread over one ping
 * interval. The server pings every socket every 25 s from its handshake, so sockets
 * opened in bursts are pinged in bursts, in the middle of the measurement and at
 * different moments for each server under test. Real arrivals spread the pings out.
 */
async function connectAll(url: string, cookies: (string | null)[], opts: Options): Promise<Socket[]> {
  const gapMs = (opts.arrival * 1000) / (opts.customers + opts.reps);
  const started = performance.now();
  return Promise.all(
    cookies.map(async (cookie, i) => {
      const wait = started + i * gapMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return new Promise<Socket>((resolve, reject) => {
        const s = connect(url, { transports: ["websocket"], reconnection: false, extraHeaders: cookie ? { Cookie: cookie } : {} });
        s.once("connect", () => resolve(s));
        s.once("connect_error", reject);
      });
    }),
  );
}

function percentile(sorted: number[], p: number) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function drive(
  name: string,
  opts: Options,
  customers: Socket[],
  reps: Socket[],
  send: (customer: Socket, index: number, body: string) => void,
  listen: (rep: Socket, seen: OnBody, stored: OnBody) => void,
  setupSeconds: number,
  storedToo = false,
): Promise<Result> {
  const total = customers.length * opts.messages;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const seen: Latencies = { received: 0, latencies: [] };
  const stored: Latencies = { received: 0, latencies: [] };
  const complete = () => seen.received >= total && (!storedToo || stored.received >= total);
  // A body counts once per measure, whoever else watching the conversation also gets it.
  const measure = (into: Latencies) => {
    const bodies = new Set<string>();
    return (body: string) => {
      if (bodies.has(body)) return;
      bodies.add(body);
      into.latencies.push(performance.now() - Number(body.slice(body.indexOf("@") + 1)));
      into.received++;
      if (complete()) done();
    };
  };
  const onSeen = measure(seen);
  const onStored = measure(stored);
  for (const rep of reps) {
    listen(rep, onSeen, (body) => {
      // The rep sees a message at the first copy that arrives, whichever it is.
      onSeen(body);
      onStored(body);
    });
  }
  let sent = 0;
  const started = performance.now();
  const timers: NodeJS.Timeout[] = [];
  customers.forEach((customer, i) => {
    for (let k = 0; k < opts.messages; k++) {
      const at = k * opts.interval + Math.random() * opts.interval;
      timers.push(
        setTimeout(() => {
          sent++;
          send(customer, i, `m${i}-${k}@${performance.now()}`);
        }, at),
      );
    }
  });
  const limit = setTimeout(done, opts.timeLimit);
  await finished;
  clearTimeout(limit);
  for (const t of timers) clearTimeout(t);
  const seconds = (performance.now() - started) / 1000;
  for (const measured of [seen, stored]) measured.latencies.sort((a, b) => a - b);
  return { name, sent, seconds, setupSeconds, seen, ...(storedToo ? { stored } : {}) };
}

/**
 * `drive` `opts.rounds` times on the same connections (the rep listeners of a round are
 * removed before the next), pooled into one result that also keeps each round's p50/p99.
 */
async function driveRounds(repEvents: string[], ...args: Parameters<typeof drive>): Promise<Result> {
  const [name, opts, , reps, , , setupSeconds, storedToo] = args;
  const results: Result[] = [];
  for (let round = 0; round < opts.rounds; round++) {
    const result = await drive(...args);
    results.push(result);
    for (const rep of reps) for (const event of repEvents) rep.off(event);
    if (opts.rounds > 1)
      console.log(`${name}, round ${round + 1}: ${result.seen.received}/${result.sent} delivered, p99 ${percentile(result.seen.latencies, 99).toFixed(2)} ms`);
  }
  if (results.length === 1) return results[0];
  const pool = (pick: (r: Result) => Latencies | undefined): Latencies => ({
    received: results.reduce((n, r) => n + (pick(r)?.received ?? 0), 0),
    latencies: results.flatMap((r) => pick(r)?.latencies ?? []).sort((a, b) => a - b),
  });
  const p = (m: Latencies): [number, number] => [percentile(m.latencies, 50), percentile(m.latencies, 99)];
  return {
    name,
    sent: results.reduce((n, r) => n + r.sent, 0),
    seconds: results.reduce((n, r) => n + r.seconds, 0),
    setupSeconds,
    seen: pool((r) => r.seen),
    ...(storedToo ? { stored: pool((r) => r.stored) } : {}),
    rounds: results.map((r) => ({ seen: p(r.seen), ...(r.stored ? { stored: p(r.stored) } : {}) })),
  };
}

async function runBare(opts: Options): Promise<Result> {
  const child = await startChild(["--serve", "bare"], "READY");
  const t0 = performance.now();
  try {
    const url = `http://127.0.0.1:${child.ready.port}`;
    const reps = await connectAll(
      url,
      Array.from({ length: opts.reps }, () => null),
      opts,
    );
    reps.forEach((r, i) => r.emit("join", `rep:${i}`));
    const customers = await connectAll(
      url,
      Array.from({ length: opts.customers }, () => null),
      opts,
    );
    const result = await driveRounds(
      ["msg"],
      "bare Socket.IO relay",
      opts,
      customers,
      reps,
      (c, i, body) => c.emit("msg", { to: `rep:${i % opts.reps}`, body }),
      (rep, seen) => rep.on("msg", (m: { body: string }) => seen(m.body)),
      (performance.now() - t0) / 1000,
    );
    for (const s of [...customers, ...reps]) s.disconnect();
    return { ...result, serverMb: residentMb(child.pid) };
  } finally {
    await child.stop();
  }
}

async function runPortal(opts: Options, kind: "pglite" | "postgres"): Promise<Result> {
  const child = await startPortal(kind, opts);
  const t0 = performance.now();
  try {
    const url = `http://127.0.0.1:${child.ready.port}`;
    const reps = await connectAll(url, child.ready.reps, opts);
    for (const rep of reps) {
      const reply: Any = await rep.emitWithAck("console:settings", { presence: "ONLINE" });
      if (!reply.data) throw new Error(`rep settings failed: ${JSON.stringify(reply)}`);
      // Join each assigned conversation, as the console does.
      rep.on("console:assigned", ({ conversationId }: { conversationId: string }) => rep.emit("console:join", { conversationId }, () => undefined));
    }
    const customers = await connectAll(url, child.ready.customers, opts);
    const conversationIds: string[] = [];
    for (let i = 0; i < customers.length; i += 25) {
      const opened = await Promise.all(
        customers.slice(i, i + 25).map(async (c) => {
          // Opened together, a chat may wait a moment behind the ones just ahead of it.
          const assigned = new Promise<void>((resolve) => c.on("conversation:status", (s: { state: string }) => s.state === "assigned" && resolve()));
          const r: Any = await c.emitWithAck("conversation:open", { topic: "OTHER" });
          if (!r.data) throw new Error(`chat not opened: ${JSON.stringify(r)}`);
          if (r.data.status.state !== "assigned") {
            const late = await Promise.race([assigned.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 30_000))]);
            if (!late) throw new Error(`chat not assigned within 30 s: ${JSON.stringify(r.data.status)}`);
          }
          return r.data.conversation.id as string;
        }),
      );
      conversationIds.push(...opened);
    }
    // Every rep joins its conversations and greets each customer, as a rep at the console
    // does: an unanswered chat would (rightly) move to another rep after
    // chat.unansweredReassignSeconds, in the middle of the measurement.
    let greeting = 0;
    await Promise.all(
      reps.map(async (rep) => {
        const inbox: Any = await rep.emitWithAck("console:inbox");
        for (const c of inbox.data.mine as { id: string }[]) {
          await rep.emitWithAck("console:join", { conversationId: c.id });
          const reply: Any = await rep.emitWithAck("console:send", {
            conversationId: c.id,
            clientMessageId: `greeting-${greeting++}`,
            body: "Hello, how can I help?",
          });
          if (!reply.data) throw new Error(`greeting failed: ${JSON.stringify(reply)}`);
        }
      }),
    );
    let counter = 0;
    const result = await driveRounds(
      ["conversation:incoming", "conversation:message"],
      `portal chat (${kind === "pglite" ? "PGlite" : "PostgreSQL"}, one process)`,
      opts,
      customers,
      reps,
      (c, i, body) => c.emit("conversation:send", { conversationId: conversationIds[i], clientMessageId: `load-${counter++}`, body }, () => undefined),
      (rep, seen, stored) => {
        rep.on("conversation:incoming", (m: { authorKind: string; body: string }) => m.authorKind === "CUSTOMER" && seen(m.body));
        rep.on("conversation:message", (m: { authorKind: string; body: string }) => m.authorKind === "CUSTOMER" && stored(m.body));
      },
      (performance.now() - t0) / 1000,
      true,
    );
    for (const s of [...customers, ...reps]) s.disconnect();
    return { ...result, serverMb: residentMb(child.pid) };
  } finally {
    await child.stop();
  }
}

function print(opts: Options, results: Result[], damon: string) {
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(40) : c.padStart(10))).join(" ");
  const megabytes = (r: Result) => (r.serverMb === undefined ? "?" : r.serverMb.toFixed(0));
  const measured = (label: string, r: Result, m: Latencies, setup: string, memory: string) =>
    console.log(
      row([
        label,
        String(r.sent),
        String(m.received),
        (m.received / r.seconds).toFixed(1),
        percentile(m.latencies, 50).toFixed(2),
        percentile(m.latencies, 95).toFixed(2),
        percentile(m.latencies, 99).toFixed(2),
        setup,
        memory,
      ]),
    );
  console.log(
    `\n${opts.customers} customers + ${opts.reps} reps, ${opts.messages} messages per customer, one every ~${opts.interval} ms (loopback, ${os.cpus().length} cores)`,
  );
  console.log(`${damon}\n`);
  console.log(row(["", "sent", "delivered", "msg/s", "p50 ms", "p95 ms", "p99 ms", "setup s", "server MB"]));
  for (const r of results) {
    if (!r.stored) {
      measured(r.name, r, r.seen, r.setupSeconds.toFixed(1), megabytes(r));
      continue;
    }
    console.log(row([r.name, "", "", "", "", "", "", r.setupSeconds.toFixed(1), megabytes(r)]));
    measured("  rep sees it (incoming)", r, r.seen, "", "");
    measured("  stored, at the rep (message)", r, r.stored, "", "");
  }
  const [bare, ...portals] = results;
  const ratio = (m: Latencies) => (percentile(m.latencies, 99) / percentile(bare.seen.latencies, 99)).toFixed(2);
  for (const portal of portals) {
    console.log(`\n${portal.name}: rep sees p99 / bare relay p99 = ${ratio(portal.seen)}x`);
    if (portal.stored) console.log(`${portal.name}: stored at rep p99 / bare relay p99 = ${ratio(portal.stored)}x`);
  }
  if (opts.rounds > 1) {
    console.log(`\np99 of each of ${opts.rounds} rounds (ms), and the median:`);
    for (const r of results) {
      const p99s = (r.rounds ?? []).map((round) => round.seen[1]);
      console.log(row([r.name, ...p99s.map((v) => v.toFixed(2)), `median ${median(p99s).toFixed(2)}`]));
    }
  }
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** What `npm run bench` reads back (LOAD_JSON=<file>): each server's pooled and per-round p50/p99. */
function writeJson(file: string, results: Result[]) {
  const p = (m: Latencies) => ({ received: m.received, p50: percentile(m.latencies, 50), p99: percentile(m.latencies, 99) });
  const summary = results.map((r) => ({
    name: r.name,
    sent: r.sent,
    seen: p(r.seen),
    ...(r.stored ? { stored: p(r.stored) } : {}),
    rounds: r.rounds ?? [{ seen: [percentile(r.seen.latencies, 50), percentile(r.seen.latencies, 99)] }],
  }));
  fs.writeFileSync(file, JSON.stringify(summary, null, 2));
}

async function main() {
  const argv = process.argv.slice(2);
  const opts = options(argv);
  const prepare = argv.indexOf("--prepare");
  if (prepare >= 0) {
    await preparePortal(opts, argv[prepare + 1] === "postgres" ? "postgres" : "pglite");
    process.exit(0);
  }
  const serve = argv.indexOf("--serve");
  if (serve >= 0) {
    // A normal exit, so that a --cpu-prof profile gets written.
    process.on("SIGTERM", () => process.exit(0));
    if (argv[serve + 1] === "bare") return serveBare();
    return servePortal(JSON.parse(process.env.LOAD_PREPARED ?? "{}"));
  }
  const damon = damonDuringRun(process.env.LOAD_PAUSE_DAMON === "1");
  const results = [await runBare(opts)];
  for (const kind of DATABASES) {
    if (kind === "postgres" && !(await postgresAnswers())) {
      console.log(`PostgreSQL: skipped, nothing answers at ${POSTGRES_URL}`);
      continue;
    }
    if (kind === "pglite" || kind === "postgres") results.push(await runPortal(opts, kind));
  }
  print(opts, results, damon);
  if (process.env.LOAD_JSON) writeJson(process.env.LOAD_JSON, results);
  process.exit(0);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
