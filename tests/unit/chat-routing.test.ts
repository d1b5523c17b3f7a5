import { describe, expect, it } from "vitest";
import {
  compareReps,
  decideRoute,
  estimatedWaitSeconds,
  graceExpired,
  headOfQueueTime,
  nextForRep,
  pickRep,
  queuePosition,
  transferCheck,
  unansweredTimedOut,
  withinBusinessHours,
  type BusinessHours,
  type RepFacts,
} from "../../app/domain/chat/routing";

const rep = (id: string, over: Partial<RepFacts> = {}): RepFacts => ({
  id,
  presence: "ONLINE",
  languages: ["en"],
  capacity: 3,
  activeChats: 0,
  lastChatAssignedAt: null,
  ...over,
});
const at = (iso: string) => new Date(iso);

// Seeded calendars (prisma/seed.ts POLICY).
const HOURS_EN: BusinessHours = { timezone: "America/Chicago", days: [1, 2, 3, 4, 5], open: "07:00", close: "19:00", holidays: ["2026-12-25", "2027-01-01"] };
const HOURS_ES: BusinessHours = {
  timezone: "America/Mexico_City",
  days: [1, 2, 3, 4, 5],
  open: "08:00",
  close: "18:00",
  holidays: ["2026-12-12", "2026-12-25", "2027-01-01"],
};
// Monday 2026-11-23, 12:00 in Chicago (18:00 UTC) and 11:00 in Mexico City.
const OPEN = at("2026-11-23T18:00:00Z");

const base = { hours: null, now: OPEN, queueAhead: 0, averageHandleSeconds: 300 };

describe("rule 1: the account's own rep first", () => {
  it("goes to the own rep when online, speaking the language and with capacity — even if busier", () => {
    const reps = [rep("own", { activeChats: 2 }), rep("idle")];
    expect(pickRep(reps, "en", "own")).toEqual({ repId: "own", rule: "own_rep" });
  });
  it("skips the own rep who is away, offline, full or does not speak the language", () => {
    for (const own of [
      rep("own", { presence: "AWAY" }),
      rep("own", { presence: "OFFLINE" }),
      rep("own", { activeChats: 3 }),
      rep("own", { languages: ["es"] }),
    ]) {
      expect(pickRep([own, rep("other")], "en", "own")).toEqual({ repId: "other", rule: "least_loaded" });
    }
  });
});

describe("rule 2: language, capacity, fewest active then longest idle", () => {
  it("only reps who speak the customer's language", () => {
    const reps = [rep("rep1", { languages: ["en"] }), rep("rep3", { languages: ["en", "es"], activeChats: 2 })];
    expect(pickRep(reps, "es", null)?.repId).toBe("rep3");
  });
  it("never a rep at capacity", () => {
    expect(pickRep([rep("full", { capacity: 2, activeChats: 2 })], "en", null)).toBeNull();
  });
  it("fewest active chats first", () => {
    expect(pickRep([rep("a", { activeChats: 2 }), rep("b", { activeChats: 1 })], "en", null)?.repId).toBe("b");
  });
  it("then the longest idle (never assigned is idlest)", () => {
    const reps = [rep("recent", { lastChatAssignedAt: at("2026-11-23T17:59:00Z") }), rep("older", { lastChatAssignedAt: at("2026-11-23T17:00:00Z") })];
    expect(pickRep(reps, "en", null)?.repId).toBe("older");
    expect(pickRep([...reps, rep("never")], "en", null)?.repId).toBe("never");
    expect([rep("b"), rep("a")].sort(compareReps).map((r) => r.id)).toEqual(["a", "b"]);
  });
  it("honours an exclusion list (the rep who let a chat time out)", () => {
    expect(pickRep([rep("slow"), rep("next", { activeChats: 2 })], "en", "slow", ["slow"])?.repId).toBe("next");
  });
});

describe("rule 3: FIFO queue per language with position and estimated wait", () => {
  it("queues when every speaker of the language is busy, with position and wait", () => {
    const reps = [rep("busy", { activeChats: 3 }), rep("busy2", { activeChats: 3 })];
    expect(decideRoute({ ...base, language: "en", ownRepId: null, reps, queueAhead: 2 })).toEqual({ kind: "queue", position: 3, estimatedWaitSeconds: 600 });
  });
  it("does not let a new chat jump the line even if a rep has a free slot", () => {
    expect(decideRoute({ ...base, language: "en", ownRepId: null, reps: [rep("free")], queueAhead: 1 })).toMatchObject({ kind: "queue", position: 2 });
  });
  it("counts position by queue time and computes the wait from staffed reps", () => {
    const queue = [
      { id: "b", queuedAt: at("2026-11-23T18:01:00Z") },
      { id: "a", queuedAt: at("2026-11-23T18:00:00Z") },
    ];
    expect(queuePosition(queue, "a")).toBe(1);
    expect(queuePosition(queue, "b")).toBe(2);
    expect(estimatedWaitSeconds(5, 2, 120)).toBe(360);
    expect(estimatedWaitSeconds(1, 0, 120)).toBe(120);
  });
  it("a rep with a free slot takes the oldest waiting chat in a language they speak", () => {
    const queue = [
      { id: "en-new", language: "en", queuedAt: at("2026-11-23T18:05:00Z") },
      { id: "es-old", language: "es", queuedAt: at("2026-11-23T18:00:00Z") },
      { id: "en-old", language: "en", queuedAt: at("2026-11-23T18:01:00Z") },
    ];
    expect(nextForRep(rep("en-only"), queue)).toBe("en-old");
    expect(nextForRep(rep("both", { languages: ["en", "es"] }), queue)).toBe("es-old");
    expect(nextForRep(rep("full", { activeChats: 3 }), queue)).toBeNull();
    expect(nextForRep(rep("away", { presence: "AWAY" }), queue)).toBeNull();
  });
});

