import { db } from "../../utils/db.server";
import { OPEN_DISPUTE_STATUSES } from "../disputes/dispute-schemas";
import { SUPPORTED_CURRENCIES, toMinor, type Money } from "../money/money";

export type PayableInvoice = { id: string; number: string; dueOn: string; pastDue: boolean; balance: Money; disputed: Money; payable: Money };

/**
 * What a customer may pay in one go: the account's open invoices in one currency (the
 * one asked for if the portal supports it, else the account's), oldest due first, with
 * the invoices they picked first whether or not they are among the oldest shown. What an
 * open dispute claims is not asked for: an invoice's payable amount is its undisputed part.
 * `pickPastDue` preselects every past-due invoice shown ("select past due", a plain link).
 */
export async function payableInvoices(
  accountId: string,
  ask: { currency: string | null; chosen: string[]; shown: number; pickPastDue?: boolean; today?: Date },
): Promise<{ currency: string; invoices: PayableInvoice[]; chosen: string[]; truncated: boolean }> {
  const account = await db().account.findUniqueOrThrow({ where: { id: accountId }, select: { currency: true } });
  const currency = (SUPPORTED_CURRENCIES as readonly string[]).includes(ask.currency ?? "") ? ask.currency! : account.currency;
  const where = { accountId, currency, status: { in: ["OPEN" as const, "PARTIALLY_PAID" as const] }, balanceMinor: { gt: 0n } };
  const select = {
    id: true,
    number: true,
    dueOn: true,
    balanceMinor: true,
    currency: true,
    disputes: { where: { status: { in: [...OPEN_DISPUTE_STATUSES] } }, select: { amountMinor: true } },
  };
  const [oldest, picked] = await Promise.all([
    db().invoice.findMany({ where, orderBy: [{ dueOn: "asc" }, { id: "asc" }], take: ask.shown, select }),
    ask.chosen.length ? db().invoice.findMany({ where: { ...where, id: { in: ask.chosen } }, select }) : Promise.resolve([]),
  ]);
  const all = [...picked, ...oldest.filter((o) => !picked.some((p) => p.id === o.id))];
  const today = (ask.today ?? new Date()).toISOString().slice(0, 10);
  const invoices = all.map((i) => {
    const balance = toMinor(i.balanceMinor);
    const disputed = Math.min(
      balance,
      i.disputes.reduce((sum, d) => sum + toMinor(d.amountMinor), 0),
    );
    const dueOn = i.dueOn.toISOString().slice(0, 10);
    return {
      id: i.id,
      number: i.number,
      dueOn,
      pastDue: dueOn < today && balance > disputed,
      balance: { amountMinor: balance, currency: i.currency },
      disputed: { amountMinor: disputed, currency: i.currency },
      payable: { amountMinor: balance - disputed, currency: i.currency },
    };
  });
  const pickedIds = picked.map((p) => p.id);
  const pastDueIds = ask.pickPastDue ? invoices.filter((i) => i.pastDue && !pickedIds.includes(i.id)).map((i) => i.id) : [];
  return { currency, truncated: oldest.length === ask.shown, chosen: [...pickedIds, ...pastDueIds], invoices };
}
