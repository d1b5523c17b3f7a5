/**
 * Dunning: the reminder schedule (policy `dunning.schedule`, days relative to the due
 * date) applied to every open invoice, in the account's language, with a pay link.
 *
 * An invoice is reminded of the latest step that has come due and not been sent; the
 * notice row (UNIQUE invoiceId + step) is inserted in the transaction that queues the
 * email, with ON CONFLICT DO NOTHING, so a second process or a rerun finds it and sends
 * nothing. Left out: the part of an invoice under open dispute (the rest is dunned, and
 * the email says how much), an account under a live promise to pay, and a day that is a
 * holiday or closed day in the account country's business calendar (the chat's) — the
 * step then goes out on the next business day.
 */
import { Prisma } from "../../generated/prisma/client";
import { isLanguage, type Language } from "../../i18n/config";
import { languageOfLocale, isFormattingLocale } from "../../i18n/locale";
import { db } from "../../utils/db.server";
import { CLAIM_TRANSACTION } from "../../utils/transactions.server";
import { publicUrl } from "../../utils/config.server";
import { businessHours } from "../chat/assignment.server";
import { policyValue } from "../policy/policy-value.server";
import { isBusinessDay } from "../chat/routing";
import { OPEN_DISPUTE_STATUSES } from "../disputes/dispute-schemas";
import type { Job, JobResult } from "../jobs/runner.server";
import { mailDay, mailJoin, mailText, queueEmailInTransaction } from "../mail/outbox.server";
import enMail from "../../../locales/en/mail.json";
import { toMinor } from "../money/money";

export type DunningStep = { step: string; offsetDays: number };

export const DEFAULT_SCHEDULE: DunningStep[] = [
  { step: "courtesy", offsetDays: -3 },
  { step: "due", offsetDays: 0 },
  { step: "past_due_7", offsetDays: 7 },
  { step: "past_due_15", offsetDays: 15 },
  { step: "past_due_30", offsetDays: 30 },
];

const DAY = 86_400_000;

export async function dunningSchedule(): Promise<DunningStep[]> {
  const steps = await policyValue<DunningStep[]>("dunning.schedule", DEFAULT_SCHEDULE);
  return [...steps].sort((a, b) => a.offsetDays - b.offsetDays);
}

/** The latest step whose day (due date + offset) is on or before `today`, or null. */
export function stepDue(schedule: readonly DunningStep[], dueOn: Date, today: Date): DunningStep | null {
  let found: DunningStep | null = null;
  for (const step of schedule) if (dueOn.getTime() + step.offsetDays * DAY <= today.getTime()) found = step;
  return found;
}

type Candidate = { id: string; number: string; accountId: string; currency: string; dueOn: Date; balanceMinor: bigint; disputedMinor: bigint; sent: string[] };

function utcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** The account's language for mail: its preferred language, else its locale's. */
export function accountLanguage(account: { preferredLanguage: string; locale: string }): Language {
  if (isLanguage(account.preferredLanguage)) return account.preferredLanguage;
  return isFormattingLocale(account.locale) ? languageOfLocale(account.locale) : "en";
}

