import fs from "node:fs";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client";
import { PGliteThread } from "./pglite-thread.server";
import { lockEmbeddedFolder } from "./embedded-folder-lock.server";
import { log } from "./logger.server";

export type { PrismaClient };

/**
 * One database per process. The same URL picks the driver everywhere: `pglite:<dir>`
 * (or `pglite:memory`) runs PostgreSQL inside the process, on a thread of its own;
 * `postgres://…` talks to a server. `sql` runs plain SQL on the same connection(s) — the
 * migration runner needs multi-statement scripts, which Prisma's parameterised raw
 * queries refuse.
 */
export type Database = {
  kind: "pglite" | "postgres";
  prisma: PrismaClient;
  sql: {
    exec(script: string): Promise<void>;
    /**
     * `name` makes it a prepared statement (parsed and planned once per connection), for
     * the hottest fixed-shape statements. Its parameters must then be scalars.
     */
    query<Row = Record<string, unknown>>(text: string, params?: unknown[], name?: string): Promise<Row[]>;
  };
  close(): Promise<void>;
};

export async function openDatabase(url: string): Promise<Database> {
  if (url.startsWith("pglite:")) {
    const location = url.slice("pglite:".length);
    let dataDir: string | undefined;
    if (location !== "memory" && location !== "") {
      dataDir = path.resolve(location);
      fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    }
    const release = dataDir ? lockEmbeddedFolder(dataDir) : () => {};
    let thread: PGliteThread;
    try {
      thread = await PGliteThread.start(dataDir);
    } catch (error) {
      release();
      throw error;
    }
    const prisma = new PrismaClient({ adapter: thread.prismaAdapter() });
    const query = <Row>(text: string, params: unknown[] = []) => thread.request<Row[]>("query", { text, params });
    const exec = (script: string) => thread.request<void>("exec", { script });
    const prepared = new Map<string, Promise<void>>();
    return {
      kind: "pglite",
      prisma,
      sql: {
        exec,
        query: async <Row>(text: string, params: unknown[] = [], name?: string) => {
          const literals = name ? params.map(sqlLiteral) : [];
          if (!name || literals.includes(undefined)) return query<Row>(text, params);
          // PGlite's query() parses and plans every statement anew, and planning looks at
          // every table's files: most of a short query's cost. Its protocol has no named
          // statements, so the statement is PREPAREd once (the embedded database is one
          // connection) and EXECUTEd with its values as quoted literals.
          // Kept as a promise: two first uses at once must not both PREPARE it.
          let preparing = prepared.get(name);
          if (!preparing) {
            preparing = exec(`PREPARE ${quoteIdentifier(name)} AS ${text}`);
            prepared.set(name, preparing);
            preparing.catch(() => prepared.delete(name));
          }
          await preparing;
          return query<Row>(`EXECUTE ${quoteIdentifier(name)}${literals.length ? `(${literals.join(", ")})` : ""}`);
        },
      },
      close: async () => {
        try {
          await prisma.$disconnect();
          await thread.close();
        } finally {
          release();
        }
      },
    };
  }
  // Plain SQL also serves the per-request session check of the page cache, so it gets a few connections.
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle connection the server closes (restart, failover, a dropped database) must not
  // crash the process: the pool discards it and opens a new one on the next query.
  pool.on("error", (error) => log().warn({ err: error }, "idle database connection closed"));
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) });
  return {
    kind: "postgres",
    prisma,
    sql: {
      exec: async (script) => void (await pool.query(script)),
      query: async (text, params, name) => (await pool.query(name ? { name, text, values: params as any[] } : { text, values: params as any[] })).rows,
    },
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

// Connection-level failures: refused, reset, timed out, or the server shutting down (SQLSTATE class 08, 57P0x; Prisma P1001/P1017).
const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "P1001", "P1017", "57P01", "57P02", "57P03"]);
const UNAVAILABLE_MESSAGE =
  /connection terminated|connect ECONNREFUSED|can't reach database|server closed the connection|connection (is )?closed|timeout exceeded when trying to connect/i;

/** Whether `error` (or what caused it) says the database could not be reached, rather than that a query was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message, originalCode } = e as { code?: unknown; message?: unknown; originalCode?: unknown };
    for (const c of [code, originalCode]) if (typeof c === "string" && (UNAVAILABLE_CODES.has(c) || c.startsWith("08"))) return true;
    if (typeof message === "string" && UNAVAILABLE_MESSAGE.test(message)) return true;
  }
  return false;
}

/** A scalar as an SQL literal (an E'' string, so its escaping holds whatever standard_conforming_strings says), or undefined for anything else. */
function sqlLiteral(value: unknown): string | undefined {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" && Number.isFinite(value)) return `'${value}'`;
  if (typeof value === "bigint") return `'${value}'`;
  if (value instanceof Date) return `'${value.toISOString()}'`;
  if (typeof value === "string" && !value.includes("\u0000")) return `E'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
  return undefined;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

// Kept on globalThis: the server (outside Vite's module graph), the built app bundle
// and dev-mode hot reloads must all share one connection — PGlite allows only one.
const DB_KEY = Symbol.for("portal.database");
type DbHolder = { [DB_KEY]?: Database };

export function setDatabase(database: Database | undefined) {
  (globalThis as DbHolder)[DB_KEY] = database;
}

export function currentDatabase(): Database {
  const database = (globalThis as DbHolder)[DB_KEY];
  if (!database) throw new Error("The database has not been opened (call setDatabase at start-up).");
  return database;
}

/** The Prisma client every loader, action and socket handler uses. */
export function db(): PrismaClient {
  return currentDatabase().prisma;
}
