/**
 * The one logger (pino). Inside an HTTP request `log()` is a child that carries the
 * request's id, so a line written by a loader, an action or domain code can be matched
 * with the request that caused it and with the `X-Request-Id` its client saw.
 *
 * Kept on globalThis: the server (outside Vite's module graph) and the built app bundle
 * load this file separately, and must share one logger and one request context.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import crypto from "node:crypto";
import { pino, type DestinationStream, type Level, type Logger } from "pino";

type LogState = { root: Logger; requests: AsyncLocalStorage<Logger> };
const KEY = Symbol.for("portal.logger");
type Holder = { [KEY]?: LogState };

function state(): LogState {
  const holder = globalThis as Holder;
  holder[KEY] ??= { root: pino({ level: "info" }), requests: new AsyncLocalStorage() };
  return holder[KEY];
}

/** Called once at start-up with the configured level; `destination` lets a caller read the lines back. */
export function configureLogger(options: { level: Level | "silent"; destination?: DestinationStream }) {
  state().root = options.destination ? pino({ level: options.level }, options.destination) : pino({ level: options.level });
}

/** The logger for here and now: the current request's child logger, else the process's. */
export function log(): Logger {
  const { requests, root } = state();
  return requests.getStore() ?? root;
}

/** An id a client sent is reused only when it is a short, plain token (it ends up in log lines). */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export function requestIdFrom(incoming: string | undefined): string {
  return incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}

/** Runs `work` (and everything it starts) with a logger that adds `requestId` to each line. */
export function withRequestLogger<T>(requestId: string, work: (logger: Logger) => T): T {
  const { requests, root } = state();
  const logger = root.child({ requestId });
  return requests.run(logger, () => work(logger));
}
