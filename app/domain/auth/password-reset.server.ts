import crypto from "node:crypto";
import { getEnv } from "../../../server/env";
import { isLanguage, type Language } from "../../i18n/config";
import { recipientFormatting } from "../mail/recipient-formatting.server";
import { db } from "../../utils/db.server";
import { queueEmail, type EmailTemplate } from "../mail/outbox.server";
import { hashPassword } from "./password.server";

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
 * Sends a reset link when the email belongs to a user. The caller answers the same
 * way either way, so the form cannot be used to find out who has an account.
 */
export async function requestPasswordReset(
  email: string,
  requestLanguage: Language,
  origin: string,
  /** "account_welcome" when a new account's first user sets their password with the same token. */
  template: Extract<EmailTemplate, "password_reset" | "account_welcome"> = "password_reset",
): Promise<void> {
  const user = await db().user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user || !user.active) return;
  const token = crypto.randomBytes(32).toString("base64url");
  const lifetime = LINK_LIFETIME_MS[template];
  const expiresAt = new Date(Date.now() + lifetime);
  await db().passwordResetToken.create({
    data: { userId: user.id, tokenHash: digest(token), expiresAt },
  });
  const language = isLanguage(user.preferredLanguage) ? user.preferredLanguage : requestLanguage;
  const base = getEnv().APP_URL ?? origin;
  // In the reader's own time zone, named, so "until 9:00" means their 9:00.
  const { locale, timeZone } = await recipientFormatting(user, language);
  const expires = new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", day: "numeric", hour: "numeric", minute: "2-digit", timeZone, timeZoneName: "short" }).format(expiresAt);
  await queueEmail({
    to: user.email,
    language,
    template,
    values: { name: user.name, link: `${base}/reset-password?token=${token}`, minutes: lifetime / 60_000, days: lifetime / (24 * HOUR_MS), expires },
  });
}

export type ResetResult = { ok: true } | { ok: false; error: "invalid_token" };

/** Sets a new password and signs the user out everywhere. A token works once. */
export async function resetPassword(token: string, newPassword: string): Promise<ResetResult> {
  const row = await db().passwordResetToken.findUnique({ where: { tokenHash: digest(token) } });
  if (!row || row.usedAt || row.expiresAt < new Date()) return { ok: false, error: "invalid_token" };
  const passwordHash = await hashPassword(newPassword);
  const claimed = await db().$transaction(async (tx) => {
    const used = await tx.passwordResetToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: new Date() } });
    if (used.count !== 1) return false;
    await tx.user.update({ where: { id: row.userId }, data: { passwordHash } });
    await tx.session.deleteMany({ where: { userId: row.userId } });
    await tx.auditLog.create({ data: { actorId: row.userId, entity: "User", entityId: row.userId, action: "password_reset" } });
    return true;
  });
  return claimed ? { ok: true } : { ok: false, error: "invalid_token" };
}

export async function isResetTokenUsable(token: string): Promise<boolean> {
  const row = await db().passwordResetToken.findUnique({ where: { tokenHash: digest(token) } });
  return Boolean(row && !row.usedAt && row.expiresAt > new Date());
}
