import crypto from "node:crypto";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { createRequestHandler } from "@react-router/express";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import type { ServerBuild } from "react-router";
import { isDatabaseUnavailable, setDatabase, type Database } from "../app/utils/db.server";
import { openMigratedDatabase } from "../prisma/migrate";
import { configureLogger, log, requestIdFrom, withRequestLogger } from "../app/utils/logger.server";
import { startOrphanSweep } from "../app/domain/files/orphan-sweep.server";
import { startEmbeddedUpkeep } from "../app/utils/embedded-upkeep.server";
import { servedOverHttps, setEnv, type Env } from "../app/utils/config.server";
import { createPageCache } from "./page-cache";
import { stripeWebhookRoutes } from "./stripe-webhook";
import { createFormBodyGuard, createOriginGuard, createUrlGuard } from "./request-guard";
import { attachSockets, type PortalSocketServer } from "./socket";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Static files all have an extension; pages never do. Without this, every page request
 * paid two failed `stat` calls before reaching the app.
 */
/** A readiness check answers within a second and a half, or counts as failed. */
function withinDeadline(check: Promise<boolean>, ms = 1_500): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    check.then(
      (ok) => (clearTimeout(timer), resolve(ok)),
      () => (clearTimeout(timer), resolve(false)),
    );
  });
}

function filesOnly(serve: express.RequestHandler): express.RequestHandler {
  return (req, res, next) => (path.extname(req.path) ? serve(req, res, next) : next());
}

export type PortalServer = {
  httpServer: http.Server;
  io: PortalSocketServer;
  database: Database;
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  /** Graceful: stop accepting, finish requests (cut after `graceMs`), end sockets, flush chat writes, close the database. */
  close(options?: { graceMs?: number }): Promise<void>;
};

/**
 * One process: Express serves the React Router app and Socket.IO shares its HTTP
 * server. Dependencies come in as arguments so tests start the real thing on a
 * random port with their own database.
 */
