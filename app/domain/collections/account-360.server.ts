/**
 * The account 360: one account as a collector sees it. The header and aging come from
 * the account summary (aging in SQL); each tab reads only its own rows, newest first and
 * limited, so an account with 10,000 invoices opens as fast as one with ten.
 */
import { storedEventOf } from "../../i18n/stored-event";
import { db } from "../../utils/db.server";
import { loadHistory } from "../audit/history.server";
import { accountSummary } from "../accounts/account-summary.server";
import { convertWithDisclosure } from "../fx/conversion.server";
import { toMinor } from "../money/money";
import { contactsOf } from "./contacts.server";
import { collectionsPolicy, isoDay } from "./policy.server";
import { promisableInvoices, promisesOf } from "./promises.server";
import { accountTimeline, TIMELINE_SOURCES } from "./timeline.server";

import { ACCOUNT_TABS, type AccountTab } from "./codes";
export const INVOICE_PAGE_SIZE = 50;

export function tabFrom(value: string | null): AccountTab {
  return (ACCOUNT_TABS as readonly string[]).includes(value ?? "") ? (value as AccountTab) : "overview";
}

async function header(accountId: string, now: Date) {
  const summary = await accountSummary(accountId, now);
  if (!summary) return null;
  const [account, policy] = await Promise.all([
    db().account.findUniqueOrThrow({
      where: { id: accountId },
      select: { preferredLanguage: true, statusReason: true, country: true, timeZone: true, phone: true, ownerRep: { select: { id: true, name: true } } },
    }),
    collectionsPolicy(),
  ]);
  // The account's figures stay in its currency; the policy currency is what the worklist and authority compare in.
  const [pastDueInPolicy, balanceInPolicy] = await Promise.all([
    convertWithDisclosure(summary.pastDue, policy.policyCurrency, now),
    convertWithDisclosure(summary.balance, policy.policyCurrency, now),
  ]);
  return {
    summary,
    details: account,
    policyCurrency: policy.policyCurrency,
    promiseMaxDaysAhead: policy.promiseMaxDaysAhead,
    pastDueInPolicy,
    balanceInPolicy,
  };
}

async function tabData(accountId: string, tab: AccountTab, params: URLSearchParams, now: Date) {
  const where = { accountId };
  switch (tab) {
    case "overview":
      return { tab, timeline: await accountTimeline(accountId, { take: 15 }), contacts: await contactsOf(accountId, 5) };
    case "invoices": {
      const page = Math.min(10_000, Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1));
      const [rows, total] = await Promise.all([
        db().invoice.findMany({
          where,
          orderBy: [{ issuedOn: "desc" }, { id: "desc" }],
          skip: (page - 1) * INVOICE_PAGE_SIZE,
          take: INVOICE_PAGE_SIZE,
          select: { id: true, number: true, issuedOn: true, dueOn: true, totalMinor: true, balanceMinor: true, currency: true, status: true },
        }),
        db().invoice.count({ where }),
      ]);
      return {
        tab,
        page,
        total,
        pageSize: INVOICE_PAGE_SIZE,
        invoices: rows.map((r) => ({
          ...r,
          issuedOn: isoDay(r.issuedOn),
          dueOn: isoDay(r.dueOn),
          totalMinor: toMinor(r.totalMinor),
          balanceMinor: toMinor(r.balanceMinor),
        })),
      };
    }
    case "payments": {
      const rows = await db().payment.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: 50,
        select: {
          id: true,
          number: true,
          amountMinor: true,
          unappliedMinor: true,
          currency: true,
          status: true,
          method: true,
          adjustmentId: true,
          receivedAt: true,
          createdAt: true,
        },
      });
      return {
        tab,
        payments: rows.map(({ adjustmentId, ...r }) => ({
          ...r,
          // Account credit from a credit memo, shown beside cash with its unapplied amount as the credit left.
          accountCredit: adjustmentId !== null,
          amountMinor: toMinor(r.amountMinor),
          unappliedMinor: toMinor(r.unappliedMinor),
        })),
      };
    }
    case "disputes": {
      const rows = await db().dispute.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: 50,
        select: {
          id: true,
          number: true,
          amountMinor: true,
          currency: true,
          status: true,
          reason: true,
          createdAt: true,
          invoice: { select: { number: true } },
        },
      });
      return { tab, disputes: rows.map((r) => ({ ...r, amountMinor: toMinor(r.amountMinor) })) };
    }
    case "orders": {
      const rows = await db().order.findMany({
        where: { accountId, status: "ON_HOLD" },
        orderBy: [{ heldAt: "desc" }, { id: "desc" }],
        take: 50,
        select: { id: true, number: true, amountMinor: true, currency: true, holdReason: true, heldAt: true, poNumber: true },
      });
      return { tab, orders: rows.map((r) => ({ ...r, amountMinor: toMinor(r.amountMinor) })) };
    }
    case "credit": {
      const [applications, changes] = await Promise.all([
        db().creditApplication.findMany({
          where,
          orderBy: { createdAt: "desc" },
          take: 20,
          select: { id: true, number: true, status: true, requestedLimitMinor: true, currency: true, approvedLimitMinor: true, createdAt: true },
        }),
        accountTimeline(accountId, { take: 50, sources: { credit: TIMELINE_SOURCES.credit } }),
      ]);
      return {
        tab,
        applications: applications.map((a) => ({
          ...a,
          requestedLimitMinor: a.requestedLimitMinor === null ? null : toMinor(a.requestedLimitMinor),
          approvedLimitMinor: a.approvedLimitMinor === null ? null : toMinor(a.approvedLimitMinor),
        })),
        changes,
      };
    }
    case "conversations": {
      const rows = await db().conversation.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: 50,
        select: { id: true, channel: true, topic: true, status: true, language: true, createdAt: true, assignedRep: { select: { name: true } } },
      });
      return { tab, conversations: rows };
    }
    case "notes": {
      const rows = await db().accountNote.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: 50,
        select: { id: true, kind: true, body: true, event: true, createdAt: true, author: { select: { name: true } } },
      });
      return { tab, notes: rows.map((r) => ({ ...r, event: storedEventOf(r.event) })) };
    }
    case "promises": {
      const [promises, promisable] = await Promise.all([promisesOf(accountId), promisableInvoices(accountId, now)]);
      return {
        tab,
        promises: promises.map((p) => ({
          id: p.id,
          amountMinor: toMinor(p.amountMinor),
          currency: p.currency,
          promisedFor: isoDay(p.promisedFor),
          status: p.status,
          byCustomer: p.byCustomer,
          note: p.note,
          createdAt: p.createdAt,
          invoices: p.invoices.map((i) => i.invoice.number),
        })),
        promisable: promisable.map((i) => ({
          id: i.id,
          number: i.number,
          dueOn: isoDay(i.dueOn),
          balanceMinor: toMinor(i.balanceMinor),
          currency: i.currency,
        })),
      };
    }
    case "contacts":
      return { tab, contacts: await contactsOf(accountId, 100) };
    case "audit":
      return { tab, audit: await loadHistory({ accountId }, { newestFirst: true, take: 100 }) };
    case "timeline":
      return { tab, timeline: await accountTimeline(accountId, { take: 200 }) };
  }
}

export async function account360(accountId: string, tab: AccountTab, params: URLSearchParams, now = new Date()) {
  const head = await header(accountId, now);
  if (!head) return null;
  return { ...head, data: await tabData(accountId, tab, params, now), today: isoDay(now) };
}

export type Account360 = NonNullable<Awaited<ReturnType<typeof account360>>>;
