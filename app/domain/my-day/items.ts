/**
 * My day: every piece of work a rep owes, from many places, as one kind of item. Each kind
 * is a small source (sources/*.server.ts) registered in one array (sources.server.ts): it
 * loads the rep's candidate rows, says when a row's work is done (read from the data —
 * an order released, a reply sent, a contact logged — never a checkbox, except a watch
 * signal, which has no natural end and is marked reviewed), and turns a row into an item.
 * A new kind of work is one new source and one line in that array.
 */
import type { StaffLevel } from "../../generated/prisma/client";
import type { ReleaseCondition } from "../credit/hold-release";
import type { Sentence } from "../watch/signals";

export type AccountRef = { id: string; number: string; legalName: string };

/** What a manager may hand to another rep: the account (its owner), a dispute or an application (its assignee). */
export type ReassignTarget = { target: "account" | "dispute" | "application"; id: string };

export type DayItem = {
  kind: string;
  /** Unique across the day: kind and the row's id. */
  key: string;
  account: AccountRef | null;
  title: Sentence;
  detail: Sentence | null;
  /** When the work falls due; the day is ordered by it, earliest first. */
  dueAt: string;
  /** Where the work is done. */
  href: string;
  /** How long it has waited, in hours, where waiting is the point (held orders, chats). */
  waitedHours: number | null;
  /** A held order: what releases it (the same rule the payment webhook releases by). */
  clears: ReleaseCondition | null;
  reassign: ReassignTarget | null;
};

export type DayRep = { id: string; name: string; role: string; staffLevel: StaffLevel | null; languages: string[] };

export type DayContext = {
  rep: DayRep;
  now: Date;
  /** The accounts the rep owns, by id. */
  accounts: Map<string, AccountRef>;
};

export type DaySource<Row> = {
  kind: string;
  /** The rep's candidate rows of this kind (a query may already leave done ones out; `done` is still the rule). */
  load(ctx: DayContext): Promise<Row[]>;
  /** The work the row stands for is finished: read from the row's state. */
  done(row: Row, ctx: DayContext): boolean;
  toItem(row: Row, ctx: DayContext): DayItem;
};

/** A source with its row type hidden, so sources of different rows sit in one array. */
export type ItemSource = { kind: string; items(ctx: DayContext): Promise<DayItem[]> };

export function defineSource<Row>(source: DaySource<Row>): ItemSource {
  return {
    kind: source.kind,
    async items(ctx) {
      const rows = await source.load(ctx);
      return rows.filter((row) => !source.done(row, ctx)).map((row) => source.toItem(row, ctx));
    },
  };
}

export function hoursBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / 3_600_000));
}

/** Midnight UTC of `at`'s day: calendar dates (promised for, follow up on) are stored so. */
export function dayStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/** Items in the order they fall due, earliest first; ties by kind and key so the list is stable. */
export function byDue(a: DayItem, b: DayItem): number {
  return a.dueAt.localeCompare(b.dueAt) || a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key);
}
