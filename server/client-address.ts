import type http from "node:http";
import proxyaddr from "proxy-addr";
import type { Env } from "../app/utils/config.server";

/**
 * The client's address exactly as Express's `req.ip` gives it under the configured
 * TRUST_PROXY, for requests Express never sees (Socket.IO handshakes): throttles keyed by
 * client must not be dodged by a forged X-Forwarded-For, nor lump everyone behind a
 * trusted proxy together.
 */
export function clientAddressOf(request: http.IncomingMessage, trustProxy: Env["TRUST_PROXY"]): string {
  const trust =
    trustProxy === false ? () => false : typeof trustProxy === "number" ? (_address: string, hop: number) => hop < trustProxy : proxyaddr.compile(trustProxy);
  return proxyaddr(request, trust);
}
