import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

/**
 * A side panel as a native modal `<dialog>`: `showModal()` makes the rest of the page inert (the
 * focus stays inside), Esc and a click on the backdrop close it (the dialog's own box is all backdrop: its content sits in `.panel-inner`), and on closing the focus goes
 * back to where it was before (the dialog is removed from the page, which the browser does not
 * treat as a close, so that is done here).
 */
export function Modal({ class: className, labelledBy, testId, onClose, children }: { class: string; labelledBy: string; testId?: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      if (before?.isConnected) before.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class={`panel ${className}`}
      role="dialog"
      aria-modal="true"
      aria-labelledby={labelledBy}
      data-testid={testId}
      onCancel={(e) => {
        // Esc: the owner unmounts the dialog (and the focus goes back), rather than the browser hiding it.
        e.preventDefault();
        closeRef.current();
      }}
      onClick={(e) => e.target === e.currentTarget && closeRef.current()}
    >
      <div class="panel-inner">{children}</div>
    </dialog>
  );
}
