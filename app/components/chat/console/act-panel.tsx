import { useCallback, useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useFetcher } from "react-router";
import type { ConversationActionChoices } from "../../../domain/chat/conversation-actions.server";
import { DisputeForm, PayLinkForm, PromiseForm, ReleaseForm } from "./act-forms";

/**
 * The "Act" panel: four compact forms posting to rep/chat/conversations/:id/actions.
 * Refusals (bad input, authority) show inline, translated; on success the glance and
 * the choices reload, and the customer already has the message on their socket.
 */
export function ActPanel({ conversationId, onDone }: { conversationId: string; onDone: () => void }) {
  const { t } = useTranslation("chat");
  const choices = useFetcher<ConversationActionChoices | { ok: false; error: string }>();
  const url = `/rep/chat/conversations/${conversationId}/actions`;
  const requested = useRef(false);

  // Once per conversation: a refusal (say, the chat was just transferred) must not retry in a loop.
  useEffect(() => {
    if (requested.current) return;
    requested.current = true;
    choices.load(url);
  }, [choices, url]);

  const reload = useCallback(() => {
    choices.load(url);
    onDone();
  }, [choices, url, onDone]);

  return (
    <section className="act-panel" aria-labelledby={`act-${conversationId}`} data-testid="act-panel">
      <h3 id={`act-${conversationId}`}>{t("actions.title")}</h3>
      {!choices.data ? (
        <p className="note">{t("actions.loading")}</p>
      ) : !choices.data.ok ? (
        <p className="field-error">{t(choices.data.error)}</p>
      ) : (
        <>
          <PayLinkForm url={url} choices={choices.data} onDone={reload} />
          <PromiseForm url={url} choices={choices.data} onDone={reload} />
          <DisputeForm url={url} choices={choices.data} onDone={reload} />
          <ReleaseForm url={url} choices={choices.data} onDone={reload} />
        </>
      )}
    </section>
  );
}
