/**
 * The authorization matrix: every role × every route in app/routes.ts and every event of
 * the socket contract, against an explicit table of who may use what. Both the route list
 * and the event list are read from the source when the test runs, so a new route or event
 * without an entry in the tables below fails here until someone decides who may use it.
 */
import fs from "node:fs";
import path from "node:path";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, type Browser, type TestPortal } from "../support/portal";
import { idsOf, portalRoutes, urlOf, type Ids } from "../support/route-table";
import { connected, record } from "../support/sockets";

/**
 * Who may GET a route:
 * - public: anyone; a guest sees the page (signed-in people may be sent to their home)
 * - action-only: a form target with no page of its own; a GET never shows anything
 * - customer-own: customers, their own account only; guests sign in first; staff refused
 * - applicant: customers and new companies (a guest with a draft cookie); staff refused
 * - owner-or-staff: a file; the customer whose account it is, or staff
 * - staff-only: reps and managers; guests sign in first; customers refused
 * - staff-redirect: like staff-only, but staff are sent on to another page (a form target or "next account")
 * - manager-only: managers; reps and customers refused
 * - supervisor-or-manager: senior staff and managers; other reps and customers refused
 * - token: whoever holds the link's token (a missing or made-up token finds nothing)
 * - webhook: machines posting with a signature or secret; a GET is refused
 * - not-found: the catch-all
 */
type Access =
  | "public"
  | "action-only"
  | "customer-own"
  | "applicant"
  | "owner-or-staff"
  | "staff-only"
  | "staff-redirect"
  | "manager-only"
  | "supervisor-or-manager"
  | "token"
  | "webhook"
  | "not-found";

const ROUTES: Record<string, Access> = {
  "": "public",
  login: "public",
  logout: "action-only",
  "forgot-password": "public",
  "reset-password": "token",
  "set-language": "action-only",
  account: "customer-own",
  rep: "staff-only",
  "rep/accounts/:accountId": "staff-only",
  outbox: "staff-only",
  invoices: "customer-own",
  "invoices/:invoiceId": "customer-own",
  "invoices/:invoiceId/pdf": "customer-own",
  statement: "customer-own",
  "statement.pdf": "customer-own",
  "statement.csv": "customer-own",
  pay: "customer-own",
  "payments/:paymentId": "customer-own",
  "payments/:paymentId/pdf": "customer-own",
  "sandbox/stripe/checkout/:sessionId": "customer-own",
  disputes: "customer-own",
  "disputes/new": "customer-own",
  "disputes/:disputeId": "customer-own",
  "disputes/:disputeId/attachments/:attachmentId": "owner-or-staff",
  "credit-memos/:memoId/pdf": "owner-or-staff",
  "rep/payments": "staff-only",
  "rep/payments/:paymentId": "staff-only",
  "rep/disputes": "staff-only",
  "rep/disputes/:disputeId": "staff-only",
  help: "public",
  "rep/chat": "staff-only",
  "rep/chat/accounts/:accountId": "staff-only",
  "rep/chat/hours": "manager-only",
  "rep/chat/policy": "supervisor-or-manager",
  "rep/settings": "staff-only",
  "webhooks/inbound-email": "webhook",
  credit: "customer-own",
  "credit/apply": "applicant",
  "credit/applications/status/:token": "token",
  "credit/documents/:documentId": "owner-or-staff",
  "rep/credit": "staff-only",
  "rep/credit/applications/:applicationId": "staff-only",
  "rep/credit/held-orders": "staff-only",
  "rep/credit/accounts/:accountId": "staff-only",
  "rep/chat/conversations/:conversationId/actions": "staff-only",
  "rep/collections": "staff-only",
  "rep/collections/next": "staff-redirect",
  "rep/collections/write-offs": "staff-only",
  "rep/collections/final-demands": "staff-only",
  "rep/notes": "staff-only",
  "rep/day": "staff-only",
  "rep/reviews/:accountId": "staff-only",
  "rep/accounts/:accountId/signals": "staff-redirect",
  "rep/accounts/:accountId/log": "staff-redirect",
  "rep/accounts/:accountId/delivery": "staff-redirect",
  "webhooks/edi/997": "webhook",
  "rep/accounts/:accountId/timeline.csv": "staff-only",
  "rep/accounts/:accountId/timeline.pdf": "staff-only",
  promises: "customer-own",
  "collections/letters/:letterId": "owner-or-staff",
  "rep/dashboard": "staff-only",
  "rep/dashboard.csv": "staff-only",
  "rep/dashboard/objectives": "manager-only",
  "*": "not-found",
};

