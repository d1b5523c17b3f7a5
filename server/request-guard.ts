import type express from "express";

/**
 * Cross-site request forgery guard for every state-changing request (POST, PUT, PATCH,
 * DELETE), page actions and resource routes alike.
 *
 * - A request whose `Origin` is present must come from an allowed origin: the public one
 *   (`APP_URL`, when set: behind TLS termination the browser says `https://…` while
 *   Express may see `http://…`) or the request's own origin as Express sees it (which
 *   follows X-Forwarded-* only as far as "trust proxy" allows).
 * - `Origin: null` (Chromium under `Referrer-Policy: no-referrer`, but also sandboxed
 *   frames and `data:` pages) is allowed only when the browser itself says the request
 *   is same-origin (`Sec-Fetch-Site`, which page scripts cannot set).
 * - `Sec-Fetch-Site: cross-site` is refused whatever the Origin says.
 * - No Origin at all: every browser in use sends Origin on a cross-origin POST, so a
 *   request without one is a non-browser client (curl, a server integration, the test
 *   client); it has no victim's cookies to ride on, so there is nothing to forge.
 * - Signed webhooks (`/webhooks/*`) prove themselves with a signature or a bearer secret.
 *
 * React Router checks Origin itself but refuses `Origin: null` with a bare 400 and does
 * not know `APP_URL`; a request this guard accepts has its Origin header removed so that
 * second check cannot disagree with this one.
 */
export function createOriginGuard(options: { appUrl?: string; refuse: express.RequestHandler }): express.RequestHandler {
  const publicOrigin = originOf(options.appUrl);
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    if (req.path.startsWith("/webhooks/")) return next();
    const origin = req.headers.origin;
    const fetchSite = req.headers["sec-fetch-site"];
    const ownOrigin = `${req.protocol}://${req.host}`;
    const allowed = (value: string) => value === ownOrigin || (publicOrigin !== null && value === publicOrigin);
    let accepted: boolean;
    if (fetchSite === "cross-site") accepted = false;
    else if (origin === undefined) accepted = true;
    else if (origin === "null") accepted = fetchSite === "same-origin";
    else accepted = allowed(origin);
    if (!accepted) return options.refuse(req, res, next);
    delete req.headers.origin;
    next();
  };
}

/**
 * Bodies the portal's actions read are HTML form posts; anything else (JSON, text, XML)
 * is refused before any route reads it. An empty body without a type is allowed (a bare
 * sign-out button posts one from some clients); the route's reader decides the rest.
 */
export function createFormBodyGuard(options: { refuse: (status: 415) => express.RequestHandler }): express.RequestHandler {
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    if (req.path.startsWith("/webhooks/")) return next();
    const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    if (type === "application/x-www-form-urlencoded" || type === "multipart/form-data") return next();
    if (type === "" && !hasBody(req)) return next();
    return options.refuse(415)(req, res, next);
  };
}

function hasBody(req: express.Request): boolean {
  const length = req.headers["content-length"];
  if (length !== undefined) return Number(length) > 0;
  return req.headers["transfer-encoding"] !== undefined;
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * No address the portal serves has a control character in it (raw or percent-encoded),
 * and PostgreSQL refuses a NUL in any text it is asked to compare: such a URL is a 400
 * page before any loader turns it into a query.
 */
export function createUrlGuard(options: { refuse: express.RequestHandler }): express.RequestHandler {
  // eslint-disable-next-line no-control-regex
  const control = /%[01][0-9a-f]|%7f|[\u0000-\u001f\u007f]/i;
  return (req, res, next) => (control.test(req.originalUrl) ? options.refuse(req, res, next) : next());
}
