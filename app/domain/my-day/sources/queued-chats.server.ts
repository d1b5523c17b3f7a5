/** Chats waiting in the queue of a language the rep speaks, first in first out. */
import { db } from "../../../utils/db.server";
import { defineSource, hoursBetween } from "../items";

type Row = { id: string; status: string; language: string; topic: string; accountId: string | null; queuedAt: Date };

export const queuedChats = defineSource<Row>({
  kind: "chat",
  async load(ctx) {
    if (!ctx.rep.languages.length) return [];
    const rows = await db().conversation.findMany({
      where: { status: "QUEUED", language: { in: ctx.rep.languages } },
      orderBy: { queuedAt: "asc" },
      take: 100,
      select: { id: true, status: true, language: true, topic: true, accountId: true, queuedAt: true, createdAt: true },
    });
    return rows.map((r) => ({ ...r, queuedAt: r.queuedAt ?? r.createdAt }));
  },
  done: (row) => row.status !== "QUEUED",
  toItem: (row, ctx) => ({
    kind: "chat",
    key: `chat:${row.id}`,
    account: row.accountId ? (ctx.accounts.get(row.accountId) ?? null) : null,
    title: { key: "myday:items.chat", values: { topic: { term: `chat:topics.${row.topic}` }, language: { term: `rep:languages.${row.language}` } } },
    detail: null,
    dueAt: row.queuedAt.toISOString(),
    href: `/rep/chat`,
    waitedHours: hoursBetween(row.queuedAt, ctx.now),
    clears: null,
    reassign: null,
  }),
});
