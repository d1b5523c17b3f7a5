import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", path.resolve("server/index.ts")], {
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
}

describe("server start-up", () => {
  it.each([
    [{ PORT: "abc" }, 'Invalid configuration: PORT must be a whole number (got "abc")'],
    [{ DATABASE_URL: "mysql://localhost/db" }, 'Invalid configuration: DATABASE_URL must start with "postgres://", "postgresql://" or "pglite:"'],
    [{ SMTP_URL: "not a url" }, "Invalid configuration: SMTP_URL must be a URL such as smtp://user:pass@host:587"],
    // Production: links need a configured address; the sandbox and the outbox must be chosen on purpose.
    [{ NODE_ENV: "production", PAYMENTS_SANDBOX: "on", MAIL_OUTBOX: "on" }, "Invalid configuration: APP_URL is required in production"],
    [
      { NODE_ENV: "production", APP_URL: "https://portal.example.com", MAIL_OUTBOX: "on" },
      "Invalid configuration: production needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or PAYMENTS_SANDBOX=on",
    ],
    [
      { NODE_ENV: "production", APP_URL: "https://portal.example.com", PAYMENTS_SANDBOX: "on" },
      "Invalid configuration: production needs SMTP_URL, or MAIL_OUTBOX=on",
    ],
  ])("stops with one readable line for %o", (env, message) => {
    const result = start(env);
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(message);
    expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it("stops with one readable line on a database that was never set up, and leaves its folder free", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-unmigrated-"));
    try {
      const folder = path.join(dir, "db");
      const result = start({ DATABASE_URL: `pglite:${folder}`, PORT: "0" });
      expect(result.status).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toBe(
        "The portal could not start: The database has no tables yet. Run `npm run db:setup` (schema and demo data) or `npm run db:migrate` (schema only), then start again.",
      );
      expect(fs.existsSync(`${folder}.lock`)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
