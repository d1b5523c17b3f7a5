import { Worker } from "node:worker_threads";
import type { IsolationLevel, SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, SqlResultSet, Transaction } from "@prisma/driver-adapter-utils";

type ThreadError = { name: string; message: string; cause?: unknown };
type Pending = { resolve: (value: any) => void; reject: (error: Error) => void };

/**
 * The embedded database running on a thread of its own (`pglite-thread.mjs`): the
 * process's sockets and requests go on while it works. `request` sends one operation and
 * resolves with its answer; errors come back as they were thrown there (a driver
 * adapter error keeps the `cause` Prisma reads a unique violation from).
 */
export class PGliteThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #lastRequest = 0;
  #stopped: Error | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    // Like an idle connection, the thread alone does not keep the process running.
    worker.unref();
    worker.on("message", (answer: { id: number; result?: unknown; error?: ThreadError }) => {
      const pending = this.#pending.get(answer.id);
      if (!pending) return;
      this.#pending.delete(answer.id);
      if (this.#pending.size === 0) worker.unref();
      if (answer.error) pending.reject(rebuildError(answer.error));
      else pending.resolve(answer.result);
    });
    const stop = (error: Error) => {
      this.#stopped ??= error;
      for (const pending of this.#pending.values()) pending.reject(this.#stopped);
      this.#pending.clear();
    };
    worker.on("error", (error) => stop(new Error(`The embedded database stopped: ${error.message}`)));
    worker.on("exit", () => stop(new Error("The embedded database is closed.")));
  }

  /** Starts PGlite on its thread: `location` is its data directory, undefined for memory. */
  static start(location: string | undefined): Promise<PGliteThread> {
    // No loader flags (tsx, profilers) in the thread: it runs one plain module.
    const worker = new Worker(new URL("./pglite-thread.mjs", import.meta.url), { workerData: { location }, execArgv: [] });
    return new Promise((resolve, reject) => {
      worker.once("message", (first: { ready: boolean; error?: ThreadError }) => {
        if (first.ready) return resolve(new PGliteThread(worker));
        void worker.terminate();
        reject(rebuildError(first.error ?? { name: "Error", message: "The embedded database did not start." }));
      });
      worker.once("error", reject);
    });
  }

  request<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = ++this.#lastRequest;
    if (this.#pending.size === 0) this.#worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, op, ...args });
    });
  }

  async close() {
    if (this.#stopped) return;
    await this.request("close");
    await this.#worker.terminate();
  }

  /** Prisma's driver adapter, its calls answered by the adapter on the database's thread. */
  prismaAdapter(): SqlDriverAdapterFactory {
    const info = { provider: "postgres" as const, adapterName: "pglite-prisma-adapter" };
    const queryable = (transaction?: number) => ({
      ...info,
      queryRaw: (query: SqlQuery) => this.request<SqlResultSet>("queryRaw", { query, transaction }),
      executeRaw: (query: SqlQuery) => this.request<number>("executeRaw", { query, transaction }),
    });
    const adapter: SqlDriverAdapter = {
      ...queryable(),
      executeScript: (script: string) => this.request<void>("executeScript", { script }),
      startTransaction: async (isolationLevel?: IsolationLevel): Promise<Transaction> => {
        const started = await this.request<{ transaction: number; options: Transaction["options"] }>("startTransaction", { isolationLevel });
        return {
          ...queryable(started.transaction),
          options: started.options,
          commit: () => this.request<void>("commit", { transaction: started.transaction }),
          rollback: () => this.request<void>("rollback", { transaction: started.transaction }),
        };
      },
      getConnectionInfo: () => ({ supportsRelationJoins: true }),
      dispose: async () => undefined,
    };
    return { ...info, connect: async () => adapter };
  }
}

function rebuildError({ name, message, cause }: ThreadError): Error {
  const error = new Error(message, cause === undefined ? undefined : { cause });
  error.name = name;
  return error;
}
