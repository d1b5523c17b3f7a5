/**
 * A new company's way back to its application. It has no sign-in until it is approved,
 * and the draft cookie lives in one browser only, so every email that asks it to act
 * (the submit confirmation, a question, a counter-offer) carries a link with a long
 * random token. Only the token's SHA-256 is stored; a link works until its expiry
 * (`credit.statusLinkDays`), for that one application only.
 */
import crypto from "node:crypto";
import { db } from "../../utils/db.server";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Used only if the policy row is missing (a database migrated before it existed is given one by the migration). */
const DEFAULT_LINK_DAYS = 90;
const DEFAULT_OFFER_DAYS = 14;

function digest(token: string) {
  return crypto.createHash("sha256").update(token).digest("hex");
}

async function policyDays(key: string, fallback: number): Promise<number> {
  const row = await db().policySetting.findUnique({ where: { key } });
  const days = Number(row?.value);
  return Number.isFinite(days) && days > 0 ? days : fallback;
}

/** How long a counter-offer can be accepted (policy `credit.counterOfferValidDays`). */
export async function counterOfferExpiry(from = new Date()): Promise<Date> {
  return new Date(from.getTime() + (await policyDays("credit.counterOfferValidDays", DEFAULT_OFFER_DAYS)) * DAY_MS);
}

/** Mints a new link for the application; returns its path (the token lives only there and in the email). */
export async function issueStatusLink(applicationId: string): Promise<string> {
  const token = crypto.randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + (await policyDays("credit.statusLinkDays", DEFAULT_LINK_DAYS)) * DAY_MS);
  await db().creditApplicationStatusLink.create({ data: { applicationId, tokenHash: digest(token), expiresAt } });
  return statusPath(token);
}

export function statusPath(token: string): string {
  return `/credit/applications/status/${token}`;
}

/** The application a token opens, or null when it is unknown, malformed or expired. */
export async function applicationIdForToken(token: string): Promise<string | null> {
  if (!/^[\w-]{32,64}$/.test(token)) return null;
  const link = await db().creditApplicationStatusLink.findUnique({ where: { tokenHash: digest(token) }, select: { applicationId: true, expiresAt: true } });
  if (!link || link.expiresAt.getTime() <= Date.now()) return null;
  return link.applicationId;
}

/** A new company's application, reached through its status link, with its events and documents. */
export async function applicationByStatusToken(token: string) {
  const id = await applicationIdForToken(token);
  if (!id) return null;
  return db().creditApplication.findUnique({
    where: { id },
    include: { events: { orderBy: { createdAt: "asc" } }, documents: { orderBy: { createdAt: "asc" }, select: { id: true, fileName: true, kind: true } } },
  });
}
