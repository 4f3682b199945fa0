import { useId, useState, type ReactElement } from 'react';

/** A read-only value with a Copy button (invite links, a new API key shown once). */
export function CopyField(props: { label: string; value: string }): ReactElement {
  const id = useId();
  const [copied, setCopied] = useState(false);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(props.value);
      setCopied(true);
    } catch {
      // No clipboard permission (plain http on another host): select the text for a manual copy.
      (document.getElementById(id) as HTMLInputElement | null)?.select();
    }
  };
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <div className="copy-row">
        <input id={id} readOnly value={props.value} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
    </div>
  );
}
