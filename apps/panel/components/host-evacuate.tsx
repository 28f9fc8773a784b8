'use client';
import { useRef, useState } from 'react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { TEvacuateHostResponse, THost } from '@berth/contracts';
import { callApi, problemMessage } from './api-client.ts';

/**
 * Admins: empty a host for maintenance. It is drained and each of its servers queued to move to another
 * host on its pool; what no host can take now is listed with the reason (evacuating again retries those).
 */
export function HostEvacuate({ host }: { host: Pick<THost, 'id' | 'name'> }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [confirmText, setConfirmText] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [result, setResult] = useState<TEvacuateHostResponse | null>(null);

  const open = () => {
    setConfirmText('');
    dialog.current?.showModal();
  };
  const evacuate = async () => {
    dialog.current?.close();
    setBusy(true);
    setMessage(null);
    setResult(null);
    const res = await callApi<TEvacuateHostResponse>(`/api/v1/hosts/${host.id}/evacuate`, { method: 'POST' });
    setBusy(false);
    if (!res.ok && res.status === 401) return router.replace('/login');
    if (res.ok) setResult(res.data);
    else setMessage(problemMessage(res.problem));
    router.refresh();
  };
  const queued = result?.operations.length ?? 0;
  const titleId = `evacuate-title-${host.id}`;
  const inputId = `evacuate-confirm-${host.id}`;

  return (
    <div className="stack-sm">
      <div className="button-row">
        <button type="button" className="btn btn-small btn-danger" disabled={busy} onClick={open}>{busy ? 'Evacuating…' : 'Evacuate'}</button>
      </div>
      {message && <p className="alert alert-error" role="alert">{message}</p>}
      {result && (
        <div className="stack-sm evacuation" role="status" aria-label={`Evacuation of ${host.name}`}>
          <p className="small">
            {queued} migration{queued === 1 ? '' : 's'} queued{queued ? ': each shows its progress on its server\'s page.' : '.'}
          </p>
          {result.unplaced.length > 0 && (
            <>
              <p className="small strong">Not placed (evacuate again once another host on their pool has room):</p>
              <ul className="activity" aria-label="Servers not placed">
                {result.unplaced.map((u) => (
                  <li key={u.serverId}>
                    <Link href={`/servers/${u.serverId}`} className="mono">{u.serverId}</Link>
                    <span className="error-text">{u.reason}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}

      <dialog ref={dialog} className="dialog" aria-labelledby={titleId}>
        <form method="dialog" className="stack" onSubmit={(e) => { e.preventDefault(); if (confirmText === host.name) void evacuate(); }}>
          <h2 id={titleId}>Evacuate {host.name}?</h2>
          <p>
            The host is drained (no new servers land on it) and every server on it moves to another host on its
            IPv4 pool, keeping its address. Running servers are copied live and are offline for seconds each.
          </p>
          <div className="field">
            <label htmlFor={inputId}>Type <strong>{host.name}</strong> to confirm</label>
            <input id={inputId} value={confirmText} onChange={(e) => setConfirmText(e.target.value)} autoComplete="off" spellCheck={false} />
          </div>
          <div className="button-row end">
            <button type="button" className="btn" onClick={() => dialog.current?.close()}>Cancel</button>
            <button type="submit" className="btn btn-danger" disabled={confirmText !== host.name}>Evacuate host</button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
