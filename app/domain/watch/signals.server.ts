/**
 * Watch signals of accounts, from the data the portal already keeps: the account summary,
 * paid invoices, pending orders, promises, the mail outbox and the changes customers report.
 * A signal leaves once a rep has reviewed it (a WatchSignalReview row by its key) or once
 * the data no longer fires it.
 */
import { z } from "zod";
import { currentDatabase, db } from "../../utils/db.server";
import { calendarDay, freeText } from "../../utils/forms";
import { recordAudit } from "../audit/audit.server";
import type { SessionUser } from "../auth/session-user";
import { accountSummary } from "../accounts/account-summary.server";
import { toMinor } from "../money/money";
import { isUniqueViolation } from "../payments/unique-violation";
import { CHANGE_KINDS, signalsFor, type AccountFacts, type ChangeKind, type WatchSignal } from "./signals";
import { watchPolicy, type WatchPolicy } from "./watch-policy.server";

const DAY_MS = 86_400_000;

async function factsOf(accountId: string, policy: WatchPolicy, now: Date): Promise<AccountFacts | null> {
  const summary = await accountSummary(accountId, now);
  if (!summary) return null;
  const since = new Date(now.getTime() - policy.lookbackDays * DAY_MS);
  const [paid, orders, promises, contacts, reports] = await Promise.all([
    db().$queryRaw<{ id: string; issuedOn: Date; paidAt: Date }[]>`
      SELECT i.id, i."issuedOn", MAX(a."createdAt") AS "paidAt"
      FROM "Invoice" i JOIN "PaymentAllocation" a ON a."invoiceId" = i.id
      WHERE i."accountId" = ${accountId} AND i.status = 'PAID'
      GROUP BY i.id, i."issuedOn" ORDER BY "paidAt" DESC LIMIT ${policy.daysToPayInvoices}`,
    db().order.findMany({ where: { accountId, status: { in: ["OPEN", "ON_HOLD"] } }, orderBy: { placedAt: "asc" }, take: 50 }),
    db().promiseToPay.findMany({ where: { accountId, status: "BROKEN", resolvedAt: { gte: since } }, take: 20 }),
    db().user.findMany({ where: { accountId, role: "CUSTOMER" }, select: { email: true } }),
    db().accountChangeReport.findMany({ where: { accountId }, orderBy: { createdAt: "asc" }, take: 50 }),
  ]);
  const bounced = contacts.length
    ? await db().outboxEmail.findMany({
        where: { to: { in: contacts.map((c) => c.email) }, status: "FAILED", createdAt: { gte: since } },
        select: { id: true, to: true, createdAt: true },
        take: 20,
      })
    : [];
  return {
    limit: summary.creditLimit,
    exposure: summary.exposure,
    available: summary.availableCredit,
    paidInvoices: paid.map((p) => ({ id: p.id, issuedOn: new Date(p.issuedOn).toISOString(), paidAt: new Date(p.paidAt).toISOString() })),
    pendingOrders: orders.map((o) => ({
      id: o.id,
      number: o.number,
      amount: { amountMinor: toMinor(o.amountMinor), currency: o.currency },
      placedAt: o.placedAt.toISOString(),
    })),
    brokenPromises: promises.map((p) => ({
      id: p.id,
      amount: { amountMinor: toMinor(p.amountMinor), currency: p.currency },
      promisedFor: p.promisedFor.toISOString(),
      resolvedAt: (p.resolvedAt ?? p.createdAt).toISOString(),
    })),
    bouncedEmails: bounced.map((e) => ({ id: e.id, to: e.to, createdAt: e.createdAt.toISOString() })),
    changeReports: reports.map((r) => ({
      id: r.id,
      kind: (CHANGE_KINDS as readonly string[]).includes(r.kind) ? (r.kind as ChangeKind) : "ownership",
      details: r.details,
      effectiveOn: r.effectiveOn?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

/** The signals each account fires now and no rep has reviewed yet. */
export async function openSignals(accountIds: string[], now = new Date()): Promise<Map<string, WatchSignal[]>> {
  const policy = await watchPolicy();
  const reviewed = await db().watchSignalReview.findMany({ where: { accountId: { in: accountIds } }, select: { accountId: true, signalKey: true } });
  const seen = new Set(reviewed.map((r) => `${r.accountId}|${r.signalKey}`));
  const result = new Map<string, WatchSignal[]>();
  for (const accountId of accountIds) {
    const facts = await factsOf(accountId, policy, now);
    if (!facts) continue;
    result.set(
      accountId,
      signalsFor(facts, policy, now).filter((s) => !seen.has(`${accountId}|${s.key}`)),
    );
  }
  return result;
}

export async function accountSignals(accountId: string, now = new Date()): Promise<WatchSignal[]> {
  return (await openSignals([accountId], now)).get(accountId) ?? [];
}

const SIGNAL_KEY = /^[a-z_]{3,20}:[A-Za-z0-9_-]{1,40}$/;

/** A rep has looked at a signal: it leaves My day and the 360. Reviewing twice records it once. */
export async function reviewSignal(actor: SessionUser, accountId: string, signalKey: string): Promise<"reviewed" | "not_found"> {
  if (!SIGNAL_KEY.test(signalKey)) return "not_found";
  const live = await accountSignals(accountId);
  if (!live.some((s) => s.key === signalKey)) return "not_found";
  try {
    await db().$transaction(async (tx) => {
      await tx.watchSignalReview.create({ data: { accountId, signalKey, reviewedById: actor.id } });
      await recordAudit(
        { actorId: actor.id, accountId, entity: "WatchSignal", entityId: signalKey, action: "signal_reviewed", before: null, after: { signalKey } },
        tx,
      );
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  return "reviewed";
}

export const changeReportSchema = z.object({
  kind: z.enum(CHANGE_KINDS, { error: "watch:report.errors.kind" }),
  details: freeText().trim().min(5, { error: "watch:report.errors.details" }).max(1000, { error: "watch:report.errors.detailsLong" }),
  effectiveOn: z.string().refine((v) => v === "" || calendarDay().safeParse(v).success, { error: "watch:report.errors.effectiveOn" }),
});

export type ChangeReportResult = { ok: true } | { ok: false; errors: Record<string, string> };

/** A customer reports a change of legal name, address, tax id or ownership; it becomes a signal for the account's rep. */
export async function reportAccountChange(customer: { id: string; accountId: string }, form: FormData): Promise<ChangeReportResult> {
  const parsed = changeReportSchema.safeParse({
    kind: form.get("kind") ?? "",
    details: String(form.get("details") ?? ""),
    effectiveOn: String(form.get("effectiveOn") ?? "").trim(),
  });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
    return { ok: false, errors };
  }
  const { kind, details, effectiveOn } = parsed.data;
  await db().$transaction(async (tx) => {
    const report = await tx.accountChangeReport.create({
      data: { accountId: customer.accountId, kind, details, effectiveOn: effectiveOn ? new Date(`${effectiveOn}T00:00:00Z`) : null, reportedById: customer.id },
    });
    await recordAudit(
      {
        actorId: customer.id,
        accountId: customer.accountId,
        entity: "AccountChangeReport",
        entityId: report.id,
        action: "change_reported",
        before: null,
        after: { kind },
      },
      tx,
    );
  });
  return { ok: true };
}

/**
 * The account's own reports, newest first, as the customer's page lists them (when and
 * what kind). Plain SQL on the driver: the account home asks on every render, and a
 * Prisma model call costs about a millisecond of CPU to compile (npm run bench:queries).
 */
export async function changeReportsOf(accountId: string) {
  const rows = await currentDatabase().sql.query<{ id: string; kind: string; createdAt: Date }>(
    `SELECT id, kind, "createdAt" AT TIME ZONE 'UTC' AS "createdAt" FROM "AccountChangeReport" WHERE "accountId" = $1 ORDER BY "createdAt" DESC LIMIT 20`,
    [accountId],
    "change-reports-of",
  );
  return rows.map((r) => ({ id: r.id, kind: r.kind, createdAt: new Date(r.createdAt).toISOString() }));
}
