import { useTranslation } from "react-i18next";

/** A labelled select whose error (a translation key) is announced and linked, like <Field>. */
export function SelectField({
  name,
  label,
  error,
  options,
  defaultValue,
}: {
  name: string;
  label: string;
  error?: string;
  options: { value: string; label: string }[];
  defaultValue?: string;
}) {
  const { t } = useTranslation();
  const errorId = `${name}-error`;
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={name}>{label}</label>
      <select id={name} name={name} defaultValue={defaultValue ?? ""} aria-invalid={error ? true : undefined} aria-describedby={error ? errorId : undefined}>
        <option value="">{t("credit:fields.choose")}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {t(error)}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled multi-line input. */
export function TextAreaField({ name, label, error, defaultValue, required }: { name: string; label: string; error?: string; defaultValue?: string; required?: boolean }) {
  const { t } = useTranslation();
  const errorId = `${name}-error`;
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={name}>{label}</label>
      <textarea id={name} name={name} rows={3} defaultValue={defaultValue} required={required} aria-invalid={error ? true : undefined} aria-describedby={error ? errorId : undefined} />
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {t(error)}
        </p>
      ) : null}
    </div>
  );
}
