import crypto from "node:crypto";
import { publicUrl } from "../../utils/config.server";
import { isLanguage, type Language } from "../../i18n/config";
import { mailReaderFor } from "../mail/recipient-formatting.server";
import { db } from "../../utils/db.server";
import { mailMoment, queueEmail, type EmailTemplate } from "../mail/outbox.server";
import { hashPassword } from "./password.server";
import { announceSessionsEnded } from "./session-events.server";
import { liftSignInLockout } from "./login-throttle.server";
import { log } from "../../utils/logger.server";

const HOUR_MS = 60 * 60 * 1000;

/**
 * How long a link works. A reset is asked for by someone at the keyboard, so an hour
 * is plenty and limits a leaked mail's use; a welcome link reaches a new customer who
 * did not ask for it at that moment (approval may come days after they applied), so it
 * lives a week — still a single-use token, and "Forgot your password?" covers the rest.
 */
export const LINK_LIFETIME_MS = { password_reset: HOUR_MS, account_welcome: 7 * 24 * HOUR_MS } as const;

function digest(token: string) {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/**
 * Sends a reset link when the email belongs to an active user. The caller answers the
 * same way either way, so the form cannot be used to find out who has an account — and
 * neither can its timing: a reset asked for on the form is answered after the one lookup
 * both kinds of address need, and its token and mail are made afterwards, in the
 * background. A welcome link (sent by the portal itself on approval, with nobody to time
 * it) is made before this returns.
 */
export async function requestPasswordReset(
  email: string,
  requestLanguage: Language,
  /** "account_welcome" when a new account's first user sets their password with the same token. */
  template: Extract<EmailTemplate, "password_reset" | "account_welcome"> = "password_reset",
): Promise<void> {
  const user = await db().user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user || !user.active) return;
  const sending = sendPasswordLink(user, requestLanguage, template);
  if (template === "account_welcome") return sending;
  sending.catch((error: unknown) => log().error({ err: error, template }, "password reset mail failed"));
}

async function sendPasswordLink(
  user: { id: string; email: string; name: string; preferredLanguage: string | null; locale: string | null; timeZone: string | null; accountId: string | null },
  requestLanguage: Language,
  template: Extract<EmailTemplate, "password_reset" | "account_welcome">,
): Promise<void> {
  const token = crypto.randomBytes(32).toString("base64url");
  const lifetime = LINK_LIFETIME_MS[template];
  const expiresAt = new Date(Date.now() + lifetime);
  await db().passwordResetToken.create({
    data: { userId: user.id, tokenHash: digest(token), expiresAt },
  });
  const language = isLanguage(user.preferredLanguage) ? user.preferredLanguage : requestLanguage;
  // In the reader's own time zone, named, so "until 9:00" means their 9:00.
  await queueEmail({
    to: user.email,
    reader: await mailReaderFor(user, language),
    template,
    // `expires` is a moment: the renderer names the reader's own zone, so "until 9:00" means their 9:00.
    values: { name: user.name, minutes: lifetime / 60_000, days: lifetime / (24 * HOUR_MS), expires: mailMoment(expiresAt) },
    // The link is the account: it goes to the recipient only, never into the outbox.
    secretValues: { link: publicUrl(`/reset-password?token=${token}`) },
  });
}

export type ResetResult = { ok: true } | { ok: false; error: "invalid_token" };

/**
 * Sets a new password and signs the user out everywhere, sockets included. A token works
 * once, and using one spends every other link the user was sent (an older mail left in
 * an inbox must not reset the password again).
 */
export async function resetPassword(token: string, newPassword: string): Promise<ResetResult> {
  const row = await db().passwordResetToken.findUnique({ where: { tokenHash: digest(token) } });
  if (!row || row.usedAt || row.expiresAt < new Date()) return { ok: false, error: "invalid_token" };
  const passwordHash = await hashPassword(newPassword);
  const claimed = await db().$transaction(async (tx) => {
    const now = new Date();
    const used = await tx.passwordResetToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
    if (used.count !== 1) return null;
    await tx.passwordResetToken.updateMany({ where: { userId: row.userId, usedAt: null }, data: { usedAt: now } });
    const user = await tx.user.update({ where: { id: row.userId }, data: { passwordHash }, select: { email: true } });
    await tx.session.deleteMany({ where: { userId: row.userId } });
    await tx.auditLog.create({ data: { actorId: row.userId, entity: "User", entityId: row.userId, action: "password_reset" } });
    return user;
  });
  if (!claimed) return { ok: false, error: "invalid_token" };
  // The lock message says "or reset your password": now that they have, they can sign in at once.
  await liftSignInLockout(claimed.email);
  // The rows went with the transaction; this ends the sockets that rode on them.
  announceSessionsEnded({ userId: row.userId });
  return { ok: true };
}

export async function isResetTokenUsable(token: string): Promise<boolean> {
  const row = await db().passwordResetToken.findUnique({ where: { tokenHash: digest(token) } });
  return Boolean(row && !row.usedAt && row.expiresAt > new Date());
}
