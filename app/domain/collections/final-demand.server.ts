/**
 * Final demand and referral. A rule (policy `collections.finalDemand`: days past due, an
 * amount in the policy currency) recommends accounts whose undisputed balance that far
 * past due reaches the amount and that kept no promise to pay in that time. A rep
 * generates the letter — a PDF in the account's language, stored — which flags the
 * account; a later referral to an agency records who decided, to whom and why.
 */
import PDFDocument from "pdfkit";
import { Prisma } from "../../generated/prisma/client";
import { isLanguage, type Language } from "../../i18n/config";
import { translatorFor } from "../../i18n/i18n.server";
import { formattingFor, isFormattingLocale, languageOfLocale } from "../../i18n/locale";
import { currentDatabase, db } from "../../utils/db.server";
import { publicUrl } from "../../utils/config.server";
import { recordAudit } from "../audit/audit.server";
import { readStoredFile, storeUploadsFor } from "../files/stored-files.server";
import type { SessionUser } from "../auth/session-user";
import { policyValue } from "../policy/policy-value.server";
import { OPEN_DISPUTE_STATUSES } from "../disputes/dispute-schemas";
import { convertWithRate, latestRate } from "../fx/fx-rates.server";
import { formatMoney, toMinor, type Money } from "../money/money";
import { isUniqueViolation } from "../payments/unique-violation";

export type FinalDemandRule = { minDaysPastDue: number; minAmountMinor: number; currency: string };
const DEFAULT_RULE: FinalDemandRule = { minDaysPastDue: 60, minAmountMinor: 100_000, currency: "USD" };
const DAY = 86_400_000;
/** Days the customer is given to pay in the letter. */
const DAYS_TO_PAY = 10;

export function finalDemandRule() {
  return policyValue<FinalDemandRule>("collections.finalDemand", DEFAULT_RULE);
}

type LateInvoice = { id: string; number: string; accountId: string; currency: string; dueOn: Date; undisputed: bigint };

async function lateInvoices(rule: FinalDemandRule, now: Date, accountId?: string): Promise<LateInvoice[]> {
  const cutoff = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - rule.minDaysPastDue * DAY);
  return db().$queryRaw<LateInvoice[]>`
    SELECT i.id, i.number, i."accountId", i.currency, i."dueOn",
      (i."balanceMinor" - LEAST(i."balanceMinor", COALESCE((SELECT SUM(x."amountMinor") FROM "Dispute" x
        WHERE x."invoiceId" = i.id AND x.status::text IN (${Prisma.join([...OPEN_DISPUTE_STATUSES])})), 0)))::bigint AS undisputed
    FROM "Invoice" i
    WHERE i.status IN ('OPEN', 'PARTIALLY_PAID') AND i."balanceMinor" > 0 AND i."dueOn" <= ${cutoff}::date
      ${accountId ? Prisma.sql`AND i."accountId" = ${accountId}` : Prisma.empty}
    ORDER BY i."accountId", i."dueOn"`;
}

export type Recommendation = {
  accountId: string;
  number: string;
  legalName: string;
  pastDue: Money;
  /** The same in the policy currency (the rule's), at the dated rate: what the list is ranked by, across currencies. */
  pastDueInPolicy: Money;
  oldestDays: number;
  invoices: { number: string; dueOn: Date; amount: Money }[];
};

/** Accounts the rule recommends today, largest first (compared in the policy currency). */
export async function recommendedFinalDemands(now = new Date(), onlyAccountId?: string): Promise<Recommendation[]> {
  const rule = await finalDemandRule();
  const rows = (await lateInvoices(rule, now, onlyAccountId)).filter((r) => r.undisputed > 0n);
  const accountIds = [...new Set(rows.map((r) => r.accountId))];
  const since = new Date(now.getTime() - rule.minDaysPastDue * DAY);
  const kept = await db().promiseToPay.findMany({
    where: { accountId: { in: accountIds }, status: "KEPT", promisedFor: { gte: since } },
    select: { accountId: true },
  });
  const accounts = await db().account.findMany({ where: { id: { in: accountIds } }, select: { id: true, number: true, legalName: true, currency: true } });
  const result: Recommendation[] = [];
  for (const account of accounts) {
    if (kept.some((k) => k.accountId === account.id)) continue;
    const mine = rows.filter((r) => r.accountId === account.id);
    let total = 0;
    let inPolicy = 0;
    for (const r of mine) {
      const amount = toMinor(r.undisputed);
      const toAccount = r.currency === account.currency ? amount : await convert(amount, r.currency, account.currency, now);
      const toPolicy = r.currency === rule.currency ? amount : await convert(amount, r.currency, rule.currency, now);
      if (toAccount === null || toPolicy === null) continue;
      total += toAccount;
      inPolicy += toPolicy;
    }
    if (inPolicy < rule.minAmountMinor) continue;
    result.push({
      accountId: account.id,
      number: account.number,
      legalName: account.legalName,
      pastDue: { amountMinor: total, currency: account.currency },
      pastDueInPolicy: { amountMinor: inPolicy, currency: rule.currency },
      oldestDays: Math.floor((now.getTime() - mine[0].dueOn.getTime()) / DAY),
      invoices: mine.map((r) => ({ number: r.number, dueOn: r.dueOn, amount: { amountMinor: toMinor(r.undisputed), currency: r.currency } })),
    });
  }
  return result.sort((a, b) => b.pastDueInPolicy.amountMinor - a.pastDueInPolicy.amountMinor);
}

