/**
 * Starts the real portal (production build, Express, Socket.IO) on a random port
 * with a private copy of the seeded database, and a cookie-keeping HTTP client to
 * talk to it as a browser would.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { openDatabase, type PrismaClient } from "../../app/utils/db.server";
import { DEMO_PASSWORD } from "../../prisma/demo-users";
import { createPortalServer } from "../../server/app";
import { parseEnv } from "../../app/utils/config.server";
import { copyTemplate } from "./databases";

export type TestPortal = {
  url: string;
  db: PrismaClient;
  browser(options?: { acceptLanguage?: string }): Browser;
  signedIn(email: string, options?: { acceptLanguage?: string }): Promise<Browser>;
  close(): Promise<void>;
};

export async function startPortal(extraEnv: Record<string, string> = {}): Promise<TestPortal> {
  if (!fs.existsSync(path.resolve("build/server/index.js"))) {
    throw new Error("No production build: run `npm run build` before the integration tests (npm test does).");
  }
  const copy = await copyTemplate(inject("templateDatabaseUrl"));
  const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-uploads-"));
  // The port is chosen first so APP_URL (where emailed links point) is this server.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = parseEnv({
    // Production mode with the demo conveniences switched on on purpose, as `npm run start:demo` does.
    NODE_ENV: "production",
    APP_URL: url,
    PAYMENTS_SANDBOX: "on",
    MAIL_OUTBOX: "on",
    DATABASE_URL: copy.url,
    UPLOAD_DIR: uploadDir,
    SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
    LOG_LEVEL: "silent",
    ...extraEnv,
  });
  const database = await openDatabase(env.DATABASE_URL);
  const server = await createPortalServer({ env, mode: "production", database });
  await server.listen(port, "127.0.0.1");
  const browser = (options?: { acceptLanguage?: string }) => new Browser(url, options?.acceptLanguage);
  return {
    url,
    db: database.prisma,
    browser,
    async signedIn(email, options) {
      const b = browser(options);
      const res = await b.post("/login", { email, password: DEMO_PASSWORD });
      if (res.status !== 302) throw new Error(`Sign-in as ${email} failed with ${res.status}`);
      return b;
    },
    async close() {
      await server.close();
      await database.close();
      await copy.dispose();
      fs.rmSync(uploadDir, { recursive: true, force: true });
    },
  };
}

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

/** fetch with a cookie jar and no automatic redirects, like a careful browser. */
export class Browser {
  private cookies = new Map<string, string>();
  constructor(
    readonly baseUrl: string,
    private acceptLanguage?: string,
  ) {}

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /max-age=0/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(pathname: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("Cookie", this.cookieHeader());
    if (this.acceptLanguage) headers.set("Accept-Language", this.acceptLanguage);
    // Browsers send Origin with every POST; the portal refuses a foreign one. A test that
    // means to be cross-origin (or origin-less, like curl) sets or removes it itself.
    const method = (init.method ?? "GET").toUpperCase();
    if (method !== "GET" && method !== "HEAD" && !headers.has("Origin")) headers.set("Origin", new URL(this.baseUrl).origin);
    if (headers.get("Origin") === "") headers.delete("Origin");
    const res = await fetch(new URL(pathname, this.baseUrl), { ...init, headers, redirect: "manual" });
    this.remember(res);
    return res;
  }

  get(pathname: string) {
    return this.request(pathname);
  }

  post(pathname: string, fields: Record<string, string>) {
    return this.request(pathname, { method: "POST", body: new URLSearchParams(fields) });
  }

  /** Follows redirects (GET) and returns the final response and its text. */
  async page(pathname: string): Promise<{ status: number; html: string; url: string }> {
    let target = pathname;
    for (let hops = 0; hops < 5; hops++) {
      const res = await this.get(target);
      if (res.status >= 300 && res.status < 400 && res.headers.get("location")) {
        target = res.headers.get("location")!;
        continue;
      }
      return { status: res.status, html: await res.text(), url: target };
    }
    throw new Error(`Too many redirects from ${pathname}`);
  }
}

/** Visible text of an HTML page (tags stripped, entities for the usual suspects). */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&nbsp;|\u00a0/g, " ")
    .replace(/\s+/g, " ");
}
