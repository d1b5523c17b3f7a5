import { createCookie, type Cookie, type CookieOptions } from "react-router";
import { servedOverHttps } from "./config.server";

/**
 * A cookie of the portal's: `Secure` whenever APP_URL is https. Decided when the cookie
 * is written, not when the module loads, because the setting belongs to the server
 * that runs (tests start several in one process) — and never from the request, whose
 * scheme a client or an untrusted proxy can claim.
 */
export function portalCookie(name: string, options: Omit<CookieOptions, "secure">): Cookie {
  const cookie = createCookie(name, options);
  return {
    get name() {
      return cookie.name;
    },
    get isSigned() {
      return cookie.isSigned;
    },
    get expires() {
      return cookie.expires;
    },
    parse: (header, parseOptions) => cookie.parse(header, parseOptions),
    serialize: (value, serializeOptions) => cookie.serialize(value, { ...serializeOptions, secure: servedOverHttps() }),
  };
}
