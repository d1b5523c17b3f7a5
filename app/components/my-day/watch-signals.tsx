import { useTranslation } from "react-i18next";
import { Form } from "react-router";
import type { WatchSignal } from "../../domain/watch/signals";
import { FormAlerts } from "../form-alerts";
import { useSentence } from "../sentence";

/** The account's open watch signals on the 360, each saying why it fired, with the rep's "reviewed". */
export function WatchSignalsPanel({ accountId, signals, outcome }: { accountId: string; signals: WatchSignal[]; outcome: "reviewed" | "gone" | null }) {
  const { t } = useTranslation("watch");
  const say = useSentence();
  return (
    <section className="panel" id="signals" aria-labelledby="signals-title" data-testid="watch-signals">
      <h2 id="signals-title">{t("signals.title")}</h2>
      <FormAlerts
        success={outcome === "reviewed" ? t("signals.saved") : null}
        warning={outcome === "gone" ? t("signals.notFound") : null}
        testIds={{ success: "signal-saved" }}
      />
      {signals.length === 0 ? (
        <p>{t("signals.none")}</p>
      ) : (
        <ul className="plain-list">
          {signals.map((s) => (
            <li key={s.key} data-testid="watch-signal" data-kind={s.kind}>
              <strong>{t(`kinds.${s.kind}`)}</strong> — {say(s.why)}
              <Form method="post" action={`/rep/accounts/${accountId}/signals`} className="inline-form">
                <input type="hidden" name="signal" value={s.key} />
                <button type="submit">{t("signals.reviewed")}</button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
