import { data, redirect } from "react-router";
import { userFromCookie, type SessionUser } from "./session.server";

/**
 * The one authorization helper. Every loader and action starts with one of these;
 * a customer's account comes from their session, never from the URL or a form.
 */

// Root and leaf loaders of one request share the lookup.
const usersByRequest = new WeakMap<Request, Promise<SessionUser | null>>();

export function optionalUser(request: Request): Promise<SessionUser | null> {
  let user = usersByRequest.get(request);
  if (!user) {
    user = userFromCookie(request.headers.get("Cookie"));
    usersByRequest.set(request, user);
  }
  return user;
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await optionalUser(request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

export type CustomerUser = SessionUser & { accountId: string };

export async function requireCustomer(request: Request): Promise<CustomerUser> {
  const user = await requireUser(request);
  if (user.role !== "CUSTOMER" || !user.accountId) throw data({ reason: "forbidden" }, { status: 403 });
  return user as CustomerUser;
}

export async function requireStaff(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (user.role !== "REP" && user.role !== "MANAGER") throw data({ reason: "forbidden" }, { status: 403 });
  return user;
}

/** Staff reach every account; a customer only their own — anything else is "not found". */
export function assertAccountAccess(user: SessionUser, accountId: string): void {
  if (user.role === "REP" || user.role === "MANAGER") return;
  if (user.accountId !== accountId) throw data({ reason: "not_found" }, { status: 404 });
}

export function homePathFor(user: Pick<SessionUser, "role">): string {
  return user.role === "CUSTOMER" ? "/account" : "/rep";
}

/** Only same-site relative paths are followed after sign-in or a language switch. */
export function safeRedirectPath(value: unknown, fallback: string): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  return value;
}
