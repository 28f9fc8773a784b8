'use client';
import { useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import type { TServerStatus } from '@berth/contracts';
import { callApi, problemMessage } from './api-client.ts';

type TAction = 'start' | 'stop' | 'restart';
type TProps = { serverId: string; hostname: string; status: TServerStatus };

// Mirrors core's allowed-from table so impossible buttons are disabled; the API stays the judge (409).
const ALLOWED: Record<TAction | 'delete', readonly TServerStatus[]> = {
  start: ['stopped', 'error'],
  stop: ['running', 'error'],
  restart: ['running', 'error'],
  delete: ['provisioning', 'running', 'stopped', 'suspended', 'error'],
};
const LABEL: Record<TAction, string> = { start: 'Start', stop: 'Stop', restart: 'Restart' };
// Stopping or restarting interrupts whatever runs on the server: asked once more.
const CONFIRM: Partial<Record<TAction, string>> = {
  stop: 'The system shuts down cleanly (up to 30 seconds), then is switched off. Its disk and address stay.',
  restart: 'The system reboots: connections drop and it is back in about a minute.',
};

export function ServerActions({ serverId, hostname, status }: TProps) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const power = useRef<HTMLDialogElement>(null);
  const [pending, setPending] = useState<TAction | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [confirmText, setConfirmText] = useState('');

  const run = async (name: string, path: string, init: { method: string; body?: unknown }) => {
    setBusy(name);
    setMessage(null);
    const res = await callApi(path, init);
    setBusy(null);
    if (!res.ok && res.status === 401) return router.replace('/login');
    if (!res.ok) setMessage(problemMessage(res.problem));
    router.refresh();
  };

  const act = (type: TAction) => run(type, `/api/v1/servers/${serverId}/actions`, { method: 'POST', body: { type } });
  const ask = (type: TAction) => {
    if (!CONFIRM[type]) return void act(type);
    setPending(type);
    power.current?.showModal();
  };
  const openDelete = () => {
    setConfirmText('');
    setMessage(null);
    dialog.current?.showModal();
  };
  const confirmDelete = async () => {
    dialog.current?.close();
    await run('delete', `/api/v1/servers/${serverId}`, { method: 'DELETE' });
  };

  return (
    <div className="stack-sm">
      <div className="button-row" role="group" aria-label="Server actions">
        {(Object.keys(LABEL) as TAction[]).map((a) => (
          <button key={a} type="button" className="btn" disabled={!!busy || !ALLOWED[a].includes(status)} onClick={() => ask(a)}>
            {busy === a ? `${LABEL[a]}…` : LABEL[a]}
          </button>
        ))}
        <button type="button" className="btn btn-danger" disabled={!!busy || !ALLOWED.delete.includes(status)} onClick={openDelete}>
          {busy === 'delete' ? 'Deleting…' : 'Delete'}
        </button>
      </div>
      {message && <p className="alert alert-error" role="alert">{message}</p>}

      <dialog ref={power} className="dialog" aria-labelledby="power-title">
        <form method="dialog" className="stack" onSubmit={(e) => { e.preventDefault(); power.current?.close(); if (pending) void act(pending); }}>
          <h2 id="power-title">{pending ? `${LABEL[pending]} ${hostname}?` : ''}</h2>
          <p>{pending ? CONFIRM[pending] : ''}</p>
          <div className="button-row end">
            <button type="button" className="btn" onClick={() => power.current?.close()}>Cancel</button>
            <button type="submit" className="btn btn-primary">{pending ? `${LABEL[pending]} server` : 'OK'}</button>
          </div>
        </form>
      </dialog>

      <dialog ref={dialog} className="dialog" aria-labelledby="delete-title">
        <form method="dialog" className="stack" onSubmit={(e) => { e.preventDefault(); if (confirmText === hostname) void confirmDelete(); }}>
          <h2 id="delete-title">Delete {hostname}?</h2>
          <p>This destroys the server and its disk, and releases its IP address. It cannot be undone.</p>
          <div className="field">
            <label htmlFor="confirm-hostname">Type <strong>{hostname}</strong> to confirm</label>
            <input id="confirm-hostname" value={confirmText} onChange={(e) => setConfirmText(e.target.value)} autoComplete="off" spellCheck={false} />
          </div>
          <div className="button-row end">
            <button type="button" className="btn" onClick={() => dialog.current?.close()}>Cancel</button>
            <button type="submit" className="btn btn-danger" disabled={confirmText !== hostname}>Delete server</button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
