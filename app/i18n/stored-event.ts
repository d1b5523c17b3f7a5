import { chatCardOf, type ChatCard } from "../domain/chat/cards";
import type { Money } from "../domain/money/money";

/**
 * Something the portal wrote down as data rather than as a sentence: a translation key
 * and its values, rendered in whoever reads it (a system line in a chat, an account
 * note). Values are plain text or numbers, money, an ISO day under `date`, or another
 * key (`{ key }`, a topic or a disposition). `detail` is free text a person typed,
 * shown as written. `card` is a chat card (a pay link, a promise, a dispute) that readers
 * who can draw it show as a card; the code and values are the same card as one line.
 */
export type StoredEventValue = string | number | Money | { key: string };
export type StoredEvent = { code: string; values: Record<string, StoredEventValue>; detail?: string; card?: ChatCard };

type Translate = (key: string, values?: Record<string, unknown>) => string;
export type EventFormats = { money: (value: Money) => string; date: (value: string) => string };

function isMoney(value: unknown): value is Money {
  return typeof value === "object" && value !== null && "amountMinor" in value && "currency" in value;
}

/** The values of an event as the reader writes them: amounts, days and terms in their locale and language. */
export function readableValues(values: Record<string, unknown>, t: Translate, f: EventFormats): Record<string, unknown> {
  const readable: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (isMoney(value)) readable[name] = f.money(value);
    else if (typeof value === "object" && value !== null && "key" in value) readable[name] = t(String((value as { key: string }).key));
    // A calendar day: noon UTC, so no reader's zone moves it to another day.
    else if (name === "date" && typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) readable[name] = f.date(`${value}T12:00:00Z`);
    else readable[name] = value;
  }
  return readable;
}

/** A stored row's event column, if it holds one (rows written before events were stored have none). */
export function storedEventOf(value: unknown): StoredEvent | null {
  if (typeof value !== "object" || value === null) return null;
  const { code, values, detail, card } = value as Partial<StoredEvent>;
  if (typeof code !== "string" || typeof values !== "object" || values === null) return null;
  const drawn = card === undefined ? null : chatCardOf(card);
  return { code, values, ...(typeof detail === "string" && detail ? { detail } : {}), ...(drawn ? { card: drawn } : {}) };
}

/** The event's sentence in the reader's language, then its free text on the next line. */
export function describeStoredEvent(event: StoredEvent, t: Translate, f: EventFormats): string {
  return [t(event.code, readableValues(event.values, t, f)), event.detail].filter(Boolean).join("\n");
}

/** What a stored line says to this reader: its event when it has one, else the text it was stored with. */
export function storedText(row: { event?: unknown; body: string }, t: Translate, f: EventFormats): string {
  const event = storedEventOf(row.event);
  return event ? describeStoredEvent(event, t, f) : row.body;
}
