import { useEffect, useId, useRef, type ReactElement, type ReactNode } from 'react';

/**
 * A modal dialog (the native <dialog>: focus trap, Escape closes). Rendered only while open; the
 * heading labels it for screen readers.
 */
export function Dialog(props: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}): ReactElement {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { onClose } = props;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    const cancel = (event: Event): void => {
      event.preventDefault();
      onClose();
    };
    dialog.addEventListener('cancel', cancel);
    return () => dialog.removeEventListener('cancel', cancel);
  }, [onClose]);
  return (
    <dialog ref={ref} aria-labelledby={titleId} className={props.wide ? 'dialog dialog-wide' : 'dialog'}>
      <div className="dialog-head">
        <h2 id={titleId}>{props.title}</h2>
        <button type="button" className="button-plain" onClick={onClose} aria-label="Close">
          ×
        </button>
      </div>
      {props.children}
    </dialog>
  );
}
