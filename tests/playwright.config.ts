import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, devices } from "@playwright/test";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.E2E_PORT ?? 3210);
const LATER = /(accessibility|chat-fixes|dashboard|dispute-credit|my-day)\.spec\.ts$/;
const dataDir = path.join(root, ".data/e2e");

// Playwright cannot download its own browser here: Debian's Chromium is used.
export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  timeout: 30_000,
  expect: { timeout: 7_000 },
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"],
    },
  },
  // The specs share one server and database. The sweeps that pay, chat and change state
  // across many accounts run after the flows that expect the seed as it is.
  projects: [
    { name: "chromium", testIgnore: LATER, use: { ...devices["Desktop Chrome"] } },
    { name: "chromium-after", testMatch: LATER, dependencies: ["chromium"], use: { ...devices["Desktop Chrome"] } },
  ],
  // Its own embedded database, fresh each run: the production build on a real port, with
  // the demo conveniences switched on on purpose and its mail delivered over SMTP to a
  // catcher (tests/support/e2e-server.ts) whose messages the specs read.
  webServer: {
    command: `rm -rf "${dataDir}" && npm run --silent db:setup >/dev/null && node --import tsx tests/support/e2e-server.ts`,
    cwd: root,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      APP_URL: `http://127.0.0.1:${port}`,
      PAYMENTS_SANDBOX: "on",
      MAIL_OUTBOX: "on",
      E2E_MAIL_DIR: `${dataDir}/mail`,
      DATABASE_URL: `pglite:${dataDir}/db`,
      UPLOAD_DIR: `${dataDir}/uploads`,
      LOG_LEVEL: "warn",
    },
  },
});
