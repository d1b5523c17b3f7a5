import type express from "express";
import { userFromCookie } from "../app/domain/auth/session.server";

/**
 * Rendered ledger pages for signed-in customers, kept by what they show.
 *
 * The invoice list and the account home are the pages a customer reloads most, and
 * rendering one costs tens of milliseconds of a single-threaded server. What they show
 * depends only on the user, the account's ledger and the day, and the account's
 * `ledgerVersion` moves (by database triggers, whoever writes) whenever anything on
 * them changes. So every request still proves its session against the database and
 * reads the current version — one indexed query — and a page rendered for the same
 * user, version, day, URL and language headers is sent again instead of rendered again.
 *
 * Nothing is shared between users: the key starts with the user id from the session
 * row, and a session that is gone, expired or belongs to a deactivated user finds no
 * row and falls through to the normal (redirecting) route. The CSP nonce is the one
 * per-response secret in a page; it is replaced by this response's fresh nonce.
 */

/** Pages whose content is fully determined by (user, account ledger, day, URL, language). */
const CACHEABLE_PATHS = new Set(["/account", "/account.data", "/invoices", "/invoices.data"]);
const MAX_BYTES = 64 * 1024 * 1024;
const MAX_PAGE_BYTES = 1024 * 1024;
// Set per response by other middleware (CSP nonce, compression), or meaningless to replay.
const PER_RESPONSE_HEADERS = new Set(["content-security-policy", "content-encoding", "content-length", "date", "connection", "keep-alive", "transfer-encoding", "x-page-cache"]);

type Entry = { status: number; headers: [string, string | string[]][]; parts: Buffer[]; bytes: number };

export function createPageCache() {
  const entries = new Map<string, Entry>();
  let bytes = 0;

  function remember(key: string, entry: Entry) {
    const previous = entries.get(key);
    if (previous) bytes -= previous.bytes;
    entries.set(key, entry);
    bytes += entry.bytes;
    // Oldest first: a hit re-inserts its entry, so this is least-recently used.
    for (const [oldKey, old] of entries) {
      if (bytes <= MAX_BYTES) break;
      entries.delete(oldKey);
      bytes -= old.bytes;
    }
  }

  async function keyFor(req: express.Request): Promise<string | null> {
    const cookie = req.headers.cookie;
    if (!cookie) return null;
    const user = await userFromCookie(cookie);
    if (!user || user.role !== "CUSTOMER" || !user.account) return null;
    const day = new Date().toISOString().slice(0, 10);
    // The whole Cookie and Accept-Language headers: the page's language comes from them
    // (after the profile), so any difference there is a different page.
    return [user.id, user.updatedAt.getTime(), user.account.id, user.account.ledgerVersion, day, req.originalUrl, cookie, req.headers["accept-language"] ?? ""].join("\u0000");
  }

  const middleware: express.RequestHandler = async (req, res, next) => {
    if (req.method !== "GET" || !CACHEABLE_PATHS.has(req.path)) return next();
    let key: string | null;
    try {
      key = await keyFor(req);
    } catch (error) {
      return next(error);
    }
    if (!key) return next();
    const nonce = res.locals.cspNonce as string;

    const hit = entries.get(key);
    if (hit) {
      entries.delete(key);
      entries.set(key, hit);
      res.status(hit.status);
      for (const [name, value] of hit.headers) res.setHeader(name, value);
      res.setHeader("X-Page-Cache", "hit");
      // Bytes, not a string: sending them is a copy, where a string is UTF-8 encoded again each time.
      const nonceBytes = Buffer.from(nonce);
      const body: Buffer[] = [];
      hit.parts.forEach((part, i) => (i ? body.push(nonceBytes, part) : body.push(part)));
      res.end(Buffer.concat(body));
      return;
    }

    // Miss: let the app render, and keep a copy of what it sent.
    res.setHeader("X-Page-Cache", "miss");
    const chunks: Buffer[] = [];
    let size = 0;
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => express.Response;
    const keep = (chunk: unknown, encoding: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === "function" || size > MAX_PAGE_BYTES) return;
      const buffer = Buffer.isBuffer(chunk) ? chunk : typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : Buffer.from(chunk as Uint8Array);
      chunks.push(buffer);
      size += buffer.length;
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      const cacheControl = String(res.getHeader("cache-control") ?? "");
      if (res.statusCode === 200 && size <= MAX_PAGE_BYTES && !res.getHeader("set-cookie") && !/no-store/i.test(cacheControl)) {
        const headers = Object.entries(res.getHeaders())
          .filter(([name]) => !PER_RESPONSE_HEADERS.has(name))
          .map(([name, value]) => [name, Array.isArray(value) ? value : String(value)] as [string, string | string[]]);
        remember(key, { status: 200, headers, parts: Buffer.concat(chunks).toString("utf8").split(nonce).map((part) => Buffer.from(part)), bytes: size });
      }
      return end(chunk, ...rest);
    }) as typeof res.end;
    next();
  };

  return { middleware, clear: () => (entries.clear(), (bytes = 0)) };
}
