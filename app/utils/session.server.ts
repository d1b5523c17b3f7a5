import crypto from "node:crypto";
import path from "node:path";
import { createCookieSessionStorage, type Session } from "react-router";
import { getEnv, servedOverHttps } from "./config.server";
import type { User } from "../generated/prisma/client";
import type { SessionUser } from "../domain/auth/session-user";
import { currentDatabase, db } from "./db.server";
import { announceSessionsEnded } from "../domain/auth/session-events.server";
import { persistentSecret } from "./persistent-secret.server";
import { forgetForThisRequest, oncePerRequest } from "./logger.server";

export const SESSION_TTL_MS = 1000 * 60 * 60 * 12;
const SESSION_COOKIE = "__session";
const sessionCookieValue = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]*)`);

/**
 * Without SESSION_SECRET (the embedded default) a random secret is made once and kept
 * beside the embedded database, so sessions survive restarts but no secret is shared
 * between installations.
 */
function sessionSecret(): string {
  const env = getEnv();
  if (env.SESSION_SECRET) return env.SESSION_SECRET;
  return persistentSecret(path.resolve(path.dirname(env.UPLOAD_DIR), "session-secret"), () => crypto.randomBytes(32).toString("hex"));
}

type SessionData = { sessionId: string };
let storage: { secret: string; secure: boolean; instance: ReturnType<typeof createCookieSessionStorage<SessionData>> } | undefined;

export function sessionStorage() {
  const secret = sessionSecret();
  const secure = servedOverHttps();
  if (storage?.secret === secret && storage.secure === secure) return storage.instance;
  const instance = createCookieSessionStorage<SessionData>({
    cookie: {
      name: SESSION_COOKIE,
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure,
      secrets: [secret],
      maxAge: SESSION_TTL_MS / 1000,
    },
  });
  storage = { secret, secure, instance };
  return instance;
}

export async function readSession(cookieHeader: string | null): Promise<Session<SessionData>> {
  return sessionStorage().getSession(cookieHeader);
}

/**
 * The session id a Cookie header carries, if its signature holds. Checking the HMAC
 * is a WebCrypto round trip on every request, and a browser sends the same signed
 * value for hours: a value that verified once maps to the same id for as long as the
 * secret is the same. Only verified values are remembered, at most SESSION_IDS_KEPT.
 */
/** The request says it is signed in (whether the session is still valid is another matter). */
export function carriesSessionCookie(cookieHeader: string | null | undefined): boolean {
  return Boolean(cookieHeader && sessionCookieValue.test(cookieHeader));
}

async function sessionIdFromCookie(cookieHeader: string | null | undefined): Promise<string | null> {
  if (!cookieHeader) return null;
  const value = sessionCookieValue.exec(cookieHeader)?.[1];
  if (!value) return null;
  const key = `${sessionSecret()}\u0000${value}`;
  const known = verifiedSessionIds.get(key);
  if (known) return known;
  const sessionId = (await readSession(cookieHeader)).get("sessionId");
  if (typeof sessionId !== "string") return null;
  if (verifiedSessionIds.size >= SESSION_IDS_KEPT) verifiedSessionIds.delete(verifiedSessionIds.keys().next().value!);
  verifiedSessionIds.set(key, sessionId);
  return sessionId;
}
const SESSION_IDS_KEPT = 20_000;
const verifiedSessionIds = new Map<string, string>();

/** The signed-in user behind a Cookie header, or null (used by loaders and sockets). */
export async function userFromCookie(cookieHeader: string | null | undefined) {
  return (await signedInFromCookie(cookieHeader))?.user ?? null;
}

/**
 * The live session behind a Cookie header and its user; a socket keeps the id to check it
 * again later. Looked up once per request: the page cache, the root loader, the layout's
 * and the page's all ask.
 */
export function signedInFromCookie(cookieHeader: string | null | undefined): Promise<{ sessionId: string; user: SessionUser } | null> {
  return oncePerRequest(`${SIGNED_IN}${cookieHeader ?? ""}`, () => lookUpSignedIn(cookieHeader));
}
const SIGNED_IN = "signed-in:";

async function lookUpSignedIn(cookieHeader: string | null | undefined): Promise<{ sessionId: string; user: SessionUser } | null> {
  const sessionId = await sessionIdFromCookie(cookieHeader);
  if (!sessionId) return null;
  // Every page and socket connection asks this, so it is one plain statement on the
  // driver: Prisma would compile the same query anew for each request.
  const [row] = await currentDatabase().sql.query<SessionUserRow>(
    `SELECT u.id, u.email, u.name, u."passwordHash", u.role::text AS role, u."staffLevel"::text AS "staffLevel", u."accountId",
            u."preferredLanguage", u.locale, u."timeZone", u.languages, u."chatCapacity", u.presence::text AS presence,
            u."presenceChangedAt" AT TIME ZONE 'UTC' AS "presenceChangedAt", u."lastChatAssignedAt" AT TIME ZONE 'UTC' AS "lastChatAssignedAt",
            u.active, u."createdAt" AT TIME ZONE 'UTC' AS "createdAt", u."updatedAt" AT TIME ZONE 'UTC' AS "updatedAt",
            a.id AS "account_id", a.number AS "account_number", a."legalName" AS "account_legalName", a.currency AS "account_currency", a.status::text AS "account_status",
            a."ledgerVersion"::text AS "account_ledgerVersion",
            a.locale AS "account_locale", a."timeZone" AS "account_timeZone"
       FROM "Session" s
       JOIN "User" u ON u.id = s."userId"
       LEFT JOIN "Account" a ON a.id = u."accountId"
      WHERE s.id = $1 AND s."expiresAt" > (now() AT TIME ZONE 'UTC') AND u.active`,
    [sessionId],
    // Prepared once per connection: PostgreSQL then skips parsing and planning the join on every request.
    "session-user",
  );
  if (!row) return null;
  const { account_id, account_number, account_legalName, account_currency, account_status, account_ledgerVersion, account_locale, account_timeZone, ...user } =
    row;
  return {
    sessionId,
    user: {
      ...user,
      account: account_id
        ? {
            id: account_id,
            number: account_number!,
            legalName: account_legalName!,
            currency: account_currency!,
            status: account_status!,
            ledgerVersion: account_ledgerVersion!,
            locale: account_locale!,
            timeZone: account_timeZone!,
          }
        : null,
    } as SessionUser,
  };
}

/**
 * Which of these sessions still let someone in: not deleted, not expired, user still
 * active. One statement for many, so a server can re-check all its sockets at once.
 */
export async function liveSessionIds(sessionIds: string[]): Promise<Set<string>> {
  if (!sessionIds.length) return new Set();
  const live = await db().session.findMany({
    where: { id: { in: sessionIds }, expiresAt: { gt: new Date() }, user: { active: true } },
    select: { id: true },
  });
  return new Set(live.map((s) => s.id));
}

type SessionUserRow = Omit<User, "account"> & {
  account_id: string | null;
  account_number: string | null;
  account_legalName: string | null;
  account_currency: string | null;
  account_status: string | null;
  account_ledgerVersion: string | null;
  account_locale: string | null;
  account_timeZone: string | null;
};

export async function startSession(userId: string, userAgent: string | null): Promise<string> {
  // Expired sessions are swept per user at sign-in, so the table does not grow forever.
  await db().session.deleteMany({ where: { userId, expiresAt: { lt: new Date() } } });
  const row = await db().session.create({
    data: { userId, userAgent: userAgent?.slice(0, 255) ?? null, expiresAt: new Date(Date.now() + SESSION_TTL_MS) },
  });
  const session = await sessionStorage().getSession();
  session.set("sessionId", row.id);
  return sessionStorage().commitSession(session);
}

export async function endSession(cookieHeader: string | null): Promise<string> {
  const session = await readSession(cookieHeader);
  const sessionId = session.get("sessionId");
  if (typeof sessionId === "string") {
    await db().session.deleteMany({ where: { id: sessionId } });
    forgetForThisRequest(SIGNED_IN);
    announceSessionsEnded({ sessionId });
  }
  return sessionStorage().destroySession(session);
}

/**
 * Signs a user out on every device: their sessions and the sockets riding on them end.
 * Deactivating a user calls this too (a socket whose user is no longer active is also
 * ended when its session is next checked, whoever changed the row).
 */
export async function endAllSessions(userId: string): Promise<void> {
  await db().session.deleteMany({ where: { userId } });
  forgetForThisRequest(SIGNED_IN);
  announceSessionsEnded({ userId });
}