export async function runDunning({ now }: { now: Date }): Promise<JobResult> {
  const result: JobResult = { sent: 0, emails: 0, no_contact: 0, skipped_disputed: 0, skipped_promise: 0, skipped_holiday: 0 };
  const schedule = await dunningSchedule();
  if (!schedule.length) return result;
  const today = utcDay(now);
  // Nothing is due on an invoice before its earliest step's day.
  const latestDueOn = new Date(today.getTime() - schedule[0].offsetDays * DAY);
  const rows = await db().$queryRaw<Candidate[]>`
    SELECT i.id, i.number, i."accountId", i.currency, i."dueOn", i."balanceMinor",
      LEAST(i."balanceMinor", COALESCE((SELECT SUM(x."amountMinor") FROM "Dispute" x
        WHERE x."invoiceId" = i.id AND x.status::text IN (${Prisma.join([...OPEN_DISPUTE_STATUSES])})), 0))::bigint AS "disputedMinor",
      COALESCE((SELECT array_agg(n.step) FROM "DunningNotice" n WHERE n."invoiceId" = i.id), ARRAY[]::text[]) AS sent
    FROM "Invoice" i
    WHERE i.status IN ('OPEN', 'PARTIALLY_PAID') AND i."balanceMinor" > 0 AND i."dueOn" <= ${latestDueOn}::date
    ORDER BY i."accountId", i."dueOn", i.id`;

  const byAccount = new Map<string, { invoice: Candidate; step: DunningStep; undisputedMinor: number }[]>();
  for (const invoice of rows) {
    const step = stepDue(schedule, invoice.dueOn, today);
    if (!step || invoice.sent.includes(step.step)) continue;
    const undisputedMinor = toMinor(invoice.balanceMinor) - toMinor(invoice.disputedMinor);
    if (undisputedMinor <= 0) {
      result.skipped_disputed++;
      continue;
    }
    const list = byAccount.get(invoice.accountId) ?? [];
    list.push({ invoice, step, undisputedMinor });
    byAccount.set(invoice.accountId, list);
  }

  const calendars = await policyValue<Record<string, string>>("dunning.calendarByCountry", {});
  for (const [accountId, dueNow] of byAccount) {
    let due = dueNow;
    const account = await db().account.findUniqueOrThrow({
      where: { id: accountId },
      select: { id: true, number: true, legalName: true, country: true, preferredLanguage: true, locale: true, timeZone: true },
    });
    const language = accountLanguage(account);
    const calendarKey = calendars[account.country] ?? `hours.${language}`;
    if (!isBusinessDay(await businessHours(calendarKey.replace(/^hours\./, "")), now)) {
      result.skipped_holiday += due.length;
      continue;
    }
    // A live promise (open, its date not passed) holds the reminders of the invoices it names until
    // it is kept or broken; a promise that names no invoice (logged from a call or a chat) holds them all.
    const live = await db().promiseToPay.findMany({
      where: { accountId, status: "OPEN", promisedFor: { gte: today } },
      select: { invoices: { select: { invoiceId: true } } },
    });
    const wholeAccount = live.some((p) => p.invoices.length === 0);
    const promisedInvoices = new Set(live.flatMap((p) => p.invoices.map((i) => i.invoiceId)));
    const unpromised = wholeAccount ? [] : due.filter((d) => !promisedInvoices.has(d.invoice.id));
    result.skipped_promise += due.length - unpromised.length;
    if (!unpromised.length) continue;
    due = unpromised;
    const contact = await db().user.findFirst({
      where: { accountId, role: "CUSTOMER", active: true },
      orderBy: { createdAt: "asc" },
      select: { email: true, name: true },
    });
    const outcome = await sendAccountNotices(account, language, contact, due, now);
    result.sent += outcome.sent;
    result.emails += outcome.email ? 1 : 0;
    result.no_contact += contact ? 0 : outcome.sent;
  }
  return result;
}

/** Steps the notice names in words; any other step reads as "other". */
const DUNNING_STEP_KEYS = new Set(Object.keys(enMail.dunning_notice.steps));

type AccountFacts = { id: string; number: string; legalName: string; locale: string; timeZone: string };

/**
 * One email for the account's newly due steps. The notices are inserted first, skipping
 * any another run already inserted; only what this transaction inserted goes in the email.
 */
