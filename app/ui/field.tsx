import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";

type Labelled = { name: string; label: ReactNode; hint?: ReactNode; error?: string };
type FieldProps = InputHTMLAttributes<HTMLInputElement> & Labelled;
type SelectFieldProps = SelectHTMLAttributes<HTMLSelectElement> & Labelled & { options: { value: string; label: string }[]; placeholder?: string };

type ControlA11y = { id: string; "aria-invalid"?: true; "aria-describedby"?: string };

/** The label, hint and error around one control, wired for screen readers. */
function FieldShell({ inputId, label, hint, error, children }: Omit<Labelled, "name"> & { inputId: string; children: (a11y: ControlA11y) => ReactNode }) {
  const describedBy = [hint ? `${inputId}-hint` : null, error ? `${inputId}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      {children({ id: inputId, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint ? (
        <p className="hint" id={`${inputId}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${inputId}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled input with its hint and error. */
export function Field({ name, label, hint, error, id, ...input }: FieldProps) {
  return (
    <FieldShell inputId={id ?? name} label={label} hint={hint} error={error}>
      {(a11y) => <input name={name} {...a11y} {...input} />}
    </FieldShell>
  );
}

/** A labelled drop-down list; `placeholder` is a first, empty choice ("— Chọn … —"). */
export function SelectField({ name, label, hint, error, id, options, placeholder, ...select }: SelectFieldProps) {
  return (
    <FieldShell inputId={id ?? name} label={label} hint={hint} error={error}>
      {(a11y) => (
        <select name={name} {...a11y} {...select}>
          {placeholder ? <option value="">{placeholder}</option> : null}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <div className="error-box" role="alert">
      {message}
    </div>
  );
}

type Outcome = { ok: true; message: string } | { ok: false; error: string };

/** What an action answered: its error as an alert, or its message as a status line. */
export function ActionResult({ result }: { result?: Outcome | null }) {
  if (!result) return null;
  if (!result.ok) return <FormError message={result.error} />;
  return (
    <p className="notice" role="status">
      {result.message}
    </p>
  );
}
