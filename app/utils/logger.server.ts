/**
 * The one logger (pino), and the one request context. Inside an HTTP request (or a socket
 * event) `log()` is a child that carries the request's id, so a line written by a loader,
 * an action or domain code can be matched with the request that caused it and with the
 * `X-Request-Id` its client saw; `oncePerRequest` keeps what one request worked out.
 *
 * Kept on globalThis: the server (outside Vite's module graph) and the built app bundle
 * load this file separately, and must share one logger and one request context.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import crypto from "node:crypto";
import { pino, type DestinationStream, type Level, type Logger } from "pino";

type RequestContext = { logger: Logger; kept?: Map<string, unknown> };
type LogState = { root: Logger; requests: AsyncLocalStorage<RequestContext> };
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
  return requests.getStore()?.logger ?? root;
}

/**
 * `compute()` once per reading request (GET or HEAD) for `key`, its result (a promise
 * too) kept until the request ends; anywhere else, computed on every call: an action, or
 * a socket event, may change what it read before the page is rendered. React Router hands
 * the root, layout and page loaders each a Request of their own, so this, not the
 * Request, is what they share.
 */
export function oncePerRequest<T>(key: string, compute: () => T): T {
  const kept = state().requests.getStore()?.kept;
  if (!kept) return compute();
  if (!kept.has(key)) kept.set(key, compute());
  return kept.get(key) as T;
}

/** Drops what the current request kept under keys starting with `prefix` (it changed under it). */
export function forgetForThisRequest(prefix: string) {
  const kept = state().requests.getStore()?.kept;
  for (const key of kept?.keys() ?? []) if (key.startsWith(prefix)) kept!.delete(key);
}

/** An id a client sent is reused only when it is a short, plain token (it ends up in log lines). */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export function requestIdFrom(incoming: string | undefined): string {
  return incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}

/**
 * Runs `work` (and everything it starts) with a logger that adds `requestId` to each line;
 * `reading`: a GET or HEAD, whose work may keep what it worked out (`oncePerRequest`).
 */
export function withRequestLogger<T>(requestId: string, work: (logger: Logger) => T, reading = false): T {
  const { requests, root } = state();
  const logger = root.child({ requestId });
  return requests.run({ logger, kept: reading ? new Map() : undefined }, () => work(logger));
}
