/**
 * The form fields: each renders its label, an optional hint and its error (a
 * translation key), linked to the control with aria-describedby and marked with
 * aria-invalid, so every form announces the same way.
 */
import { useTranslation } from "react-i18next";

type Common = {
  name: string;
  /** Defaults to `name`; needed where the same form appears more than once on a page. */
  id?: string;
  label: string;
  error?: string;
  hint?: React.ReactNode;
};

/** A field's error, translated; its own component so a field without one asks nothing of i18next. */
function FieldError({ id, error }: { id: string; error: string }) {
  const { t } = useTranslation();
  return (
    <p id={id} className="field-error" role="alert">
      {t(error)}
    </p>
  );
}

/** The empty first option of a select when the page gives no text of its own: "Choose…" in the reader's words. */
function ChooseOption() {
  const { t } = useTranslation();
  return <option value="">{t("credit:fields.choose")}</option>;
}

function useFieldParts({ id, error, hint }: { id: string; error?: string; hint?: React.ReactNode }) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return {
    control: { "aria-invalid": error ? true : undefined, "aria-describedby": describedBy } as const,
    hint: hint ? (
      <p id={hintId} className="hint">
        {hint}
      </p>
    ) : null,
    error: error ? <FieldError id={errorId} error={error} /> : null,
  };
}

/** A labelled input. */
export function Field({ name, id = name, label, error, hint, ...input }: Common & Omit<React.InputHTMLAttributes<HTMLInputElement>, "name" | "id">) {
  const parts = useFieldParts({ id, error, hint });
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={id}>{label}</label>
      {parts.hint}
      <input id={id} name={name} {...parts.control} {...input} />
      {parts.error}
    </div>
  );
}

/** A labelled select; `choose` is the empty first option's text (the default says "Choose…"), `false` for a select with no empty option. */
export function SelectField({
  name,
  id = name,
  label,
  error,
  hint,
  options,
  defaultValue,
  form,
  choose,
}: Common & { form?: string; options: { value: string; label: string }[]; defaultValue?: string; choose?: string | false }) {
  const parts = useFieldParts({ id, error, hint });
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={id}>{label}</label>
      {parts.hint}
      <select id={id} name={name} form={form} defaultValue={defaultValue ?? ""} {...parts.control}>
        {choose === false ? null : choose !== undefined ? <option value="">{choose}</option> : <ChooseOption />}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {parts.error}
    </div>
  );
}

/** A labelled multi-line input. */
export function TextAreaField({
  name,
  id = name,
  label,
  error,
  hint,
  rows = 3,
  ...textarea
}: Common & Omit<React.TextareaHTMLAttributes<HTMLTextAreaElement>, "name" | "id">) {
  const parts = useFieldParts({ id, error, hint });
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={id}>{label}</label>
      {parts.hint}
      <textarea id={id} name={name} rows={rows} {...parts.control} {...textarea} />
      {parts.error}
    </div>
  );
}
