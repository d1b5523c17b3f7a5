import crypto from "node:crypto";
import type http from "node:http";
import zlib from "node:zlib";
import type express from "express";
import { userFromCookie } from "../app/utils/session.server";

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
 * row and falls through to the normal (redirecting) route.
 *
 * A replay is fixed bytes. The rendered page allowed its inline scripts by this
 * render's CSP nonce; a replay instead allows exactly those scripts by their SHA-256
 * hashes (and no nonce at all), so nothing in the body changes per response and it is
 * compressed once, on its first replay, instead of on every view. Replays are answered in front
 * of Express (`serveFromCache`), with the headers the rendered response carried.
 */

/** Pages whose content is fully determined by (user, account ledger, day, URL, language). */
const CACHEABLE_PATHS = new Set(["/account", "/account.data", "/invoices", "/invoices.data"]);
const MAX_BYTES = 64 * 1024 * 1024;
const MAX_PAGE_BYTES = 1024 * 1024;
// Set per response (compression, the transport), or rewritten for the replay (CSP).
const PER_RESPONSE_HEADERS = new Set([
  "content-security-policy",
  "content-encoding",
  "content-length",
  "date",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "x-page-cache",
  "x-request-id",
]);

type Encoding = "br" | "gzip" | "identity";
/**
 * One stored page: the rendered body and headers as kept, and each encoding's header list
 * and body once a replay has asked for it. Most never-cached pages are never asked for
 * again, so the replay's CSP and compressed copies are worked out on the first hit, not
 * on every render.
 */
type Entry = {
  identity: Buffer;
  rendered: { headers: string[]; policy: string | null; nonce: string };
  /** The rendered headers with the replay's CSP, shared by every encoding once worked out. */
  replayHeaders?: string[];
  variants: Partial<Record<Encoding, { headers: string[]; body: Buffer }>>;
  bytes: number;
};

/** The response encoding a client asked for: brotli, then gzip, as the compression middleware prefers. */
export function preferredEncoding(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return "identity";
  const quality = new Map<string, number>();
  for (const item of acceptEncoding.toLowerCase().split(",")) {
    const [coding, ...params] = item.trim().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    quality.set(coding.trim(), q ? Number(q.slice(2)) || 0 : 1);
  }
  const accepts = (coding: string) => (quality.get(coding) ?? quality.get("*") ?? 0) > 0;
  return accepts("br") ? "br" : accepts("gzip") ? "gzip" : "identity";
}

/** The CSP of a replay: the rendered response's policy with its nonce swapped for the hashes of the page's own inline scripts. */
function replayPolicy(renderedPolicy: string, nonce: string, body: string): string {
  const hashes = [...body.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)]
    .map((m) => m[1])
    .filter((source) => source.length > 0)
    .map((source) => `'sha256-${crypto.createHash("sha256").update(source, "utf8").digest("base64")}'`);
  return renderedPolicy.replace(` 'nonce-${nonce}'`, [...new Set(hashes)].map((h) => ` ${h}`).join(""));
}