async function sendAccountNotices(
  account: AccountFacts,
  language: Language,
  contact: { email: string; name: string } | null,
  due: { invoice: Candidate; step: DunningStep; undisputedMinor: number }[],
  now: Date,
): Promise<{ sent: number; email: boolean }> {
  // The account's people read it: its locale's words and figures (es-ES: reclamación, 1.234,56 €), its zone.
  const reader = { language, locale: account.locale, timeZone: account.timeZone };
  const outcome = await db().$transaction(async (tx) => {
    const inserted = await tx.dunningNotice.createManyAndReturn({
      data: due.map((d) => ({
        invoiceId: d.invoice.id,
        accountId: account.id,
        step: d.step.step,
        outcome: contact ? ("SENT" as const) : ("NO_CONTACT" as const),
        amountMinor: BigInt(d.undisputedMinor),
        currency: d.invoice.currency,
        // The job's clock, so the history reads as the schedule ran (and tests can advance it).
        createdAt: now,
      })),
      skipDuplicates: true,
      select: { id: true, invoiceId: true, step: true },
    });
    if (!inserted.length || !contact) return { sent: inserted.length, deliver: null };
    const mine = due.filter((d) => inserted.some((n) => n.invoiceId === d.invoice.id && n.step === d.step.step));
    const lines = mine.map((d) =>
      mailText(d.invoice.disputedMinor > 0n ? "mail:dunning_notice.lineDisputed" : "mail:dunning_notice.line", {
        number: d.invoice.number,
        dueOn: mailDay(d.invoice.dueOn),
        amount: { amountMinor: d.undisputedMinor, currency: d.invoice.currency },
        disputed: { amountMinor: d.invoice.disputedMinor, currency: d.invoice.currency },
        step: mailText(`mail:dunning_notice.steps.${DUNNING_STEP_KEYS.has(d.step.step) ? d.step.step : "other"}`),
      }),
    );
    // The most pressing step of the batch sets the email's tone.
    const pressing = mine.reduce((a, b) => (b.step.offsetDays > a.step.offsetDays ? b : a)).step;
    const query = mine.map((d) => `invoice=${encodeURIComponent(d.invoice.id)}`).join("&");
    const { row, deliver } = await queueEmailInTransaction(tx, {
      to: contact.email,
      reader,
      template: "dunning_notice",
      values: {
        name: contact.name,
        company: account.legalName,
        account: account.number,
        intro: mailText(`mail:dunning_notice.intro.${pressing.offsetDays < 0 ? "before" : pressing.offsetDays === 0 ? "due" : "late"}`, { days: pressing.offsetDays, company: account.legalName }),
        lines: mailJoin(lines),
        link: publicUrl(`/pay?${query}`),
      },
    });
    await tx.dunningNotice.updateMany({ where: { id: { in: inserted.map((n) => n.id) } }, data: { emailId: row.id } });
    return { sent: inserted.length, deliver };
  }, CLAIM_TRANSACTION);
  await outcome.deliver?.();
  return { sent: outcome.sent, email: Boolean(outcome.deliver) };
}

/** Due steps that could not be sent (nobody to write to): the reps' exceptions list. */
export async function dunningExceptions(limit = 100) {
  const rows = await db().dunningNotice.findMany({ where: { outcome: "NO_CONTACT" }, orderBy: { createdAt: "desc" }, take: limit });
  const accounts = await db().account.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.accountId))] } },
    select: { id: true, number: true, legalName: true },
  });
  const invoices = await db().invoice.findMany({ where: { id: { in: rows.map((r) => r.invoiceId) } }, select: { id: true, number: true } });
  return rows.map((r) => ({
    id: r.id,
    step: r.step,
    createdAt: r.createdAt.toISOString(),
    amount: { amountMinor: toMinor(r.amountMinor), currency: r.currency },
    account: accounts.find((a) => a.id === r.accountId) ?? null,
    invoice: invoices.find((i) => i.id === r.invoiceId) ?? null,
  }));
}

/** An account's dunning history, newest first (the 360's dunning section and the timeline). */
export async function dunningHistory(accountId: string) {
  const rows = await db().dunningNotice.findMany({ where: { accountId }, orderBy: { createdAt: "desc" }, take: 200 });
  return rows.map((r) => ({
    id: r.id,
    invoiceId: r.invoiceId,
    step: r.step,
    outcome: r.outcome,
    createdAt: r.createdAt.toISOString(),
    amount: { amountMinor: toMinor(r.amountMinor), currency: r.currency },
  }));
}

export const dunningJob: Job = { name: "dunning", run: ({ now }) => runDunning({ now: now() }) };
