import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import {
  claimConversation,
  fillRep,
  reassignUnanswered,
  requeueRepChats,
  routeConversation,
  transferConversation,
} from "../../app/domain/chat/assignment.server";
import { openDatabase, setDatabase, type Database } from "../../app/utils/db.server";
import { copyTemplate } from "../support/databases";

let database: Database;
let dispose: () => Promise<void>;
const ids: Record<string, string> = {};
// Monday 2026-11-23 12:00 in Chicago, 11:00 in Mexico City: both teams open.
const OPEN = new Date("2026-11-23T18:00:00Z");

beforeAll(async () => {
  const copy = await copyTemplate(inject("templateDatabaseUrl"));
  dispose = copy.dispose;
  database = await openDatabase(copy.url);
  setDatabase(database);
  for (const email of [
    "rep1@accounts.example",
    "rep2@accounts.example",
    "rep3@accounts.example",
    "senior@accounts.example",
    "manager@accounts.example",
    "ap@acme-industrial.example",
  ]) {
    ids[email.split("@")[0]] = (await database.prisma.user.findUniqueOrThrow({ where: { email } })).id;
  }
});
afterAll(async () => {
  setDatabase(undefined);
  await database?.close();
  await dispose?.();
});

const prisma = () => database.prisma;

async function online(...names: string[]) {
  await prisma().conversation.updateMany({ where: { status: { in: ["QUEUED", "ASSIGNED"] } }, data: { status: "CLOSED", assignedRepId: null } });
  await prisma().user.updateMany({ where: { role: { in: ["REP", "MANAGER"] } }, data: { presence: "OFFLINE", lastChatAssignedAt: null } });
  await prisma().user.updateMany({ where: { id: { in: names.map((n) => ids[n]) } }, data: { presence: "ONLINE" } });
}

async function queued(language: string, extra: { accountId?: string; queuedAt?: Date } = {}) {
  return prisma().conversation.create({
    data: {
      language,
      status: "QUEUED",
      queuedAt: extra.queuedAt ?? new Date(),
      accountId: extra.accountId,
      guestName: extra.accountId ? null : "Invitado",
      guestEmail: extra.accountId ? null : "guest@example.com",
    },
  });
}

beforeEach(async () => {
  await online();
});

describe("atomic assignment", () => {
  it("gives one chat to exactly one rep when many claim it at once", async () => {
    const chat = await queued("en");
    const claimers = ["rep1", "rep3", "senior", "manager", "rep1", "rep3", "senior", "manager"];
    const results = await Promise.all(claimers.map((n) => claimConversation(chat.id, ids[n], ids[n], "test")));
    expect(results.filter(Boolean)).toHaveLength(1);
    const row = await prisma().conversation.findUniqueOrThrow({ where: { id: chat.id } });
    expect(row.status).toBe("ASSIGNED");
    expect(claimers[results.indexOf(true)]).toBe(Object.keys(ids).find((k) => ids[k] === row.assignedRepId));
    const audits = await prisma().auditLog.findMany({ where: { entity: "Conversation", entityId: chat.id, action: "chat.assigned" } });
    expect(audits).toHaveLength(1);
  });

  it("never reassigns a chat that is already assigned", async () => {
    const chat = await queued("en");
    expect(await claimConversation(chat.id, ids.rep1, null, "test")).toBe(true);
    expect(await claimConversation(chat.id, ids.rep3, null, "test")).toBe(false);
    expect((await prisma().conversation.findUniqueOrThrow({ where: { id: chat.id } })).assignedRepId).toBe(ids.rep1);
  });
});

