import { readableValues, type EventFormats } from "../../i18n/stored-event";

type Translate = (key: string, values?: Record<string, unknown>) => string;

type EventLike = { code: string; values: Record<string, unknown> };

/** One timeline event as a sentence in the reader's language (page, CSV and PDF alike). */
export function describeTimelineEvent(event: EventLike, t: Translate, f: EventFormats): string {
  return t(`collections:timeline.events.${event.code}`, readableValues(event.values, t, f));
}
