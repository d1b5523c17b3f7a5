import { useFormat } from "../../i18n/format";

/** When a message was written, in the reader's locale and zone (the app's one date-time format). */
export function MessageTime({ at }: { at: string }) {
  const f = useFormat();
  return (
    <time className="chat-time" dateTime={at}>
      {f.dateTime(at)}
    </time>
  );
}
