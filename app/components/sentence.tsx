import { useTranslation } from "react-i18next";
import type { Sentence, SentenceValue } from "../domain/watch/signals";
import { useFormat } from "../i18n/format";

/** Says a stored sentence (a key and its figures) in the reader's language: money, days and numbers in their locale, terms translated. */
export function useSentence() {
  const { t } = useTranslation();
  const f = useFormat();
  const say = (value: SentenceValue): string | number => {
    if (typeof value === "number") return f.number(value);
    if (typeof value === "string") return value;
    if ("money" in value) return f.money(value.money);
    if ("date" in value) return f.date(value.date);
    return t(value.term);
  };
  return (sentence: Sentence): string => t(sentence.key, Object.fromEntries(Object.entries(sentence.values).map(([k, v]) => [k, say(v)])));
}
