/**
 * One renderer for every history list (payments, invoices, orders, disputes, credit):
 * an audit row is data — an action code, before and after values, who did it — and is
 * turned here into a sentence in the reader's language with the actor's name and level
 * ("Ana Ruiz (Rep III) released order SO-1042: on hold → released"). Nothing stored is
 * shown raw: codes become words, money is formatted, internal fields are left out.
 * Pure, so the page and any PDF or email use the same words.
 */
import type { Money } from "../money/money";

export type HistoryEntry = {
  id: string;
  at: string;
  action: string;
  entity: string;
  /** The readable reference of what changed (PMT-000123, an invoice or order number). */
  subject: string | null;
  currency: string | null;
  actor: { name: string; level: string | null } | null;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  /** Readable references of ids named in the values (a payment's PMT number for its id). */
  refs: Record<string, string>;
};

export type HistoryLine = { id: string; at: string; sentence: string; details: string[] };

type T = (key: string, options?: Record<string, unknown>) => string;

/** Fields whose values are codes (statuses, reasons, levels): shown as words. */
const CODED = new Set(["status", "holdReason", "flaggedReason", "requiredLevel", "level", "kind", "reason", "decision"]);
/** Fields that are plumbing, not something a reader weighs. */
const HIDDEN = new Set(["source", "paymentId", "items", "applicationId", "receivedCurrency", "sizeBytes", "firstUserEmail", "number", "currency"]);

function word(t: T, code: string): string {
  return t(`common:history.values.${code}`, { defaultValue: code.toLowerCase().replace(/_/g, " ") });
}

function shown(t: T, money: (m: Money) => string, entry: HistoryEntry, key: string, value: unknown): string | null {
  if (value === undefined || value === null || value === "") return "—";
  if (key.endsWith("Minor") && typeof value === "number") return money({ amountMinor: value, currency: entry.currency ?? "USD" });
  if (key.endsWith("Days") && typeof value === "number") return t("common:history.net", { count: value });
  if (CODED.has(key) && typeof value === "string" && /^[A-Za-z_]+$/.test(value)) return word(t, value);
  if (typeof value === "string" || typeof value === "number") return String(value);
  return null;
}

function actorLabel(t: T, entry: HistoryEntry): string {
  if (!entry.actor) return t("common:history.system");
  if (!entry.actor.level) return entry.actor.name;
  return t("common:history.actor", { name: entry.actor.name, level: t(`common:history.levels.${entry.actor.level}`, { defaultValue: entry.actor.level }) });
}

export function historyLine(entry: HistoryEntry, t: T, money: (m: Money) => string): HistoryLine {
  const { before, after } = entry;
  const amountMinor = [after.amountMinor, after.receivedMinor, after.refundedMinor].find((v): v is number => typeof v === "number");
  const status = (side: Record<string, unknown>) => (typeof side.status === "string" ? word(t, side.status) : null);
  const change =
    status(before) && status(after) && before.status !== after.status ? t("common:history.change", { from: status(before), to: status(after) }) : null;
  const paymentId = typeof after.paymentId === "string" ? after.paymentId : null;
  const values = {
    actor: actorLabel(t, entry),
    subject: entry.subject ?? "",
    entity: t(`common:history.entities.${entry.entity}`, { defaultValue: t("common:history.entities.record") }),
    amount: amountMinor === undefined ? "" : money({ amountMinor, currency: entry.currency ?? "USD" }),
    payment: paymentId ? (entry.refs[paymentId] ?? "") : "",
    reason: typeof after.flaggedReason === "string" ? word(t, after.flaggedReason) : typeof after.reason === "string" ? word(t, after.reason) : "",
    change: change ?? "",
  };
  const key = `common:history.actions.${entry.action.replace(/\./g, "_")}`;
  let sentence = t(key, { ...values, defaultValue: "" });
  if (!sentence) sentence = t("common:history.actions.other", values);
  if (change && !sentence.includes(change)) sentence = t("common:history.withChange", { sentence, change });
  const details: string[] = [];
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (HIDDEN.has(field) || field === "status") continue;
    const label = t(`common:history.fields.${field}`, { defaultValue: "" });
    if (!label) continue;
    const to = shown(t, money, entry, field, after[field]);
    if (to === null) continue;
    const from = field in before ? shown(t, money, entry, field, before[field]) : null;
    details.push(
      from !== null && from !== to ? t("common:history.detailChange", { field: label, from, to }) : t("common:history.detail", { field: label, value: to }),
    );
  }
  return { id: entry.id, at: entry.at, sentence, details };
}
