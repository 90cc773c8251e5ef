import type { InputHTMLAttributes, ReactNode } from "react";

type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
};

/** A labelled input with its hint and error wired for screen readers. */
export function Field({ name, label, hint, error, id, ...input }: FieldProps) {
  const inputId = id ?? name;
  const describedBy = [hint ? `${inputId}-hint` : null, error ? `${inputId}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
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
