import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useFetcher } from "react-router";
import type { ConversationActionChoices } from "../../../domain/chat/conversation-actions.server";
import { newClientMessageId } from "../../../domain/chat/thread";

/** What every Act form shares: the action's result, its fetcher, inline errors and the submit button. */

export type ActResult = { ok: true; intent: string; done: string } | { ok: false; error: string; fieldErrors: Record<string, string>; level: string | null };

/** One action's form: a fetcher, its inline result, and a reload once it worked. */
export function useAct(onDone: () => void) {
  const fetcher = useFetcher<ActResult>();
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const handled = useRef<ActResult | undefined>(undefined);
  // Sent with the form so a resend is done once; a new one after each success.
  const [actionId, setActionId] = useState(newClientMessageId);
  useEffect(() => {
    if (result?.ok && handled.current !== result) {
      handled.current = result;
      setActionId(newClientMessageId());
      onDone();
    }
  }, [result, onDone]);
  return { fetcher, result, busy: fetcher.state !== "idle", actionIdField: <input type="hidden" name="actionId" value={actionId} /> };
}

export function ActOutcome({ result, id }: { result: ActResult | undefined; id: string }) {
  const { t } = useTranslation(["chat", "credit", "disputes", "payments"]);
  if (!result) return null;
  if (result.ok)
    return (
      <p role="status" className="note" id={id}>
        {t(result.done)}
      </p>
    );
  return (
    <p role="alert" className="field-error" id={id}>
      {t(result.error, { level: result.level ? t(`credit:levels.${result.level}`) : "" })}
    </p>
  );
}

/** A field's error from a refused action, unless it is the same message the form shows already. */
export function fieldError(result: ActResult | undefined, name: string): string | undefined {
  const key = result && !result.ok ? result.fieldErrors[name] : undefined;
  return key && !(result && !result.ok && result.error === key) ? key : undefined;
}

export function FieldError({ result, name, id }: { result: ActResult | undefined; name: string; id: string }) {
  const { t } = useTranslation(["chat", "disputes"]);
  const key = fieldError(result, name);
  if (!key) return null;
  return (
    <p className="field-error" id={id}>
      {t(key)}
    </p>
  );
}

/** Every Act form ends the same way: its button, then what came of it. */
export function ActSubmit({
  label,
  busy,
  disabled,
  result,
  id,
}: {
  label: string;
  busy: boolean;
  disabled?: boolean;
  result: ActResult | undefined;
  id: string;
}) {
  return (
    <>
      <button type="submit" className="button" disabled={busy || disabled}>
        {label}
      </button>
      <ActOutcome result={result} id={`${id}-result`} />
    </>
  );
}

export type ActFormProps = { url: string; choices: ConversationActionChoices; onDone: () => void };