/** Pages that are about one record named in the query string rather than the path. */
const QUERIES: Record<string, (ids: Ids) => string> = {
  "disputes/new": (ids) => `?invoice=${encodeURIComponent(ids.invoiceId)}`,
  "rep/dashboard.csv": () => "?table=receivables",
};

type Role = {
  name: string;
  email: string | null;
  kind: "guest" | "customer" | "rep" | "manager";
};
const ROLES: Role[] = [
  { name: "guest", email: null, kind: "guest" },
  ...["ap@acme-industrial.example", "cxp@distnorte.example", "admin@herramientas-ibericas.example", "billing@pacificcoast.example"].map((email) => ({
    name: email,
    email,
    kind: "customer" as const,
  })),
  ...["rep1", "rep2", "rep3", "senior"].map((who) => ({
    name: who,
    email: `${who}@accounts.example`,
    kind: "rep" as const,
  })),
  { name: "manager", email: "manager@accounts.example", kind: "manager" },
];

/** What a GET may answer: a set of statuses, or a redirect to the sign-in page. */
type Outcome = { statuses: number[]; login?: true };
const LOGIN: Outcome = { statuses: [302], login: true };
const FORBIDDEN: Outcome = { statuses: [403] };
const NOT_FOUND: Outcome = { statuses: [404] };

function expected(access: Access, role: Role, ownIdMissing: boolean): Outcome {
  const staff = role.kind === "rep" || role.kind === "manager";
  // A customer's own page for a record their account does not have is simply not found.
  const own: Outcome = ownIdMissing ? NOT_FOUND : { statuses: [200] };
  switch (access) {
    case "public":
      return role.kind === "guest" ? { statuses: [200] } : { statuses: [200, 302] };
    case "action-only":
      return { statuses: [302, 405] };
    case "customer-own":
      return role.kind === "guest" ? LOGIN : staff ? FORBIDDEN : own;
    case "applicant":
      return staff ? FORBIDDEN : { statuses: [200] };
    case "owner-or-staff":
      // A guest holds no file (a new company's draft documents need its cookie): not found or sign in.
      return role.kind === "guest" ? { statuses: [302, 404] } : own;
    case "staff-only":
      return role.kind === "guest" ? LOGIN : staff ? own : FORBIDDEN;
    case "staff-redirect":
      return role.kind === "guest" ? LOGIN : staff ? { statuses: [302] } : FORBIDDEN;
    case "manager-only":
      return role.kind === "guest" ? LOGIN : role.kind === "manager" ? { statuses: [200] } : FORBIDDEN;
    case "supervisor-or-manager":
      return role.kind === "guest" ? LOGIN : role.kind === "manager" || role.name === "senior" ? { statuses: [200] } : FORBIDDEN;
    case "token":
      return { statuses: [400, 404] };
    case "not-found":
      return NOT_FOUND;
    case "webhook":
      return { statuses: [404, 405] };
  }
}

/**
 * Who may use a socket event: customer (signed-in customer), guest (a guest chat token
 * from the help page, good for its one conversation), staff (reps and managers).
 * A socket with neither a session nor a token is refused at the handshake ("none").
 */
type SocketRole = "customer" | "guest" | "staff";
const EVENTS: Record<string, SocketRole[]> = {
  "conversation:open": ["customer"],
  "conversation:join": ["customer", "guest"],
  "conversation:send": ["customer", "guest"],
  "conversation:typing": ["customer", "guest"],
  "conversation:read": ["customer", "guest"],
  "conversation:leave-message": ["customer", "guest"],
  "conversation:transcript": ["customer", "guest"],
  "console:inbox": ["staff"],
  "console:settings": ["staff"],
  "console:join": ["staff"],
  "console:accept": ["staff"],
  "console:send": ["staff"],
  "console:typing": ["staff"],
  "console:read": ["staff"],
  "console:transfer": ["staff"],
  "console:close": ["staff"],
  "console:dismiss-spam": ["staff"],
  "system:health": ["customer", "guest", "staff"],
};