export function createPageCache() {
  const entries = new Map<string, Entry>();
  let bytes = 0;

  function remember(key: string, entry: Entry) {
    const previous = entries.get(key);
    if (previous) bytes -= previous.bytes;
    entries.set(key, entry);
    bytes += entry.bytes;
    evictOverBudget();
  }

  function evictOverBudget() {
    // Oldest first: a hit re-inserts its entry, so this is least-recently used.
    for (const [oldKey, old] of entries) {
      if (bytes <= MAX_BYTES) break;
      entries.delete(oldKey);
      bytes -= old.bytes;
    }
  }

  function cacheable(req: http.IncomingMessage): boolean {
    if (req.method !== "GET" || !req.url || !req.headers.cookie) return false;
    const query = req.url.indexOf("?");
    return CACHEABLE_PATHS.has(query < 0 ? req.url : req.url.slice(0, query));
  }

  // Asked in front of Express and again behind it on a miss: the session lookup is once
  // per request (oncePerRequest), so the second asking costs no query.
  async function keyFor(req: http.IncomingMessage): Promise<string | null> {
    const cookie = req.headers.cookie!;
    const user = await userFromCookie(cookie);
    let key: string | null = null;
    if (user && user.role === "CUSTOMER" && user.account) {
      const day = new Date().toISOString().slice(0, 10);
      // The whole Cookie and Accept-Language headers: the page's language comes from them
      // (after the profile), so any difference there is a different page.
      key = [user.id, user.updatedAt.getTime(), user.account.id, user.account.ledgerVersion, day, req.url, cookie, req.headers["accept-language"] ?? ""].join(
        "\u0000",
      );
    }
    return key;
  }

  /**
   * In front of Express: answers a request with a kept page and returns true, or returns
   * false and leaves the request to the app (which renders, and `middleware` keeps it).
   */
  async function serveFromCache(req: http.IncomingMessage, res: http.ServerResponse, extraHeaders: string[] = []): Promise<boolean> {
    if (!cacheable(req)) return false;
    const key = await keyFor(req);
    const hit = key === null ? undefined : entries.get(key);
    if (!hit) return false;
    entries.delete(key!);
    entries.set(key!, hit);
    const variant = variantOf(hit, preferredEncoding(req.headers["accept-encoding"]));
    res.writeHead(200, [...variant.headers, ...extraHeaders]);
    res.end(variant.body);
    return true;
  }

  /** Behind the CSP and compression middleware: keeps what the app renders for a cacheable request. */
  const middleware: express.RequestHandler = async (req, res, next) => {
    if (!cacheable(req)) return next();
    let key: string | null;
    try {
      key = await keyFor(req);
    } catch (error) {
      return next(error);
    }
    if (!key) return next();
    const nonce = res.locals.cspNonce as string;
    res.setHeader("X-Page-Cache", "miss");
    const chunks: Buffer[] = [];
    let size = 0;
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => express.Response;
    // React Router writes the page's bytes as Uint8Arrays. Buffer.from(uint8Array) copies
    // them a byte at a time (and compression does it again for anything not a Buffer), so
    // the bytes are seen as a Buffer over the same memory, kept and passed on as that.
    const asBuffer = (chunk: unknown, encoding: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === "function") return chunk;
      if (Buffer.isBuffer(chunk)) return chunk;
      if (typeof chunk === "string") return Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
      if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      return chunk;
    };
    const keep = (chunk: unknown) => {
      if (!Buffer.isBuffer(chunk) || size > MAX_PAGE_BYTES) return;
      chunks.push(chunk);
      size += chunk.length;
    };
    const withoutEncoding = (rest: unknown[]) => (typeof rest[0] === "string" ? rest.slice(1) : rest);
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      const bytes = asBuffer(chunk, rest[0]);
      keep(bytes);
      return write(bytes, ...(bytes === chunk ? rest : withoutEncoding(rest)));
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      const bytes = asBuffer(chunk, rest[0]);
      keep(bytes);
      const result = end(bytes, ...(bytes === chunk ? rest : withoutEncoding(rest)));
      // `Cache-Control: private, no-store` is for browsers and shared caches; this cache
      // is the server's own, keyed by user, and replays the header with the page.
      if (res.statusCode === 200 && size <= MAX_PAGE_BYTES && !res.getHeader("set-cookie")) {
        remember(key, entryFrom(res, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), nonce));
      }
      return result;
    }) as typeof res.end;
    next();
  };

  function entryFrom(res: express.Response, identity: Buffer, nonce: string): Entry {
    const headers: string[] = [];
    for (const [name, value] of Object.entries(res.getHeaders())) {
      if (PER_RESPONSE_HEADERS.has(name) || value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [String(value)]) headers.push(name, one);
    }
    const policy = res.getHeader("content-security-policy");
    return { identity, rendered: { headers, policy: policy ? String(policy) : null, nonce }, variants: {}, bytes: identity.length };
  }

  function variantOf(entry: Entry, encoding: Encoding): { headers: string[]; body: Buffer } {
    const known = entry.variants[encoding];
    if (known) return known;
    const { identity, rendered } = entry;
    if (!entry.replayHeaders) {
      const policy = rendered.policy ? ["Content-Security-Policy", replayPolicy(rendered.policy, rendered.nonce, identity.toString("utf8"))] : [];
      entry.replayHeaders = [...rendered.headers, ...policy, "X-Page-Cache", "hit"];
    }
    const headers = entry.replayHeaders;
    const body =
      encoding === "br"
        ? zlib.brotliCompressSync(identity, {
            params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.length },
          })
        : encoding === "gzip"
          ? zlib.gzipSync(identity)
          : identity;
    const variant = { headers: [...headers, ...(encoding === "identity" ? [] : ["Content-Encoding", encoding]), "Content-Length", String(body.length)], body };
    entry.variants[encoding] = variant;
    if (encoding !== "identity") {
      entry.bytes += body.length;
      bytes += body.length;
      evictOverBudget();
    }
    return variant;
  }

  return { middleware, serveFromCache, clear: () => (entries.clear(), (bytes = 0)) };
}
