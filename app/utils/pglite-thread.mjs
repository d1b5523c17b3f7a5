// @ts-check
/**
 * The embedded database's own thread. PGlite runs PostgreSQL as WebAssembly inside the
 * process, synchronously: on the main thread every query would hold up every socket and
 * request behind it (a chat message waits for the previous one's write to finish). Here
 * it runs beside them, and `db.server.ts` talks to it by messages.
 *
 * Plain JavaScript: a worker thread gets no TypeScript loader under Vitest.
 *
 * Requests: `{ id, op, ...arguments }`; answers: `{ id, result }` or `{ id, error }`.
 * Prisma's driver adapter for PGlite runs here unchanged; its transactions are kept by
 * number until committed or rolled back.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";

const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);

/**
 * pglite-prisma-adapter 0.6 reports every database error as kind "postgres"; Prisma 6.19
 * reads the original code and message, and a unique violation's kind and fields, as
 * @prisma/adapter-pg gives them. So it gets them: the same Prisma errors (P2002, a raw
 * query's message) on both databases.
 * @param {any} cause
 */
function asPrismaReadsIt(cause) {
  if (cause?.kind !== "postgres") return cause;
  const known = { ...cause, originalCode: cause.code, originalMessage: cause.message };
  if (cause.code !== "23505") return known;
  const fields = /Key \(([^)]+)\)/.exec(cause.detail ?? "")?.[1]?.split(", ");
  return { ...known, kind: "UniqueConstraintViolation", constraint: fields ? { fields } : undefined };
}

/** @param {unknown} error */
function describe(error) {
  if (error instanceof Error) {
    // DriverAdapterError carries what Prisma needs (a unique violation's fields) in `cause`.
    let cause;
    try {
      cause = "cause" in error && typeof error.cause === "object" ? structuredClone(asPrismaReadsIt(error.cause)) : undefined;
    } catch {
      cause = undefined; // a cause that cannot be copied across is left behind, not the error
    }
    return { name: error.name, message: error.message, cause };
  }
  return { name: "Error", message: String(error) };
}

try {
  const client = new PGlite(workerData.location ?? undefined);
  await client.waitReady;
  const adapter = await new PrismaPGlite(client).connect();
  /** @type {Map<number, any>} */
  const transactions = new Map();
  let lastTransaction = 0;
  /** @param {number | undefined} id */
  const on = (id) => {
    if (id === undefined) return adapter;
    const transaction = transactions.get(id);
    if (!transaction) throw new Error(`No open transaction ${id}`);
    return transaction;
  };
  /** @type {Record<string, (request: any) => Promise<unknown>>} */
  const operations = {
    queryRaw: ({ query, transaction }) => on(transaction).queryRaw(query),
    executeRaw: ({ query, transaction }) => on(transaction).executeRaw(query),
    executeScript: ({ script }) => adapter.executeScript(script),
    startTransaction: async ({ isolationLevel }) => {
      const transaction = await adapter.startTransaction(isolationLevel);
      transactions.set(++lastTransaction, transaction);
      return { transaction: lastTransaction, options: transaction.options };
    },
    commit: async ({ transaction }) => {
      const open = on(transaction);
      transactions.delete(transaction);
      await open.commit();
    },
    rollback: async ({ transaction }) => {
      const open = on(transaction);
      transactions.delete(transaction);
      await open.rollback();
    },
    exec: async ({ script }) => void (await client.exec(script)),
    query: async ({ text, params }) => (await client.query(text, params)).rows,
    close: () => client.close(),
  };
  port.on("message", (/** @type {{ id: number; op: string }} */ request) => {
    const operation = operations[request.op];
    const answer = (/** @type {object} */ message) => {
      try {
        port.postMessage({ id: request.id, ...message });
      } catch (error) {
        port.postMessage({ id: request.id, error: describe(error) }); // an answer that cannot be copied across
      }
    };
    // A promise even when the operation throws at once (an unknown transaction, say).
    new Promise((resolve) => {
      if (!operation) throw new Error(`Unknown operation ${request.op}`);
      resolve(operation(request));
    }).then(
      (result) => answer({ result }),
      (error) => answer({ error: describe(error) }),
    );
  });
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ ready: false, error: describe(error) });
}