/** Event names of a `{ "name": (…) => void; … }` type in a source file, read from its text. */
function eventNames(file: string, typeName: string): string[] {
  const source = fs.readFileSync(path.resolve(file), "utf8");
  const declared = source.indexOf(`export type ${typeName} =`);
  if (declared < 0) throw new Error(`${typeName} not found in ${file}`);
  // The declaration's own braces (an intersection such as `A & { … }` included).
  const start = source.indexOf("{", declared);
  const body = source.slice(start, source.indexOf("\n};", start));
  return [...body.matchAll(/^\s*"([a-z-]+:[a-z-]+)"\s*:/gm)].map((m) => m[1]);
}

let portal: TestPortal;
const browsers = new Map<string, Browser>();
const sockets: Socket[] = [];
let acme: Ids;
let acmeAccount: { number: string; legalName: string };
const ownIds = new Map<string, Ids>();
/** Each customer's foreign account: the next customer in the list. */
const foreign = new Map<string, { ids: Ids; number: string; legalName: string }>();

beforeAll(async () => {
  portal = await startPortal();
  const customers = ROLES.filter((r) => r.kind === "customer");
  for (const [i, role] of customers.entries()) {
    const user = await portal.db.user.findUniqueOrThrow({
      where: { email: role.email! },
      include: { account: true },
    });
    ownIds.set(role.name, await idsOf(portal.db, user.account!.number));
    const other = customers[(i + 1) % customers.length];
    const otherUser = await portal.db.user.findUniqueOrThrow({
      where: { email: other.email! },
      include: { account: true },
    });
    foreign.set(role.name, {
      ids: {},
      number: otherUser.account!.number,
      legalName: otherUser.account!.legalName,
    });
  }
  for (const f of foreign.values()) f.ids = await idsOf(portal.db, f.number);
  acmeAccount = await portal.db.account.findUniqueOrThrow({
    where: { number: "ACC-1001" },
    select: { number: true, legalName: true },
  });
  acme = await idsOf(portal.db, "ACC-1001");
  for (const role of ROLES) browsers.set(role.name, role.email ? await portal.signedIn(role.email) : portal.browser());
}, 60_000);
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await portal?.close();
});

describe("the route table", () => {
  it("has exactly one entry per route in app/routes.ts", () => {
    const paths = portalRoutes().map((r) => r.path);
    expect(
      paths.filter((p) => !(p in ROUTES)),
      "routes without an entry in ROUTES",
    ).toEqual([]);
    expect(
      Object.keys(ROUTES).filter((p) => !paths.includes(p)),
      "entries in ROUTES without a route",
    ).toEqual([]);
  });
});

