/**
 * What each staff level may approve on its own — "what may a Rep II approve?" is the
 * REP_II row below. The table is the default the seed writes into AuthorityLimit
 * (policy currency USD, whole units); the live limits are those rows, so a manager can
 * change them as data, and `authority.server.ts` applies them (converting other
 * currencies with the dated FX table, and naming the level an escalation needs).
 *
 * Columns: credit — the highest credit limit it may grant; writeOff — one write-off;
 * memo — one credit memo; overLimit — releasing an order over the limit by this much;
 * terms — the longest payment terms (days); refund — one refund; invoiceCredit — all
 * memos on one invoice; accountCredit — memos on one account per
 * `authority.creditPeriodDays`; cut — deepest limit cut in percent; belowExposure — may
 * cut a limit below what the account owes and has on order.
 */
import type { StaffLevel } from "../../generated/prisma/client";

/** The staff levels, lowest first. */
export const STAFF_LEVELS = ["REP_I", "REP_II", "REP_III", "SENIOR", "MANAGER"] as const satisfies readonly StaffLevel[];

export function isStaffLevel(value: unknown): value is StaffLevel {
  return typeof value === "string" && (STAFF_LEVELS as readonly string[]).includes(value);
}

export const DEFAULT_APPROVAL_LIMITS = [
  {
    level: "REP_I",
    rank: 1,
    credit: 10_000,
    writeOff: 500,
    memo: 1_000,
    overLimit: 0,
    terms: 30,
    refund: 1_000,
    invoiceCredit: 1_000,
    accountCredit: 2_500,
    cut: 25,
    belowExposure: false,
  },
  {
    level: "REP_II",
    rank: 2,
    credit: 50_000,
    writeOff: 2_500,
    memo: 5_000,
    overLimit: 5_000,
    terms: 45,
    refund: 5_000,
    invoiceCredit: 5_000,
    accountCredit: 10_000,
    cut: 50,
    belowExposure: false,
  },
  {
    level: "REP_III",
    rank: 3,
    credit: 150_000,
    writeOff: 10_000,
    memo: 20_000,
    overLimit: 25_000,
    terms: 60,
    refund: 20_000,
    invoiceCredit: 20_000,
    accountCredit: 40_000,
    cut: 100,
    belowExposure: false,
  },
  {
    level: "SENIOR",
    rank: 4,
    credit: 500_000,
    writeOff: 50_000,
    memo: 75_000,
    overLimit: 100_000,
    terms: 90,
    refund: 100_000,
    invoiceCredit: 75_000,
    accountCredit: 150_000,
    cut: 100,
    belowExposure: true,
  },
  {
    level: "MANAGER",
    rank: 5,
    credit: 2_000_000,
    writeOff: 250_000,
    memo: 250_000,
    overLimit: 500_000,
    terms: 120,
    refund: 500_000,
    invoiceCredit: 250_000,
    accountCredit: 500_000,
    cut: 100,
    belowExposure: true,
  },
] as const satisfies readonly (Record<string, unknown> & { level: StaffLevel; rank: number })[];
