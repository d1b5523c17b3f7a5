import { db } from "../../utils/db.server";
import { SUPPORTED_CURRENCIES, toMinor, type Money } from "../money/money";

export type PayableInvoice = { id: string; number: string; dueOn: string; balance: Money };

/**
 * What a customer may pay in one go: the account's open invoices in one currency (the
 * one asked for if the portal supports it, else the account's), oldest due first, with
 * the invoices they picked first whether or not they are among the oldest shown.
 */
export async function payableInvoices(
  accountId: string,
  ask: { currency: string | null; chosen: string[]; shown: number },
): Promise<{ currency: string; invoices: PayableInvoice[]; chosen: string[]; truncated: boolean }> {
  const account = await db().account.findUniqueOrThrow({ where: { id: accountId }, select: { currency: true } });
  const currency = (SUPPORTED_CURRENCIES as readonly string[]).includes(ask.currency ?? "") ? ask.currency! : account.currency;
  const where = { accountId, currency, status: { in: ["OPEN" as const, "PARTIALLY_PAID" as const] }, balanceMinor: { gt: 0n } };
  const select = { id: true, number: true, dueOn: true, balanceMinor: true, currency: true };
  const [oldest, picked] = await Promise.all([
    db().invoice.findMany({ where, orderBy: [{ dueOn: "asc" }, { id: "asc" }], take: ask.shown, select }),
    ask.chosen.length ? db().invoice.findMany({ where: { ...where, id: { in: ask.chosen } }, select }) : Promise.resolve([]),
  ]);
  const all = [...picked, ...oldest.filter((o) => !picked.some((p) => p.id === o.id))];
  return {
    currency,
    truncated: oldest.length === ask.shown,
    chosen: picked.map((p) => p.id),
    invoices: all.map((i) => ({ id: i.id, number: i.number, dueOn: i.dueOn.toISOString().slice(0, 10), balance: { amountMinor: toMinor(i.balanceMinor), currency: i.currency } })),
  };
}