describe("every role × every route (GET)", () => {
  it("answers as the table says, never with a 500", async () => {
    const failures: string[] = [];
    const routes = portalRoutes().filter((r) => r.path in ROUTES);
    // Roles side by side (GETs change nothing), routes one after another within a role.
    await Promise.all(
      ROLES.map(async (role) => {
        const browser = browsers.get(role.name)!;
        const ids = role.kind === "customer" ? ownIds.get(role.name)! : acme;
        for (const route of routes) {
          const url = urlOf(route.path, ids) + (QUERIES[route.path]?.(ids) ?? "");
          const res = await browser.get(url);
          await res.arrayBuffer();
          const want = expected(ROUTES[route.path], role, url.includes("missing-id-0000"));
          const location = res.headers.get("location") ?? "";
          const ok = res.status < 500 && want.statuses.includes(res.status) && (!want.login || location.startsWith("/login"));
          if (!ok) failures.push(`${role.name} GET ${url} (${ROUTES[route.path]}): ${res.status} ${location}`);
        }
      }),
    );
    expect(failures).toEqual([]);
  }, 240_000);

  it("never shows a customer another account's records, by GET or POST", async () => {
    const failures: string[] = [];
    const withParams = portalRoutes().filter((r) => r.path.includes(":") && r.path in ROUTES);
    expect(withParams.length).toBeGreaterThanOrEqual(15);
    for (const role of ROLES.filter((r) => r.kind === "customer")) {
      const browser = browsers.get(role.name)!;
      const other = foreign.get(role.name)!;
      for (const route of withParams) {
        const url = urlOf(route.path, other.ids);
        const requests: [string, RequestInit][] = [["GET", { method: "GET" }]];
        // An action named by someone else's id must refuse too; an empty form keeps it from doing anything valid.
        if (route.hasAction) requests.push(["POST", { method: "POST", body: new URLSearchParams({ intent: "probe" }) }]);
        for (const [method, init] of requests) {
          const res = await browser.request(url, init);
          // The seed's ids spell their account's number (inv_ACC-1002_0001): the page may echo
          // the URL it was asked for, so the ids are taken out before looking for the number.
          const body = Object.values(other.ids).reduce((text, id) => text.split(id).join(""), await res.text());
          const location = res.headers.get("location") ?? "";
          const refused = [400, 403, 404, 405].includes(res.status) || (res.status >= 300 && res.status < 400 && !location.includes(other.ids.accountId));
          if (!refused) failures.push(`${role.name} ${method} ${url}: ${res.status}`);
          for (const secret of [other.number, other.legalName]) if (body.includes(secret)) failures.push(`${role.name} ${method} ${url}: shows ${secret}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);

  it("refuses staff-only and manager-only routes to customers and guests, for POST as well", async () => {
    const failures: string[] = [];
    const staffRoutes = portalRoutes().filter((r) => ROUTES[r.path] === "staff-only" || ROUTES[r.path] === "manager-only");
    for (const role of ROLES.filter((r) => r.kind === "guest" || r.kind === "customer")) {
      const browser = browsers.get(role.name)!;
      for (const route of staffRoutes.filter((r) => r.hasAction)) {
        const url = urlOf(route.path, acme);
        const res = await browser.request(url, {
          method: "POST",
          body: new URLSearchParams({ intent: "probe" }),
        });
        const body = await res.text();
        const location = res.headers.get("location") ?? "";
        const want = role.kind === "guest" ? res.status === 302 && location.startsWith("/login") : res.status === 403;
        if (!want) failures.push(`${role.name} POST ${url}: ${res.status} ${location}`);
        if (role.kind === "customer" && role.email !== "ap@acme-industrial.example" && body.includes(acmeAccount.legalName))
          failures.push(`${role.name} POST ${url}: shows Acme`);
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);
});

describe("the socket contract", () => {
  it("has exactly one entry per event the client may send", () => {
    const events = [...eventNames("app/domain/chat/events.ts", "ChatClientToServer"), ...eventNames("server/socket.ts", "ClientToServerEvents")];
    expect(events).toContain("system:health");
    expect(events.length).toBeGreaterThanOrEqual(18);
    expect(
      events.filter((e) => !(e in EVENTS)),
      "events without an entry in EVENTS",
    ).toEqual([]);
    expect(
      Object.keys(EVENTS).filter((e) => !events.includes(e)),
      "entries in EVENTS without an event",
    ).toEqual([]);
  });

  async function open(browser: Browser | null) {
    const socket = connect(portal.url, {
      transports: ["websocket"],
      extraHeaders: browser ? { Cookie: browser.cookieHeader() } : {},
      reconnection: false,
    });
    sockets.push(socket);
    return socket;
  }

  it("refuses a socket with neither a session nor a guest token", async () => {
    const socket = await open(null);
    const error = await new Promise<Error>((resolve) => socket.on("connect_error", resolve));
    expect(error.message).toBe("unauthorized");
  });

  it("answers every event per the table for a customer, a guest and a rep, with another account's conversation", async () => {
    // Someone else's live chat: Distribuidora del Norte's, assigned to the manager and already
    // answered (so the unanswered-chat sweep leaves it where it is).
    const norte = await portal.db.user.findUniqueOrThrow({
      where: { email: "cxp@distnorte.example" },
      include: { account: true },
    });
    const manager = await portal.db.user.findUniqueOrThrow({
      where: { email: "manager@accounts.example" },
    });
    const theirs = await portal.db.conversation.create({
      data: {
        language: "es",
        status: "ASSIGNED",
        accountId: norte.accountId,
        customerUserId: norte.id,
        assignedRepId: manager.id,
        assignedAt: new Date(),
        firstResponseAt: new Date(),
        topic: "INVOICE",
      },
    });
    const secret = `Mensaje privado de ${norte.account!.number}`;
    const last = await portal.db.message.create({
      data: {
        conversationId: theirs.id,
        authorKind: "CUSTOMER",
        authorId: norte.id,
        body: secret,
      },
    });
    const foreignStrings = [norte.account!.number, norte.account!.legalName, secret];

    const guestBrowser = portal.browser({ acceptLanguage: "en" });
    const help = await guestBrowser.post("/help", {
      name: "Matrix Guest",
      email: "matrix-guest@example.com",
      topic: "OTHER",
    });
    expect(help.status).toBe(302);
    const roles: Record<SocketRole, Socket> = {
      customer: await open(browsers.get("ap@acme-industrial.example")!),
      guest: await open(guestBrowser),
      staff: await open(browsers.get("rep1")!),
    };
    await Promise.all(Object.values(roles).map((s) => connected(s)));
    const pushed = Object.fromEntries(
      (["customer", "guest"] as const).map((r) => [
        r,
        record(roles[r], [
          "conversation:message",
          "conversation:incoming",
          "conversation:status",
          "conversation:typing",
          "conversation:marks",
          "console:inbox-changed",
          "console:assigned",
        ]),
      ]),
    );

    const conversationId = theirs.id;
    const payloads: Record<string, unknown> = {
      "conversation:open": { topic: "INVOICE", invoiceRef: "INV-1" },
      "conversation:join": { conversationId },
      "conversation:send": {
        conversationId,
        clientMessageId: crypto.randomUUID(),
        body: "hello",
      },
      "conversation:typing": { conversationId, typing: true },
      "conversation:read": { conversationId, seq: String(last.seq) },
      "conversation:leave-message": {
        conversationId,
        clientMessageId: crypto.randomUUID(),
        body: "hello",
      },
      "conversation:transcript": { conversationId },
      "console:inbox": undefined,
      "console:settings": { presence: "AWAY" },
      "console:join": { conversationId },
      "console:accept": { conversationId },
      "console:send": {
        conversationId,
        clientMessageId: crypto.randomUUID(),
        body: "note",
        internal: true,
      },
      "console:typing": { conversationId, typing: true },
      "console:read": { conversationId, seq: String(last.seq) },
      "console:transfer": { conversationId, toRepId: null },
      "console:close": { conversationId, disposition: "RESOLVED" },
      "console:dismiss-spam": { conversationIds: [conversationId] },
      "system:health": undefined,
    };
    const failures: string[] = [];
    for (const [event, allowed] of Object.entries(EVENTS)) {
      for (const who of ["customer", "guest", "staff"] as const) {
        const socket = roles[who];
        const args = payloads[event] === undefined ? [] : [payloads[event]];
        // Typing and read marks have no reply: they are checked by what the socket gets pushed.
        if (event.endsWith(":typing") || event.endsWith(":read")) {
          socket.emit(event, ...args);
          continue;
        }
        const reply = (await socket.timeout(5000).emitWithAck(event, ...args)) as { data?: unknown; error?: string };
        const text = JSON.stringify(reply);
        if (!allowed.includes(who)) {
          if (reply.error !== "chat:errors.forbidden") failures.push(`${who} ${event}: ${text} (expected chat:errors.forbidden)`);
        } else {
          if (reply.error === "chat:errors.forbidden") failures.push(`${who} ${event}: refused, but the table allows it`);
          // A customer or guest naming someone else's conversation gets nothing of it.
          if (who !== "staff" && event !== "system:health" && event !== "conversation:open" && !reply.error)
            failures.push(`${who} ${event}: answered ${text.slice(0, 200)}`);
        }
        if (who !== "staff") for (const s of foreignStrings) if (text.includes(s)) failures.push(`${who} ${event}: reply shows "${s}"`);
      }
    }
    // One last round trip so pushes caused by the events above have arrived.
    for (const socket of Object.values(roles)) await socket.emitWithAck("system:health");
    for (const who of ["customer", "guest"] as const) {
      const leaked = pushed[who].filter(
        (p) => JSON.stringify(p.payload).includes(conversationId) || foreignStrings.some((s) => JSON.stringify(p.payload).includes(s)),
      );
      if (leaked.length) failures.push(`${who} was pushed ${JSON.stringify(leaked).slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
    // Nothing the customer or guest sent reached the foreign conversation.
    const written = await portal.db.message.findMany({
      where: { conversationId, authorKind: { not: "REP" } },
      select: { body: true },
    });
    expect(written.map((m) => m.body)).toEqual([secret]);
  }, 60_000);
});
