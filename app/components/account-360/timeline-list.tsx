import { useTranslation } from "react-i18next";
import type { TimelineEvent } from "../../domain/collections/timeline.server";
import { describeTimelineEvent } from "../../domain/collections/timeline-text";
import { useFormat } from "../../i18n/format";
import { describeStoredEvent } from "../../i18n/stored-event";

/** The account's timeline, newest first, each event in the reader's language. */
export function TimelineList({ events }: { events: TimelineEvent[] }) {
  const { t } = useTranslation("collections");
  const f = useFormat();
  if (events.length === 0) return <p className="note">{t("timeline.empty")}</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {events.map((e, index) => (
        <li key={`${e.at}-${index}`} data-source={e.source}>
          <time dateTime={e.at}>{f.dateTime(e.at)}</time> · <span className="eyebrow">{t(`timeline.sources.${e.source}`)}</span> ·{" "}
          {describeTimelineEvent(e, t as never, f)}
          {e.actor ? <span className="note"> — {e.actor}</span> : null}
          {e.note ? (
            <p className="timeline-detail">{describeStoredEvent(e.note, t as never, f)}</p>
          ) : e.detail ? (
            <p className="timeline-detail">{e.detail}</p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
