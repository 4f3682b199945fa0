import { useId, type InputHTMLAttributes, type ReactElement, type ReactNode } from 'react';

/**
 * A labelled input with its hint and its error right below it (announced: aria-invalid +
 * aria-describedby). `error` is the API's message for this field (`details.problems`).
 */
export function FormField(
  props: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: ReactNode; error?: string },
): ReactElement {
  const { label, hint, error, id: givenId, ...input } = props;
  const generated = useId();
  const id = givenId ?? generated;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
