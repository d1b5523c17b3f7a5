import crypto from "node:crypto";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../prisma/demo-users";
import { startPortal, type Browser, type TestPortal } from "../support/portal";
import { connected } from "../support/sockets";
import { resetPathIn, startMailCatcher, type MailCatcher } from "../support/mail-catcher";

let portal: TestPortal;
let mailbox: MailCatcher;
const sockets: Socket[] = [];
beforeAll(async () => {
  // Sessions changed behind the portal's back are found within a second.
  // Reset links go only to the delivered mail, so it is delivered to a catcher.
  mailbox = await startMailCatcher();
  portal = await startPortal({ SESSION_RECHECK_SECONDS: "1", SMTP_URL: mailbox.url });
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await portal?.close();
  await mailbox?.close();
});

function open(cookie?: string) {
  const socket = connect(portal.url, { transports: ["websocket"], extraHeaders: cookie ? { Cookie: cookie } : {}, reconnection: false });
  sockets.push(socket);
  return socket;
}

describe("socket connection", () => {
  it("refuses a socket without a session", async () => {
    const socket = open();
    const error = await new Promise<Error>((resolve) => socket.on("connect_error", resolve));
    expect(error.message).toBe("unauthorized");
  });

  it("refuses a forged session cookie", async () => {
    const socket = open("__session=eyJzZXNzaW9uSWQiOiJ4In0%3D.forged");
    const error = await new Promise<Error>((resolve) => socket.on("connect_error", resolve));
    expect(error.message).toBe("unauthorized");
  });

  it("authenticates from the session cookie and answers the health event", async () => {
    const browser = await portal.signedIn("ap@acme-industrial.example");
    const socket = open(browser.cookieHeader());
    await new Promise<void>((resolve, reject) => {
      socket.on("connect", resolve);
      socket.on("connect_error", reject);
    });
    const reply = await socket.emitWithAck("system:health");
    const user = await portal.db.user.findUniqueOrThrow({ where: { email: "ap@acme-industrial.example" } });
    expect(reply.data.ok).toBe(true);
    expect(reply.data.user).toEqual({ id: user.id, role: "CUSTOMER" });
  });
});

/** Resolves with the reason once the server ends the socket. */
const ended = (socket: Socket) => new Promise<string>((resolve) => socket.on("disconnect", (reason) => resolve(reason)));

async function socketOf(browser: Browser) {
  const socket = open(browser.cookieHeader());
  await connected(socket);
  return socket;
}

/** A customer of their own (sessions, password and active flag are changed here). */
async function newCustomer() {
  const ap = await portal.db.user.findUniqueOrThrow({ where: { email: "ap@acme-industrial.example" } });
  const email = `clerk-${crypto.randomUUID().slice(0, 8)}@acme-industrial.example`;
  const user = await portal.db.user.create({ data: { email, name: "Clerk Test", passwordHash: ap.passwordHash, role: "CUSTOMER", accountId: ap.accountId } });
  return { user, email };
}

async function refused(cookie: string) {
  const socket = open(cookie);
  return (await new Promise<Error>((resolve) => socket.on("connect_error", resolve))).message;
}

describe("a socket lives only as long as its session", () => {
  it("signing out ends that session's sockets at once; the user's other session keeps its own", async () => {
    const { email } = await newCustomer();
    const here = await portal.signedIn(email);
    const elsewhere = await portal.signedIn(email);
    const [first, second, other] = [await socketOf(here), await socketOf(here), await socketOf(elsewhere)];
    const cookie = here.cookieHeader();
    const firstEnded = ended(first);
    const secondEnded = ended(second);
    expect((await here.post("/logout", {})).status).toBe(302);
    expect(await firstEnded).toBe("io server disconnect");
    expect(await secondEnded).toBe("io server disconnect");
    expect(await refused(cookie)).toBe("unauthorized");
    // Nothing more goes out on the ended sockets; the other device still works.
    expect(first.connected).toBe(false);
    expect((await other.emitWithAck("system:health")).data.ok).toBe(true);
    expect(other.connected).toBe(true);
  });

  it("a password reset ends every session and socket of the user", async () => {
    const { user, email } = await newCustomer();
    const a = await portal.signedIn(email);
    const b = await portal.signedIn(email);
    const [socketA, socketB] = [await socketOf(a), await socketOf(b)];
    const [endedA, endedB] = [ended(socketA), ended(socketB)];
    expect((await portal.browser().post("/forgot-password", { email })).status).toBe(200);
    const mail = await mailbox.waitFor(email, /reset-password/);
    const token = new URLSearchParams(resetPathIn(mail.text).split("?")[1]).get("token")!;
    expect((await portal.browser().post("/reset-password", { token, password: "Fresh-Password-2026", confirm: "Fresh-Password-2026" })).status).toBe(302);
    expect(await endedA).toBe("io server disconnect");
    expect(await endedB).toBe("io server disconnect");
    expect(await portal.db.session.count({ where: { userId: user.id } })).toBe(0);
    for (const browser of [a, b]) {
      expect((await browser.get("/account")).status).toBe(302);
      expect(await refused(browser.cookieHeader())).toBe("unauthorized");
    }
    expect((await portal.browser().post("/login", { email, password: DEMO_PASSWORD })).status).toBe(401);
  });

  it("a user deactivated in the database (by anyone, any process) loses an idle socket within the re-check period", async () => {
    const { user, email } = await newCustomer();
    const socket = await socketOf(await portal.signedIn(email));
    const gone = ended(socket);
    await portal.db.user.update({ where: { id: user.id }, data: { active: false } });
    expect(await gone).toBe("io server disconnect");
  });

  it("a session deleted in the database is checked on the next event that opens something: refused, and the socket ends", async () => {
    const { user, email } = await newCustomer();
    const socket = await socketOf(await portal.signedIn(email));
    const gone = ended(socket);
    await portal.db.session.deleteMany({ where: { userId: user.id } });
    expect(await socket.emitWithAck("conversation:open", { topic: "OTHER" })).toEqual({ error: "chat:errors.signedOut" });
    expect(await gone).toBe("io server disconnect");
    expect(await portal.db.conversation.count({ where: { customerUserId: user.id } })).toBe(0);
  });
});
