import type { Money } from "../money/money";

type Translate = (key: string, values?: Record<string, unknown>) => string;
type Formats = { money: (value: Money) => string; date: (value: string) => string };

type EventLike = { code: string; values: Record<string, unknown> };

function isMoney(value: unknown): value is Money {
  return typeof value === "object" && value !== null && "amountMinor" in value && "currency" in value;
}

/** One timeline event as a sentence in the reader's language (page, CSV and PDF alike). */
export function describeTimelineEvent(event: EventLike, t: Translate, f: Formats): string {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(event.values)) {
    if (isMoney(value)) values[name] = f.money(value);
    else if (typeof value === "object" && value !== null && "key" in value) values[name] = t(String((value as { key: string }).key));
    else if (name === "date" && typeof value === "string") values[name] = f.date(`${value}T12:00:00Z`);
    else values[name] = value;
  }
  return t(`collections:timeline.events.${event.code}`, values);
}
