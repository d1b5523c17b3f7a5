import { useTranslation } from "react-i18next";
import { historyLine, type HistoryEntry } from "../domain/audit/history";
import { useFormat } from "../i18n/format";

/** Every history list: one sentence per event, in the reader's language, with who did it. */
export function HistoryList({ entries, testId }: { entries: HistoryEntry[]; testId?: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <ol className="history" data-testid={testId}>
      {entries.map((entry) => {
        const line = historyLine(entry, t, f.money);
        return (
          <li key={line.id}>
            <time dateTime={line.at}>{f.dateTime(line.at)}</time> — {line.sentence}
            {line.details.length ? (
              <ul className="changes">
                {line.details.map((d, i) => (
                  <li key={i}>{d}</li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
