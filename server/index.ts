/**
 * Starts the portal: `tsx server/index.ts` (production build) or with `--dev`
 * (Vite middleware, hot reload). A bad setting stops it with one readable line on
 * stderr (plain text, before the logger is configured); everything after goes through
 * the logger.
 */
import { log } from "../app/utils/logger.server";
import { EnvError, parseEnv } from "../app/utils/config.server";

async function main() {
  let env;
  try {
    env = parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const dev = process.argv.includes("--dev");
  const { createPortalServer } = await import("./app");
  const server = await createPortalServer({ env, mode: dev ? "development" : "production" });
  const { url } = await server.listen();
  const logger = log();
  logger.info({ url, mode: dev ? "development" : "production", database: server.database.kind, publicUrl: env.APP_URL }, "Customer Accounts Portal listening");
  if (env.PAYMENTS_SANDBOX) logger.info("Payments: Stripe SANDBOX in-process — no real money moves (PAYMENTS_SANDBOX).");
  else if (!env.STRIPE_SECRET_KEY) logger.warn("Payments: off — set STRIPE_SECRET_KEY, or PAYMENTS_SANDBOX=on for the demo sandbox.");
  if (!env.SMTP_URL)
    logger.info(
      env.MAIL_OUTBOX ? `Mail: not delivered — staff read it at ${url}/outbox (no SMTP_URL set).` : "Mail: not delivered (no SMTP_URL, MAIL_OUTBOX off).",
    );
  else if (env.MAIL_OUTBOX) logger.info(`Mail: delivered by SMTP; staff also see it at ${url}/outbox.`);
  // The demo sign-ins are for a demo (`start:demo`, development): a real deployment never prints them.
  if (env.PAYMENTS_SANDBOX && env.MAIL_OUTBOX) {
    const { DEMO_USERS_TEXT } = await import("../prisma/demo-users");
    console.log(DEMO_USERS_TEXT);
  }
  const { startJobs } = await import("./jobs");
  const jobs = startJobs(env);

  // Graceful: the proxy's health check sees /readyz fail, new connections are refused,
  // requests in flight finish (up to SHUTDOWN_GRACE_MS), sockets end (clients reconnect to
  // another process), the chat's pending writes are flushed, then the database closes.
  // A shutdown that hangs anyway ends the process at twice the grace.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: draining requests, sockets and chat writes");
    setTimeout(() => {
      logger.error("shutdown did not finish in time; exiting");
      process.exit(1);
    }, 2 * env.SHUTDOWN_GRACE_MS).unref();
    try {
      await jobs?.stop();
      await server.close({ graceMs: env.SHUTDOWN_GRACE_MS });
      logger.info("stopped");
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, "shutdown failed");
      process.exit(1);
    }
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  console.error(`The portal could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
