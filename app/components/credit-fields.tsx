import { useTranslation } from "react-i18next";
import { useNavigation } from "react-router";
import { DOCUMENT_KINDS } from "../domain/credit/application-schema";
import { Field, SelectField } from "./field";

/** Uploaded documents with their download links, and a form to add one (works without JavaScript). */
export function DocumentsPanel({
  documents,
  action,
  hidden,
  error,
  uploaded,
  idPrefix = "doc",
  formId,
}: {
  documents: { id: string; fileName: string; kind: string }[];
  action: string;
  hidden: Record<string, string>;
  error?: string;
  uploaded?: boolean;
  idPrefix?: string;
  /** The id of a form on the page that the picker joins (so the upload carries that form's fields); without it, a form of its own. */
  formId?: string;
}) {
  const { t } = useTranslation("credit");
  // One click, one upload: the button waits while a post from this page is on its way.
  const busy = useNavigation().state === "submitting";
  const picker = (
    <>
      <SelectField
        name="kind"
        id={`${idPrefix}-kind`}
        form={formId}
        label={t("documents.kind")}
        defaultValue="FINANCIAL_STATEMENT"
        options={DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`documentKinds.${k}`) }))}
      />
      <Field
        type="file"
        name="document"
        id={`${idPrefix}-file`}
        form={formId}
        label={t("documents.file")}
        accept="application/pdf,image/png,image/jpeg"
        error={error}
      />
      <button type="submit" className="button" form={formId} name={formId ? "intent" : undefined} value={formId ? "upload" : undefined} disabled={busy}>
        {t("documents.upload")}
      </button>
    </>
  );
  return (
    <section className="panel" aria-labelledby={`${idPrefix}-title`}>
      <h2 id={`${idPrefix}-title`}>{t("documents.title")}</h2>
      <p>{t("documents.lead")}</p>
      {uploaded ? (
        <div className="alert success" role="status">
          {t("documents.uploaded")}
        </div>
      ) : null}
      {documents.length ? (
        <ul>
          {documents.map((d) => (
            <li key={d.id}>
              <a href={`/credit/documents/${d.id}`}>{d.fileName}</a> · {t(`documentKinds.${d.kind}`)}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("review.noDocuments")}</p>
      )}
      {formId ? (
        picker
      ) : (
        <form method="post" action={action} encType="multipart/form-data">
          {Object.entries(hidden).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          {picker}
        </form>
      )}
    </section>
  );
}
