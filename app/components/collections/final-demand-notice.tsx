import { useTranslation } from "react-i18next";
import { useFormat } from "../../i18n/format";

/** The customer is told, in plain words, of each final demand letter on the account, with the letter to read. */
export function FinalDemandNotice({ letters }: { letters: { id: string; issuedAt: string }[] }) {
  const { t } = useTranslation("dunning");
  const f = useFormat();
  if (letters.length === 0) return null;
  return (
    <section className="alert warn" role="status" aria-labelledby="final-demand-title" data-testid="final-demand-notice">
      <h2 id="final-demand-title">{t("finalDemand.customerTitle")}</h2>
      <ul>
        {letters.map((l) => (
          <li key={l.id}>
            {t("finalDemand.customerNotice", { date: f.date(l.issuedAt) })}{" "}
            <a href={`/collections/letters/${l.id}`} download>
              {t("finalDemand.customerDownload")}
            </a>
          </li>
        ))}
      </ul>
      <p>{t("finalDemand.customerHelp")}</p>
    </section>
  );
}
