import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Inbox, Presence } from "../../../domain/chat/events";
import { PRESENCES } from "../../../domain/chat/routing";
import type { ChatSocket } from "../socket-client";

/** The rep's own presence, capacity and languages, saved over the socket. */
export function SettingsForm({
  socket,
  me,
  onSaved,
  onError,
}: {
  socket: ChatSocket | null;
  me: Inbox["me"];
  onSaved: (me: Inbox["me"]) => void;
  onError: (e: string) => void;
}) {
  const { t } = useTranslation("chat");
  const [saved, setSaved] = useState(false);
  return (
    <form
      className="panel inline-form chat-settings"
      aria-label={t("console.settings")}
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        socket?.emit(
          "console:settings",
          {
            presence: form.get("presence") as Presence,
            // Sent only when changed: an untouched number keeps following the team default.
            capacity: Number(form.get("capacity")) !== me.capacity ? Number(form.get("capacity")) : undefined,
            languages: form.getAll("languages") as string[],
          },
          (reply) => {
            if ("error" in reply) return onError(reply.error);
            setSaved(true);
            onSaved(reply.data);
          },
        );
      }}
    >
      <label htmlFor="presence">{t("console.presence")}</label>
      <select id="presence" name="presence" defaultValue={me.presence} key={me.presence}>
        {PRESENCES.map((p) => (
          <option key={p} value={p}>
            {t(`console.presenceValues.${p}`)}
          </option>
        ))}
      </select>
      <label htmlFor="capacity">{t("console.capacity")}</label>
      <input id="capacity" name="capacity" type="number" min={1} max={me.maxCapacity} defaultValue={me.capacity} style={{ width: "5rem" }} />
      <fieldset className="inline-fieldset">
        <legend>{t("console.languages")}</legend>
        {(["en", "es"] as const).map((l) => (
          <label key={l}>
            <input type="checkbox" name="languages" value={l} defaultChecked={me.languages.includes(l)} /> {t(`console.languageNames.${l}`)}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="button primary">
        {t("console.save")}
      </button>
      {saved ? (
        <span role="status" className="note">
          {t("console.saved")}
        </span>
      ) : null}
    </form>
  );
}
