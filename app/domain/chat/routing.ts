/**
 * How a chat is routed — every rule in one place, as pure functions of the facts
 * (reps, queue, business hours, clock). The database side (`assignment.server.ts`)
 * loads the facts, asks this module, and claims atomically.
 *
 * Order (DESIGN.md "Chat routing"):
 *   0. outside business hours (PolicySetting `hours.<lang>`) or no rep who speaks
 *      the language is online → offline fallback (leave a message);
 *   1. the account's own rep, if online, speaks the language and has capacity;
 *   2. otherwise online reps who speak the language and have capacity:
 *      fewest active chats first, then longest idle;
 *   3. otherwise the language's FIFO queue, with position and estimated wait.
 * A dropped rep's chats go back to the head of the queue; a transfer goes to a rep
 * who speaks the language and has capacity, or back to the queue.
 */

/** A rep's chat presence; the database enum has the same values. */
export const PRESENCES = ["ONLINE", "AWAY", "OFFLINE"] as const;
export type Presence = (typeof PRESENCES)[number];

export type RepFacts = {
  id: string;
  presence: Presence;
  languages: readonly string[];
  capacity: number;
  /** Conversations currently ASSIGNED to this rep. */
  activeChats: number;
  /** When this rep last got a chat; null = never (the longest idle of all). */
  lastChatAssignedAt: Date | null;
};

export type BusinessHours = {
  timezone: string;
  /** Weekdays open, 0 = Sunday … 6 = Saturday. */
  days: number[];
  /** "HH:MM" local time, open inclusive, close exclusive. */
  open: string;
  close: string;
  /** Local dates "YYYY-MM-DD" closed all day. */
  holidays: string[];
};

export type RouteDecision =
  | { kind: "assign"; repId: string; rule: "own_rep" | "least_loaded" | "already_assigned" }
  | { kind: "queue"; position: number; estimatedWaitSeconds: number }
  | { kind: "offline"; reason: "outside_hours" | "no_rep_for_language" };

/** A rep can take a chat in `language` right now. */
export function isEligible(rep: RepFacts, language: string): boolean {
  return rep.presence === "ONLINE" && rep.languages.includes(language) && rep.activeChats < rep.capacity;
}

/** Someone who speaks `language` is online (busy or not): the queue is worth joining. */
export function languageStaffed(reps: readonly RepFacts[], language: string): boolean {
  return reps.some((r) => r.presence === "ONLINE" && r.languages.includes(language));
}

