'use client';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

type TProps = {
  /** Shown while true; closing it (Cancel, Escape) calls onClose. */
  open: boolean;
  title: string;
  confirmLabel: string;
  danger?: boolean;
  /** The person types this (e.g. the hostname) before the button is enabled. */
  typed?: string;
  onConfirm: () => void;
  onClose: () => void;
  children: ReactNode;
};

/** Asks once more before something that cannot be undone, in a modal <dialog> like the server's own actions. */
export function ConfirmDialog({ open, title, confirmLabel, danger = false, typed, onConfirm, onClose, children }: TProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const id = useId();

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setText('');
      d.showModal();
    } else if (!open && d.open) d.close();
  }, [open]);

  const ready = typed === undefined || text === typed;
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={`${id}-title`} onClose={onClose}>
      <form method="dialog" className="stack" onSubmit={(e) => { e.preventDefault(); if (!ready) return; ref.current?.close(); onConfirm(); }}>
        <h2 id={`${id}-title`}>{title}</h2>
        {children}
        {typed !== undefined && (
          <div className="field">
            <label htmlFor={`${id}-typed`}>Type <strong>{typed}</strong> to confirm</label>
            <input id={`${id}-typed`} value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" spellCheck={false} />
          </div>
        )}
        <div className="button-row end">
          <button type="button" className="btn" onClick={() => ref.current?.close()}>Cancel</button>
          <button type="submit" className={danger ? 'btn btn-danger' : 'btn btn-primary'} disabled={!ready}>{confirmLabel}</button>
        </div>
      </form>
    </dialog>
  );
}
