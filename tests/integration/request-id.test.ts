/**
 * The request id, through the real start-up (`server/index.ts`, production build): each
 * response carries X-Request-Id (the client's own when it is a plain token) and the log
 * lines written while serving it carry the same id. The demo sign-ins are printed only
 * when the demo conveniences are on.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { copyTemplate } from "../support/databases";

type Started = { child: ChildProcess; url: string; output: () => string; stop: () => Promise<void> };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function startServer(databaseUrl: string, env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-request-id-"));
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("server/index.ts")], {
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      APP_URL: url,
      DATABASE_URL: databaseUrl,
      UPLOAD_DIR: uploadDir,
      SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
      LOG_LEVEL: "debug",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  const deadline = Date.now() + 50_000;
  while (!out.includes("Customer Accounts Portal listening")) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`The server did not start:\n${out}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    url,
    output: () => out,
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      fs.rmSync(uploadDir, { recursive: true, force: true });
    },
  };
}

function logLines(output: string): Record<string, unknown>[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function eventually(check: () => boolean) {
  const deadline = Date.now() + 5_000;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe("request id and start-up output (demo conveniences on)", () => {
  let db: { url: string; dispose: () => Promise<void> };
  let server: Started;
  beforeAll(async () => {
    db = await copyTemplate(inject("templateDatabaseUrl"));
    server = await startServer(db.url, { PAYMENTS_SANDBOX: "on", MAIL_OUTBOX: "on" });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await db?.dispose();
  });

  it("sends the client's id back and logs the request under it", async () => {
    const res = await fetch(`${server.url}/login`, { headers: { "X-Request-Id": "check-42.a" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("check-42.a");
    await eventually(() => logLines(server.output()).some((line) => line.requestId === "check-42.a"));
    const lines = logLines(server.output()).filter((line) => line.requestId === "check-42.a");
    expect(lines).toContainEqual(expect.objectContaining({ msg: "request served", method: "GET", url: "/login", status: 200 }));
  });

  it("makes its own id when the client sends none or one that is not a plain token", async () => {
    const none = await fetch(`${server.url}/login`);
    const mine = none.headers.get("x-request-id");
    expect(mine).toMatch(/^[0-9a-f-]{36}$/);
    const odd = await fetch(`${server.url}/login`, { headers: { "X-Request-Id": 'a b"c' } });
    expect(odd.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(odd.headers.get("x-request-id")).not.toBe(mine);
    await eventually(() => logLines(server.output()).some((line) => line.requestId === mine));
    expect(logLines(server.output()).some((line) => line.requestId === mine && line.msg === "request served")).toBe(true);
  });

  it("prints the demo sign-ins for a demo", () => {
    expect(server.output()).toContain("rep2@accounts.example");
  });
});

describe("start-up output of a real deployment", () => {
  it("never prints the demo sign-ins", async () => {
    const db = await copyTemplate(inject("templateDatabaseUrl"));
    const server = await startServer(db.url, {
      STRIPE_SECRET_KEY: "sk_test_not_used",
      STRIPE_WEBHOOK_SECRET: "whsec_not_used",
      SMTP_URL: "smtp://127.0.0.1:2525",
    });
    try {
      expect(server.output()).toContain("Customer Accounts Portal listening");
      expect(server.output()).not.toContain("accounts.example");
    } finally {
      await server.stop();
      await db.dispose();
    }
  }, 60_000);
});
