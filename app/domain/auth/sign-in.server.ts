import { db } from "../../utils/db.server";
import { checkLoginAllowed, recordFailedLogin, recordSuccessfulLogin } from "./login-throttle.server";
import { verifyPassword } from "./password.server";

export type SignInResult =
  | { ok: true; userId: string; role: "CUSTOMER" | "REP" | "MANAGER" }
  | { ok: false; error: "invalid_credentials" }
  | { ok: false; error: "too_many_attempts"; retryAfterSeconds: number };

/** Checks a sign-in (throttled per email and client address); the caller starts the session. */
export async function signIn(input: { email: string; password: string; ip: string }): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const verdict = await checkLoginAllowed(email, input.ip);
  if (!verdict.allowed) return { ok: false, error: "too_many_attempts", retryAfterSeconds: verdict.retryAfterSeconds };

  const user = await db().user.findUnique({ where: { email }, select: { id: true, passwordHash: true, role: true, active: true } });
  const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !valid || !user.active) {
    await recordFailedLogin(email, input.ip);
    return { ok: false, error: "invalid_credentials" };
  }
  await recordSuccessfulLogin(email, input.ip);
  return { ok: true, role: user.role, userId: user.id };
}
