import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createCookieSessionStorage, type Session } from "react-router";
import { getEnv } from "../../../server/env";
import { db } from "../../utils/db.server";

export const SESSION_TTL_MS = 1000 * 60 * 60 * 12;

/**
 * Without SESSION_SECRET (the embedded default) a random secret is made once and kept
 * beside the embedded database, so sessions survive restarts but no secret is shared
 * between installations.
 */
function sessionSecret(): string {
  const env = getEnv();
  if (env.SESSION_SECRET) return env.SESSION_SECRET;
  const file = path.resolve(path.dirname(env.UPLOAD_DIR), "session-secret");
  let secret = secretsByFile.get(file);
  if (!secret) {
    try {
      secret = fs.readFileSync(file, "utf8").trim();
    } catch {
      secret = crypto.randomBytes(32).toString("hex");
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, secret, { mode: 0o600 });
    }
    secretsByFile.set(file, secret);
  }
  return secret;
}
const secretsByFile = new Map<string, string>();

type SessionData = { sessionId: string };
let storage: { secret: string; instance: ReturnType<typeof createCookieSessionStorage<SessionData>> } | undefined;

export function sessionStorage() {
  const secret = sessionSecret();
  if (storage?.secret === secret) return storage.instance;
  const instance = createCookieSessionStorage<SessionData>({
    cookie: {
      name: "__session",
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: getEnv().APP_URL?.startsWith("https://") ?? false,
      secrets: [secret],
      maxAge: SESSION_TTL_MS / 1000,
    },
  });
  storage = { secret, instance };
  return instance;
}

export async function readSession(cookieHeader: string | null): Promise<Session<SessionData>> {
  return sessionStorage().getSession(cookieHeader);
}

/** The signed-in user behind a Cookie header, or null (used by loaders and sockets). */
export async function userFromCookie(cookieHeader: string | null | undefined) {
  if (!cookieHeader) return null;
  const session = await readSession(cookieHeader);
  const sessionId = session.get("sessionId");
  if (typeof sessionId !== "string") return null;
  const row = await db().session.findUnique({
    where: { id: sessionId },
    include: { user: { include: { account: { select: { id: true, number: true, legalName: true, currency: true, status: true } } } } },
  });
  if (!row || row.expiresAt < new Date() || !row.user.active) return null;
  return row.user;
}

export type SessionUser = NonNullable<Awaited<ReturnType<typeof userFromCookie>>>;

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
  if (typeof sessionId === "string") await db().session.deleteMany({ where: { id: sessionId } });
  return sessionStorage().destroySession(session);
}
