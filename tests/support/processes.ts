/**
 * Real server processes (`tsx server/index.ts`, production build) for the tests of the
 * production shape: several processes on one PostgreSQL database and one Redis, each
 * stoppable (SIGTERM), killable (SIGKILL) and restartable on its own port. The output of
 * each process is kept, so a test can read its log lines.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createClient } from "redis";
import { POSTGRES_ADMIN_URL } from "./databases";
import { REDIS_URL } from "./services";

/** Why PostgreSQL or Redis cannot be used here, or null when both answer. */
export async function postgresAndRedisUnreachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    return `PostgreSQL unreachable at ${POSTGRES_ADMIN_URL}: ${(error as Error).message}`;
  }
  const redis = createClient({ url: REDIS_URL, socket: { connectTimeout: 3000, reconnectStrategy: false } });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    await redis.quit();
  } catch (error) {
    return `Redis unreachable at ${REDIS_URL}: ${(error as Error).message}`;
  }
  return null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export type ServerProcess = {
  url: string;
  port: number;
  /** Everything the process wrote to stdout and stderr so far (all its lives). */
  output(): string;
  /** SIGTERM, and resolves with the exit code once the process has exited. */
  stop(): Promise<number | null>;
  /** SIGKILL: no shutdown at all, as a crash or an OOM kill. */
  kill(): Promise<void>;
  /** Starts the process again on the same port, with the same settings. */
  restart(): Promise<void>;
  running(): boolean;
};

/** Settings every process of one deployment shares: database, Redis prefix, session secret, upload folder. */
export function sharedSettings(databaseUrl: string, extra: Record<string, string> = {}) {
  const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-processes-"));
  return {
    env: {
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      // Redis outlives test runs: each run counts and streams under its own prefix.
      REDIS_KEY_PREFIX: `test-${crypto.randomBytes(4).toString("hex")}:`,
      SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
      UPLOAD_DIR: uploadDir,
      LOG_LEVEL: "silent",
      ...extra,
    },
    dispose: () => fs.rmSync(uploadDir, { recursive: true, force: true }),
  };
}

const started: ServerProcess[] = [];

/**
 * One portal process on a port of its own (`APP_URL` is that port), ready when its
 * /healthz answers. Two minutes to start: on a machine shared with other work, tsx and
 * the build take a while to load.
 */
export async function startServerProcess(env: Record<string, string>, options: { port?: number } = {}): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess;
  let output = "";

  async function launch() {
    // tsx's loader in the server's own process, not tsx's CLI: the CLI runs the server as a
    // child of its own, which a SIGKILL to the CLI would leave running.
    child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        PAYMENTS_SANDBOX: "on",
        MAIL_OUTBOX: "on",
        ...env,
        PORT: String(port),
        HOST: "127.0.0.1",
        APP_URL: url,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    for (let i = 0; i < 1200; i++) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited: ${output}`);
      try {
        if ((await fetch(`${url}/healthz`)).ok) return;
      } catch {
        // not yet listening
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not start: ${output}`);
  }

  const exited = () =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve(child.exitCode)
      : new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  await launch();
  const handle: ServerProcess = {
    url,
    port,
    output: () => output,
    running: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      const done = exited();
      if (handle.running()) child.kill("SIGTERM");
      return done;
    },
    async kill() {
      const done = exited();
      if (handle.running()) child.kill("SIGKILL");
      await done;
    },
    restart: launch,
  };
  started.push(handle);
  return handle;
}

/** Stops every process this test file started (for afterAll). */
export async function stopServerProcesses(): Promise<void> {
  await Promise.all(started.splice(0).map((p) => p.stop()));
}