/** Fewest active chats first, then longest idle (never assigned counts as idlest), then id for determinism. */
export function compareReps(a: RepFacts, b: RepFacts): number {
  if (a.activeChats !== b.activeChats) return a.activeChats - b.activeChats;
  const ai = a.lastChatAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  const bi = b.lastChatAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  if (ai !== bi) return ai < bi ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Rules 1 and 2: who should get a chat, or null when nobody eligible. `exclude` skips reps (e.g. one who let it time out). */
export function pickRep(
  reps: readonly RepFacts[],
  language: string,
  ownRepId: string | null,
  exclude: readonly string[] = [],
): { repId: string; rule: "own_rep" | "least_loaded" } | null {
  const eligible = reps.filter((r) => isEligible(r, language) && !exclude.includes(r.id));
  const own = ownRepId ? eligible.find((r) => r.id === ownRepId) : undefined;
  if (own) return { repId: own.id, rule: "own_rep" };
  const best = [...eligible].sort(compareReps)[0];
  return best ? { repId: best.id, rule: "least_loaded" } : null;
}

// Routing asks for the local clock on every decision; building the formatter is the costly part.
const clocks = new Map<string, Intl.DateTimeFormat>();

/** Local date, weekday and minutes since midnight of `now` in `timezone`. */
function localClock(now: Date, timezone: string): { date: string; weekday: number; minutes: number } {
  let clock = clocks.get(timezone);
  if (!clock) {
    clock = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    clocks.set(timezone, clock);
  }
  const parts = clock.formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(get("weekday"));
  return { date: `${get("year")}-${get("month")}-${get("day")}`, weekday, minutes: Number(get("hour")) * 60 + Number(get("minute")) };
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
}

/** Whether live chat is offered at `now` by this language team's calendar. Missing hours = always open. */
export function withinBusinessHours(hours: BusinessHours | null | undefined, now: Date): boolean {
  if (!hours) return true;
  const clock = localClock(now, hours.timezone);
  if (hours.holidays.includes(clock.date)) return false;
  if (!hours.days.includes(clock.weekday)) return false;
  return clock.minutes >= minutesOf(hours.open) && clock.minutes < minutesOf(hours.close);
}

/** Whether `now` falls on a working day (not a holiday, an open weekday) of this calendar. Missing hours = every day. */
export function isBusinessDay(hours: BusinessHours | null | undefined, now: Date): boolean {
  if (!hours) return true;
  const clock = localClock(now, hours.timezone);
  return !hours.holidays.includes(clock.date) && hours.days.includes(clock.weekday);
}

const QUARTER_HOUR_MS = 15 * 60 * 1000;

/**
 * When live chat next opens after `now` by this calendar (null: always open, or not within
 * two weeks). Every time zone is a whole number of quarter hours from UTC, and opening times
 * are written on the quarter hour, so stepping through UTC quarter hours lands on it exactly.
 */
export function nextOpening(hours: BusinessHours | null | undefined, now: Date): Date | null {
  if (!hours) return null;
  const start = Math.ceil(now.getTime() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  for (let at = start; at < start + 14 * 24 * 60 * 60 * 1000; at += QUARTER_HOUR_MS) {
    if (withinBusinessHours(hours, new Date(at))) return new Date(at);
  }
  return null;
}

/**
 * Estimated wait for the `position`-th chat in line: chats ahead are served by the
 * reps who speak the language, each handling one chat per `averageHandleSeconds`.
 */
export function estimatedWaitSeconds(position: number, repsForLanguage: number, averageHandleSeconds: number): number {
  const servers = Math.max(1, repsForLanguage);
  return Math.ceil(position / servers) * averageHandleSeconds;
}

/** 1-based place in the language queue; `queue` is that language's QUEUED conversations. */
export function queuePosition(queue: readonly { id: string; queuedAt: Date }[], conversationId: string): number {
  const sorted = [...queue].sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime() || (a.id < b.id ? -1 : 1));
  const index = sorted.findIndex((c) => c.id === conversationId);
  return index === -1 ? sorted.length + 1 : index + 1;
}

/**
 * The whole decision for one new (or requeued) conversation. `queueAhead` counts
 * conversations of the same language already waiting before this one.
 */
export function decideRoute(input: {
  language: string;
  ownRepId: string | null;
  reps: readonly RepFacts[];
  hours: BusinessHours | null | undefined;
  now: Date;
  queueAhead: number;
  averageHandleSeconds: number;
  exclude?: readonly string[];
}): RouteDecision {
  if (!withinBusinessHours(input.hours, input.now)) return { kind: "offline", reason: "outside_hours" };
  if (!languageStaffed(input.reps, input.language)) return { kind: "offline", reason: "no_rep_for_language" };
  // Nobody jumps the line: a new chat only goes straight to a rep when no one of its language is waiting.
  if (input.queueAhead === 0) {
    const pick = pickRep(input.reps, input.language, input.ownRepId, input.exclude);
    if (pick) return { kind: "assign", ...pick };
  }
  const position = input.queueAhead + 1;
  const staffed = input.reps.filter((r) => r.presence === "ONLINE" && r.languages.includes(input.language)).length;
  return { kind: "queue", position, estimatedWaitSeconds: estimatedWaitSeconds(position, staffed, input.averageHandleSeconds) };
}

/**
 * When a rep has a free slot: the head of the queue of a language they speak
 * (oldest `queuedAt` across their languages), or null.
 */
export function nextForRep(rep: RepFacts, queue: readonly { id: string; language: string; queuedAt: Date }[]): string | null {
  if (rep.presence !== "ONLINE" || rep.activeChats >= rep.capacity) return null;
  const mine = queue.filter((c) => rep.languages.includes(c.language));
  mine.sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime() || (a.id < b.id ? -1 : 1));
  return mine[0]?.id ?? null;
}

/** A requeued chat goes to the head: just before the current head of its language queue (or now when empty). */
export function headOfQueueTime(currentHead: Date | null, now: Date): Date {
  if (!currentHead || currentHead.getTime() > now.getTime()) return new Date(now.getTime() - 1);
  return new Date(currentHead.getTime() - 1);
}

/** A rep whose socket dropped loses their chats once the grace period has passed without a reconnect. */
export function graceExpired(disconnectedAt: Date, now: Date, graceSeconds: number): boolean {
  return now.getTime() - disconnectedAt.getTime() >= graceSeconds * 1000;
}

/** A newly assigned chat without a rep reply for `timeoutSeconds` is taken away. */
export function unansweredTimedOut(assignedAt: Date, firstResponseAt: Date | null, now: Date, timeoutSeconds: number): boolean {
  return !firstResponseAt && now.getTime() - assignedAt.getTime() >= timeoutSeconds * 1000;
}

/** A transfer target must be a different rep who can take a chat in the conversation's language now. */
export function transferCheck(
  target: RepFacts | undefined,
  fromRepId: string | null,
  language: string,
): { ok: true } | { ok: false; reason: "unknown_rep" | "same_rep" | "not_available" | "language" | "capacity" } {
  if (!target) return { ok: false, reason: "unknown_rep" };
  if (target.id === fromRepId) return { ok: false, reason: "same_rep" };
  if (target.presence !== "ONLINE") return { ok: false, reason: "not_available" };
  if (!target.languages.includes(language)) return { ok: false, reason: "language" };
  if (target.activeChats >= target.capacity) return { ok: false, reason: "capacity" };
  return { ok: true };
}