export async function createPortalServer(options: { env: Env; mode: "production" | "development"; database?: Database }): Promise<PortalServer> {
  const env = setEnv(options.env);
  configureLogger({ level: env.LOG_LEVEL });
  const database = options.database ?? (await openMigratedDatabase(env.DATABASE_URL));
  setDatabase(database);

  const app = express();
  app.disable("x-powered-by");
  // X-Forwarded-* (client address, https, host) only from the proxies TRUST_PROXY names:
  // from anyone else they are whatever the sender wants.
  app.set("trust proxy", env.TRUST_PROXY);
  // Development renders every time: the code behind a page changes under it.
  const pageCache = options.mode === "production" ? createPageCache() : null;
  // A kept page is answered before Express: its headers were kept with it, and a
  // replay is the hottest request the portal serves.
  // Every request gets an id (a client's own, if it is a plain token): it is sent back in
  // X-Request-Id and carried by every log line written while the request is served.
  const httpServer = http.createServer((req, res) => {
    const requestId = requestIdFrom(req.headers["x-request-id"]?.toString());
    withRequestLogger(
      requestId,
      (requestLog) => {
        const started = performance.now();
        res.once("finish", () =>
          requestLog.debug({ method: req.method, url: req.url, status: res.statusCode, ms: Math.round(performance.now() - started) }, "request served"),
        );
        const toApp = () => {
          res.setHeader("X-Request-Id", requestId);
          app(req, res);
        };
        if (!pageCache) return toApp();
        pageCache.serveFromCache(req, res, ["X-Request-Id", requestId]).then(
          (served) => served || toApp(),
          (error) => {
            requestLog.error({ err: error }, "page cache lookup failed");
            toApp();
          },
        );
      },
      req.method === "GET" || req.method === "HEAD",
    );
  });

  const sockets = await attachSockets(httpServer, env, log());

  app.use(stripeWebhookRoutes());
  app.use((_req, res, next) => {
    res.locals.cspNonce = crypto.randomBytes(16).toString("base64");
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy:
        options.mode === "development"
          ? false // Vite's dev client injects inline scripts of its own.
          : {
              useDefaults: true,
              directives: {
                "script-src": ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
                "connect-src": ["'self'"],
                "img-src": ["'self'", "data:"],
                "upgrade-insecure-requests": servedOverHttps(env) ? [] : null,
              },
            },
      strictTransportSecurity: servedOverHttps(env),
      // Helmet's default, no-referrer, makes Chromium send `Origin: null` with every form
      // post, which no origin check can tell from a sandboxed attacker's frame.
      referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    }),
  );
  // Brotli at quality 3 for what is rendered per request: measured on the invoice list
  // (31 KB), half the CPU of the middleware's default 4 (0.14 ms against 0.29) for a body
  // 6 % larger. Kept pages are compressed once, harder (page-cache.ts).
  // A 256 KB window instead of brotli's default 4 MB: no page comes near it, and the
  // encoder's buffers, which V8 counts as the process's external memory, grow with the
  // window once a body passes a few KB. At the default, every page like the invoice list
  // added megabytes of it, so V8 ran a full collection several times a second under
  // load (140 in 20 s against 10; the never-cached list went from 70 to 130 pages/s).
  app.use(compression({ brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 3, [zlib.constants.BROTLI_PARAM_LGWIN]: 18 } } }));

  // Alive: the process answers. A load balancer restarts a process that stops answering
  // this, so it asks nothing of the database or Redis (an outage there is not cured by a restart).
  app.get("/healthz", (_req, res) => {
    res.json({ ok: true });
  });
  // Ready: worth sending traffic to. Each dependency is asked with a deadline, and the
  // answer names the one that failed; a process that is shutting down says so.
  let draining = false;
  app.get("/readyz", async (_req, res) => {
    const [databaseOk, redisOk] = await Promise.all([
      withinDeadline(database.sql.query("SELECT 1").then(() => true)),
      withinDeadline(sockets.redisReachable()),
    ]);
    const checks = { database: databaseOk ? "ok" : "unreachable", redis: env.REDIS_URL ? (redisOk ? "ok" : "unreachable") : "not configured" };
    const ready = databaseOk && redisOk && !draining;
    res
      .status(ready ? 200 : 503)
      .set("Cache-Control", "no-store")
      .json({ ok: ready, ...(draining ? { shuttingDown: true } : {}), ...checks });
  });

  let build: ServerBuild | (() => Promise<ServerBuild>);
  let closeVite: (() => Promise<void>) | undefined;
  if (options.mode === "development") {
    const vite = await import("vite");
    const devServer = await vite.createServer({
      configFile: path.join(ROOT, "server/vite.config.ts"),
      server: { middlewareMode: true, hmr: { server: httpServer } },
    });
    app.use(devServer.middlewares);
    build = () => devServer.ssrLoadModule("virtual:react-router/server-build") as Promise<ServerBuild>;
    closeVite = () => devServer.close();
  } else {
    const buildPath = path.join(ROOT, "build/server/index.js");
    build = (await import(buildPath)) as ServerBuild;
    app.use("/assets", express.static(path.join(ROOT, "build/client/assets"), { immutable: true, maxAge: "1y" }));
    app.use(filesOnly(express.static(path.join(ROOT, "build/client"), { maxAge: "1h" })));
  }
  app.use(filesOnly(express.static(path.join(ROOT, "public"), { maxAge: "1h" })));

  const requestHandler = createRequestHandler({
    build,
    mode: options.mode,
    getLoadContext: (req, res) => ({
      cspNonce: res.locals.cspNonce as string,
      clientIp: req.ip ?? "unknown",
      errorStatus: res.locals.errorStatus as number | undefined,
    }),
  });
  /**
   * An error page in the portal's layout and the reader's language, rendered by the app
   * itself: the request becomes a GET of a path only the catch-all route matches, whose
   * loader throws the status it is handed. Script requests (`.data`) and clients that
   * do not take HTML get the status line as text.
   */
  const renderError =
    (status: number): express.RequestHandler =>
    (req, res, next) => {
      if (res.headersSent) return;
      const wantsPage = !req.path.endsWith(".data") && req.accepts(["text/html", "text/plain"]) === "text/html";
      if (res.locals.errorStatus !== undefined || !wantsPage) {
        res
          .status(status)
          .type("text/plain")
          .send(http.STATUS_CODES[status] ?? "Error");
        return;
      }
      res.locals.errorStatus = status;
      req.method = "GET";
      req.url = req.originalUrl = "/_error";
      for (const header of ["content-type", "content-length", "transfer-encoding", "origin"]) delete req.headers[header];
      Promise.resolve(requestHandler(req, res, next)).catch(next);
    };

  app.use(createUrlGuard({ refuse: renderError(400) }));
  app.use(createOriginGuard({ appUrl: env.APP_URL, refuse: renderError(403) }));
  app.use(createFormBodyGuard({ refuse: renderError }));
  if (pageCache) app.use(pageCache.middleware);
  app.all("/{*splat}", requestHandler);
  app.use((error: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
    log().error({ err: error }, "unhandled request error");
    // The database did not answer (the page cache's session check runs here, before the app).
    if (!res.headersSent) renderError(isDatabaseUnavailable(error) ? 503 : 500)(req, res, next);
  });

  // Files a request stored but never recorded (a crash between the two): removed after an hour.
  const orphanSweep = startOrphanSweep((error) => log().warn({ err: error }, "orphan upload sweep failed"));
  const embeddedUpkeep = startEmbeddedUpkeep(database, (error) => log().warn({ err: error }, "embedded database upkeep failed"));

  return {
    httpServer,
    io: sockets.io,
    database,
    listen(port = env.PORT, host = env.HOST) {
      return new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address();
          const bound = typeof address === "object" && address ? address.port : port;
          resolve({ port: bound, url: `http://${host === "0.0.0.0" ? "localhost" : host}:${bound}` });
        });
      });
    },
    async close({ graceMs = 2_000 } = {}) {
      // Stop accepting first: new connections are refused, idle keep-alive ones closed,
      // and requests already being served run to their end.
      draining = true;
      const served = new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeIdleConnections();
        // A request refused before its body was read (an upload to a page that says not
        // found) keeps its connection busy; after the grace period it is cut so closing ends.
        setTimeout(() => httpServer.closeAllConnections(), graceMs).unref();
      });
      await orphanSweep.stop();
      await embeddedUpkeep.stop();
      // Sockets end (clients reconnect to another process), and the chat writes they
      // handed over are flushed before the database closes.
      await sockets.close();
      await served;
      await closeVite?.();
      if (!options.database) {
        setDatabase(undefined);
        await database.close();
      }
    },
  };
}