describe("routing against the seeded team", () => {
  it("a Spanish guest goes to the bilingual rep, not the English-only one", async () => {
    await online("rep1", "rep3");
    const chat = await queued("es");
    expect(await routeConversation(chat.id, OPEN)).toEqual({ kind: "assign", repId: ids.rep3, rule: "least_loaded" });
  });

  it("with only an English-only rep online, a Spanish chat is offered the offline form", async () => {
    await online("rep1");
    const chat = await queued("es");
    expect(await routeConversation(chat.id, OPEN)).toEqual({ kind: "offline", reason: "no_rep_for_language" });
  });

  it("outside the team's business hours it is offline too", async () => {
    await online("rep1", "rep3");
    const chat = await queued("en");
    expect(await routeConversation(chat.id, new Date("2026-11-22T18:00:00Z"))).toEqual({ kind: "offline", reason: "outside_hours" });
  });

  it("a signed-in customer's chat goes to the account's own rep", async () => {
    await online("rep1", "rep3");
    const acme = await prisma().account.findFirstOrThrow({ where: { users: { some: { id: ids.ap } } } });
    expect(acme.ownerRepId).toBe(ids.rep1);
    // rep1 is busier than rep3, and still gets it.
    await claimConversation((await queued("en")).id, ids.rep1, null, "test");
    const chat = await queued("en", { accountId: acme.id });
    expect(await routeConversation(chat.id, OPEN)).toEqual({ kind: "assign", repId: ids.rep1, rule: "own_rep" });
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { entityId: chat.id, action: "chat.assigned" } });
    expect(audit.accountId).toBe(acme.id);
  });

  it("queues in FIFO order with position and estimated wait when every rep is full, and fills a freed rep from the head", async () => {
    await online("rep1");
    await prisma().user.update({ where: { id: ids.rep1 }, data: { chatCapacity: 1 } });
    try {
      await claimConversation((await queued("en")).id, ids.rep1, null, "test");
      const first = await queued("en", { queuedAt: new Date("2026-11-23T18:00:00Z") });
      const second = await queued("en", { queuedAt: new Date("2026-11-23T18:00:05Z") });
      expect(await routeConversation(first.id, OPEN)).toEqual({ kind: "queue", position: 1, estimatedWaitSeconds: 300 });
      expect(await routeConversation(second.id, OPEN)).toEqual({ kind: "queue", position: 2, estimatedWaitSeconds: 600 });
      await prisma().conversation.updateMany({ where: { assignedRepId: ids.rep1 }, data: { status: "CLOSED" } });
      expect(await fillRep(ids.rep1)).toEqual([first.id]);
    } finally {
      await prisma().user.update({ where: { id: ids.rep1 }, data: { chatCapacity: 3 } });
    }
  });
});

describe("requeue, transfer and the unanswered timeout", () => {
  it("puts a dropped rep's chats back at the head of the queue", async () => {
    await online("rep3");
    const waiting = await queued("es", { queuedAt: new Date(Date.now() - 60_000) });
    const held = await queued("es", { queuedAt: new Date() });
    await claimConversation(held.id, ids.rep3, null, "test");
    expect(await requeueRepChats(ids.rep3, "disconnect_grace")).toEqual([held.id]);
    const [a, b] = await Promise.all([held, waiting].map((c) => prisma().conversation.findUniqueOrThrow({ where: { id: c.id } })));
    expect(a.status).toBe("QUEUED");
    expect(a.assignedRepId).toBeNull();
    expect(a.queuedAt!.getTime()).toBeLessThan(b.queuedAt!.getTime());
    expect(await prisma().auditLog.count({ where: { entityId: held.id, action: "chat.requeued" } })).toBe(1);
  });

  it("transfers only to a rep who speaks the language, with an audit row", async () => {
    await online("rep1", "rep2", "rep3");
    const chat = await queued("es");
    await claimConversation(chat.id, ids.rep3, null, "test");
    expect(await transferConversation(chat.id, ids.rep3, ids.rep1, ids.rep3)).toEqual({ ok: false, reason: "language" });
    expect(await transferConversation(chat.id, ids.rep1, ids.rep2, ids.rep1)).toEqual({ ok: false, reason: "not_yours" });
    expect(await transferConversation(chat.id, ids.rep3, ids.rep2, ids.rep3)).toEqual({ ok: true });
    expect((await prisma().conversation.findUniqueOrThrow({ where: { id: chat.id } })).assignedRepId).toBe(ids.rep2);
    expect(await prisma().auditLog.count({ where: { entityId: chat.id, action: "chat.transferred", actorId: ids.rep3 } })).toBe(1);
  });

  it("moves an unanswered chat to another rep who speaks the customer's language", async () => {
    await online("rep1", "rep2", "rep3");
    const chat = await queued("es");
    await claimConversation(chat.id, ids.rep3, null, "test");
    await prisma().conversation.update({ where: { id: chat.id }, data: { assignedAt: new Date(Date.now() - 120_000) } });
    const moves = await reassignUnanswered();
    expect(moves).toEqual([{ conversationId: chat.id, fromRepId: ids.rep3, toRepId: ids.rep2 }]);
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { entityId: chat.id, action: "chat.reassigned_unanswered" } });
    expect(audit.before).toEqual({ assignedRepId: ids.rep3 });
  });

  it("leaves a chat the rep has answered alone", async () => {
    await online("rep2", "rep3");
    const chat = await queued("es");
    await claimConversation(chat.id, ids.rep3, null, "test");
    await prisma().conversation.update({ where: { id: chat.id }, data: { assignedAt: new Date(Date.now() - 120_000), firstResponseAt: new Date() } });
    expect(await reassignUnanswered()).toEqual([]);
  });
});