describe("rule 4: offline fallback", () => {
  it("when nobody who speaks the language is online", () => {
    const reps = [rep("rep1", { languages: ["en"] }), rep("rep2", { languages: ["es"], presence: "AWAY" })];
    expect(decideRoute({ ...base, language: "es", ownRepId: null, reps })).toEqual({ kind: "offline", reason: "no_rep_for_language" });
  });
  it("outside business hours, on weekends and on holidays of that language's calendar", () => {
    const reps = [rep("r", { languages: ["en", "es"] })];
    expect(decideRoute({ ...base, hours: HOURS_ES, now: at("2026-11-24T01:00:00Z"), language: "es", ownRepId: null, reps })).toEqual({
      kind: "offline",
      reason: "outside_hours",
    });
    expect(withinBusinessHours(HOURS_EN, OPEN)).toBe(true);
    expect(withinBusinessHours(HOURS_ES, OPEN)).toBe(true);
    expect(withinBusinessHours(HOURS_EN, at("2026-11-22T18:00:00Z"))).toBe(false); // Sunday
    expect(withinBusinessHours(HOURS_ES, at("2026-12-12T18:00:00Z"))).toBe(false); // Día de la Virgen (a Saturday anyway)
    expect(withinBusinessHours(HOURS_EN, at("2026-12-25T18:00:00Z"))).toBe(false); // Christmas, a Friday
    expect(withinBusinessHours(HOURS_EN, at("2026-12-24T18:00:00Z"))).toBe(true);
    // Open is inclusive, close exclusive, in the team's own time zone.
    expect(withinBusinessHours(HOURS_EN, at("2026-11-23T13:00:00Z"))).toBe(true); // 07:00 Chicago
    expect(withinBusinessHours(HOURS_EN, at("2026-11-24T01:00:00Z"))).toBe(false); // 19:00 Chicago
    expect(withinBusinessHours(null, at("2026-11-22T03:00:00Z"))).toBe(true);
  });
  it("a language that is staffed but full queues instead of going offline", () => {
    expect(decideRoute({ ...base, language: "en", ownRepId: null, reps: [rep("r", { activeChats: 3 })] })).toMatchObject({ kind: "queue", position: 1 });
  });
});

describe("requeue after the disconnect grace period, unanswered timeout and transfer", () => {
  it("puts a requeued chat ahead of the current head", () => {
    const now = at("2026-11-23T18:10:00Z");
    const head = at("2026-11-23T18:02:00Z");
    expect(headOfQueueTime(head, now).getTime()).toBeLessThan(head.getTime());
    expect(headOfQueueTime(null, now).getTime()).toBeLessThan(now.getTime());
  });
  it("waits out the grace period before requeueing", () => {
    const dropped = at("2026-11-23T18:00:00Z");
    expect(graceExpired(dropped, at("2026-11-23T18:00:29Z"), 30)).toBe(false);
    expect(graceExpired(dropped, at("2026-11-23T18:00:30Z"), 30)).toBe(true);
  });
  it("times out a newly assigned chat only while the rep has not answered", () => {
    const assigned = at("2026-11-23T18:00:00Z");
    expect(unansweredTimedOut(assigned, null, at("2026-11-23T18:01:29Z"), 90)).toBe(false);
    expect(unansweredTimedOut(assigned, null, at("2026-11-23T18:01:30Z"), 90)).toBe(true);
    expect(unansweredTimedOut(assigned, at("2026-11-23T18:00:10Z"), at("2026-11-23T18:05:00Z"), 90)).toBe(false);
  });
  it("transfers only to another online rep who speaks the language and has room", () => {
    expect(transferCheck(rep("b", { languages: ["es"] }), "a", "es")).toEqual({ ok: true });
    expect(transferCheck(undefined, "a", "es")).toEqual({ ok: false, reason: "unknown_rep" });
    expect(transferCheck(rep("a", { languages: ["es"] }), "a", "es")).toEqual({ ok: false, reason: "same_rep" });
    expect(transferCheck(rep("b", { languages: ["es"], presence: "AWAY" }), "a", "es")).toEqual({ ok: false, reason: "not_available" });
    expect(transferCheck(rep("b", { languages: ["en"] }), "a", "es")).toEqual({ ok: false, reason: "language" });
    expect(transferCheck(rep("b", { languages: ["es"], activeChats: 3 }), "a", "es")).toEqual({ ok: false, reason: "capacity" });
  });
});
