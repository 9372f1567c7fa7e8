// A modal dialog on the platform's <dialog>: focus stays inside, Esc closes it, the page
// behind is inert. Content decides its own buttons.
import { useEffect, useRef, type ReactNode } from 'react';

export interface DialogProps {
  title: string;
  testId: string;
  onClose: () => void;
  children: ReactNode;
  /** Wider dialogs for diffs and long text. */
  wide?: boolean;
  /** Esc does nothing while something is being done on the user's behalf. */
  busy?: boolean;
}

export function Dialog({ title, testId, onClose, children, wide, busy }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  const busyRef = useRef(busy);
  busyRef.current = busy;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    const onCancel = (event: Event) => {
      event.preventDefault();
      if (!busyRef.current) closeRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
    };
  }, []);

  const titleId = `${testId}-title`;
  return (
    <dialog ref={ref} className={wide ? 'dialog dialog-wide' : 'dialog'} data-testid={testId} aria-labelledby={titleId}>
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
