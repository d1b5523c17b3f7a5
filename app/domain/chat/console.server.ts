import { db } from "../../utils/db.server";
import { mayManageChatPolicy } from "./chat-policy";

/**
 * What the rep console loads with the page: the canned replies, the team (for
 * transfers), and for a manager the latest chats that moved because a rep did not
 * answer or dropped. Everything live comes over the socket.
 */
export async function consoleData(user: { id: string; name: string; role: string; staffLevel: string | null }) {
  const [canned, reps] = await Promise.all([
    db().cannedResponse.findMany({
      orderBy: [{ language: "asc" }, { shortcut: "asc" }],
      select: { id: true, shortcut: true, language: true, title: true, body: true },
    }),
    db().user.findMany({
      where: { role: { in: ["REP", "MANAGER"] }, active: true },
      orderBy: { name: "asc" },
      select: { id: true, name: true, languages: true },
    }),
  ]);
  const manager = user.role === "MANAGER";
  const moves = manager
    ? await db().auditLog.findMany({
        where: { entity: "Conversation", action: { in: ["chat.reassigned_unanswered", "chat.requeued"] } },
        orderBy: { createdAt: "desc" },
        take: 20,
        select: { id: true, action: true, entityId: true, before: true, after: true, createdAt: true },
      })
    : [];
  const names = new Map(reps.map((r) => [r.id, r.name]));
  const repName = (v: unknown, key: string) => {
    const id = v && typeof v === "object" ? (v as Record<string, unknown>)[key] : null;
    return typeof id === "string" ? (names.get(id) ?? null) : null;
  };
  return {
    me: { id: user.id, name: user.name, manager, supervisor: mayManageChatPolicy(user) },
    canned,
    reps,
    moves: moves.map((m) => ({
      id: m.id,
      action: m.action,
      conversationId: m.entityId,
      from: repName(m.before, "assignedRepId"),
      to: repName(m.after, "assignedRepId"),
      reason: m.after && typeof m.after === "object" ? String((m.after as Record<string, unknown>).reason ?? "") : "",
      at: m.createdAt.toISOString(),
    })),
  };
}

export type ConsoleData = Awaited<ReturnType<typeof consoleData>>;
