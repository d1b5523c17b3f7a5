import { data, redirect } from "react-router";
import type { SessionUser } from "../domain/auth/session-user";
import { userFromCookie } from "./session.server";

/**
 * The one authorization helper. Every loader and action starts with one of these;
 * a customer's account comes from their session, never from the URL or a form.
 */

export function optionalUser(request: Request): Promise<SessionUser | null> {
  return userFromCookie(request.headers.get("Cookie"));
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await optionalUser(request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

export type CustomerUser = SessionUser & { accountId: string; account: NonNullable<SessionUser["account"]> };

export async function requireCustomer(request: Request): Promise<CustomerUser> {
  const user = await requireUser(request);
  if (user.role !== "CUSTOMER" || !user.accountId || !user.account) throw data({ reason: "forbidden" }, { status: 403 });
  return user as CustomerUser;
}

export async function requireStaff(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (user.role !== "REP" && user.role !== "MANAGER") throw data({ reason: "forbidden" }, { status: 403 });
  return user;
}

/** Staff reach every account; a customer only their own. */
export function mayReadAccount(user: SessionUser, accountId: string): boolean {
  return user.role === "REP" || user.role === "MANAGER" || user.accountId === accountId;
}

/** Staff reach every account; a customer only their own — anything else is "not found". */
export function assertAccountAccess(user: SessionUser, accountId: string): void {
  if (!mayReadAccount(user, accountId)) throw data({ reason: "not_found" }, { status: 404 });
}

export function homePathFor(user: Pick<SessionUser, "role">): string {
  return user.role === "CUSTOMER" ? "/account" : "/rep";
}

/**
 * Only same-site relative paths are followed after sign-in or a language switch.
 * Browsers drop tab and newline characters from URLs, so `/\t/evil.example` becomes
 * `//evil.example` (another site); a control character anywhere (raw or percent-encoded
 * before the path is decoded, as in `/%09/evil.example`) refuses the path, and a CR/LF
 * could not go into a Location header anyway.
 */
export function safeRedirectPath(value: unknown, fallback: string): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.length > 2048) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return fallback;
  }
  for (const candidate of [value, decoded]) {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(candidate)) return fallback;
    if (candidate.startsWith("//") || candidate.startsWith("/\\")) return fallback;
  }
  return value;
}