async function convert(amountMinor: number, from: string, to: string, asOf: Date): Promise<number | null> {
  const rate = await latestRate(from, to, asOf);
  return rate ? convertWithRate(amountMinor, rate) : null;
}

function accountLanguage(account: { preferredLanguage: string; locale: string }): Language {
  if (isLanguage(account.preferredLanguage)) return account.preferredLanguage;
  return isFormattingLocale(account.locale) ? languageOfLocale(account.locale) : "en";
}

export type FinalDemandError = { ok: false; error: "not_found" | "not_eligible" | "no_letter" };

/** Generates and stores the letter for an account the rule recommends; the account is flagged by it. */
export async function generateFinalDemand(actor: SessionUser, accountId: string, now = new Date()): Promise<{ ok: true; letterId: string } | FinalDemandError> {
  const account = await db().account.findUnique({ where: { id: accountId } });
  if (!account) return { ok: false, error: "not_found" };
  const [recommendation] = await recommendedFinalDemands(now, accountId);
  if (!recommendation) return { ok: false, error: "not_eligible" };
  const issuedOn = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const issuedToday = () => db().finalDemandLetter.findUnique({ where: { accountId_issuedOn: { accountId, issuedOn } }, select: { id: true } });
  // Generated already today (a double click, a colleague at the same moment): that letter is the answer, and no PDF is drawn again.
  const earlier = await issuedToday();
  if (earlier) return { ok: true, letterId: earlier.id };
  const language = accountLanguage(account);
  const { locale } = formattingFor(language, { locale: account.locale, timeZone: account.timeZone });
  // The account's own words: Spain reads "importe" and "agencia de recobro" where Mexico reads "monto" and "cobranza".
  const t = await translatorFor(language, account.locale);
  const pdf = await letterPdf(recommendation, t, locale, now);
  const upload = { fileName: `final-demand-${account.number}.pdf`, contentType: "application/pdf", sizeBytes: pdf.length, bytes: new Uint8Array(pdf) };
  let letter;
  try {
    letter = await storeUploadsFor([upload], ([file]) =>
      db().$transaction(async (tx) => {
        const row = await tx.finalDemandLetter.create({
          data: {
            accountId,
            language,
            pastDueMinor: BigInt(recommendation.pastDue.amountMinor),
            currency: recommendation.pastDue.currency,
            storageKey: file.storageKey,
            createdById: actor.id,
            createdAt: now,
            issuedOn,
          },
        });
        await recordAudit(
          {
            actorId: actor.id,
            accountId,
            entity: "FinalDemandLetter",
            entityId: row.id,
            action: "final_demand_issued",
            after: { language, pastDueMinor: recommendation.pastDue.amountMinor, currency: recommendation.pastDue.currency },
          },
          tx,
        );
        return row;
      }),
    );
  } catch (error) {
    // The other copy won the day's claim: its letter stands, and ours was never written.
    const winner = isUniqueViolation(error) ? await issuedToday() : null;
    if (!winner) throw error;
    return { ok: true, letterId: winner.id };
  }
  return { ok: true, letterId: letter!.id };
}

function letterPdf(r: Recommendation, t: (key: string, values?: Record<string, unknown>) => string, locale: string, now: Date): Promise<Buffer> {
  const date = (d: Date) => new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(d);
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: "LETTER", margin: 50, info: { Title: t("dunning:finalDemand.pdf.title"), Author: "Customer Accounts" } });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.font("Helvetica-Bold").fontSize(16).text(t("dunning:finalDemand.pdf.title"));
    doc.moveDown().font("Helvetica").fontSize(10);
    doc.text(t("dunning:finalDemand.pdf.date", { date: date(now) }));
    doc.text(t("dunning:finalDemand.pdf.to", { company: r.legalName, account: r.number }));
    doc.moveDown().text(t("dunning:finalDemand.pdf.body", { amount: formatMoney(r.pastDue, locale), days: DAYS_TO_PAY }));
    doc.moveDown().font("Helvetica-Bold").fontSize(9);
    const header = [
      t("dunning:finalDemand.pdf.invoice"),
      t("dunning:finalDemand.pdf.dueOn"),
      t("dunning:finalDemand.pdf.daysPastDue"),
      t("dunning:finalDemand.pdf.amount"),
    ];
    const columns = [50, 180, 330, 430];
    const line = (cells: string[]) => {
      const y = doc.y;
      cells.forEach((c, i) => doc.text(c, columns[i], y, { width: i === 3 ? 130 : 140, align: i === 3 ? "right" : "left" }));
      doc.x = 50;
    };
    line(header);
    doc.font("Helvetica");
    for (const inv of r.invoices)
      line([inv.number, date(inv.dueOn), String(Math.floor((now.getTime() - inv.dueOn.getTime()) / DAY)), formatMoney(inv.amount, locale)]);
    doc
      .moveDown()
      .fontSize(10)
      .text(t("dunning:finalDemand.pdf.pay", { link: publicUrl("/pay") }), 50);
    doc.moveDown().text(t("dunning:finalDemand.pdf.closing"));
    doc.moveDown().text(t("dunning:finalDemand.pdf.signature"));
    doc.end();
  });
}

/** Records a referral to a collection agency; only after a final demand letter. */
export async function referToAgency(
  actor: SessionUser,
  input: { accountId: string; agencyName: string; reason: string },
): Promise<{ ok: true } | FinalDemandError> {
  const account = await db().account.findUnique({ where: { id: input.accountId }, select: { id: true } });
  if (!account) return { ok: false, error: "not_found" };
  if (!(await db().finalDemandLetter.count({ where: { accountId: input.accountId } }))) return { ok: false, error: "no_letter" };
  await db().$transaction(async (tx) => {
    const row = await tx.agencyReferral.create({
      data: { accountId: input.accountId, agencyName: input.agencyName, reason: input.reason, decidedById: actor.id },
    });
    await recordAudit(
      {
        actorId: actor.id,
        accountId: input.accountId,
        entity: "AgencyReferral",
        entityId: row.id,
        action: "referred_to_agency",
        after: { agencyName: input.agencyName, reason: input.reason },
      },
      tx,
    );
  });
  return { ok: true };
}

/** Letters and referrals of these accounts (the page's flags and history). */
export async function finalDemandHistory(accountIds: string[]) {
  const letters = await db().finalDemandLetter.findMany({
    where: { accountId: { in: accountIds } },
    orderBy: { createdAt: "desc" },
    select: { id: true, accountId: true, createdAt: true, language: true },
  });
  const referrals = await db().agencyReferral.findMany({ where: { accountId: { in: accountIds } }, orderBy: { createdAt: "desc" } });
  const people = await db().user.findMany({ where: { id: { in: referrals.map((r) => r.decidedById) } }, select: { id: true, name: true } });
  return {
    letters: letters.map((l) => ({ id: l.id, accountId: l.accountId, createdAt: l.createdAt.toISOString(), language: l.language })),
    referrals: referrals.map((r) => ({
      id: r.id,
      accountId: r.accountId,
      agencyName: r.agencyName,
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
      decidedBy: people.find((p) => p.id === r.decidedById)?.name ?? "",
    })),
  };
}

/** A letter's PDF for this reader: any staff member, or a customer of the letter's own account. */
export async function letterForReader(user: SessionUser, letterId: string) {
  const letter = await db().finalDemandLetter.findUnique({ where: { id: letterId } });
  if (!letter) return null;
  if (user.role === "CUSTOMER" && user.accountId !== letter.accountId) return null;
  return { ...letter, pdf: await readStoredFile(letter.storageKey) };
}

/**
 * The account's own final demand letters, newest first, for its people to read on the
 * portal. Plain SQL on the driver: the account home asks on every render, and a Prisma
 * model call costs about a millisecond of CPU to compile (npm run bench:queries).
 */
export async function lettersOfAccount(accountId: string) {
  const rows = await currentDatabase().sql.query<{ id: string; createdAt: Date }>(
    `SELECT id, "createdAt" AT TIME ZONE 'UTC' AS "createdAt" FROM "FinalDemandLetter" WHERE "accountId" = $1 ORDER BY "createdAt" DESC LIMIT 20`,
    [accountId],
    "letters-of-account",
  );
  return rows.map((r) => ({ id: r.id, issuedAt: new Date(r.createdAt).toISOString() }));
}
