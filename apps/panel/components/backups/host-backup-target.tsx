'use client';
import { useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import type { TBackupTarget, THost } from '@berth/contracts';
import { callApi } from '../api-client.ts';
import { FieldError } from '../field-error.tsx';
import { problemFields } from '../problem-fields.ts';

type TProps = { host: Pick<THost, 'id' | 'name' | 'backupTargetId'>; targets: Pick<TBackupTarget, 'id' | 'name' | 'spec'>[] };

/** Admins: where a host's servers are backed up, and attaching it to another target (earlier backups stay where they are). */
export function HostBackupTarget({ host, targets }: TProps) {
  const router = useRouter();
  const [targetId, setTargetId] = useState('');
  const [error, setError] = useState<string[] | undefined>();
  const [busy, setBusy] = useState(false);
  const current = targets.find((t) => t.id === host.backupTargetId);
  const id = `host-target-${host.id}`;

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!targetId) return;
    setBusy(true);
    setError(undefined);
    const res = await callApi<TBackupTarget>(`/api/v1/backup-targets/${targetId}/hosts`, { method: 'POST', body: { hostId: host.id } });
    setBusy(false);
    if (res.ok) {
      setTargetId('');
      return router.refresh();
    }
    if (res.status === 401) return router.replace('/login');
    const { fields, other } = problemFields(res.problem, ['hostId']);
    setError([...(fields.hostId ?? []), ...other]);
  };

  return (
    <form className="stack-xs" aria-label={`Backup target of ${host.name}`} onSubmit={onSubmit} noValidate>
      <p className="small" data-testid={`host-backup-target-${host.name}`}>
        Backups go to:{' '}
        {current ? <><span className="strong">{current.name}</span> <span className="mono muted">{current.spec.path}</span></>
          : <span className="error-text">no backup target (its servers cannot be backed up)</span>}
      </p>
      <span className="row-actions">
        <label htmlFor={id} className="small">Attach to</label>
        <select id={id} value={targetId} onChange={(e) => setTargetId(e.target.value)} aria-invalid={!!error} aria-describedby={error ? `${id}-error` : undefined}>
          <option value="">Choose a target…</option>
          {targets.filter((t) => t.id !== host.backupTargetId).map((t) => <option key={t.id} value={t.id}>{t.name} ({t.spec.path})</option>)}
        </select>
        <button type="submit" className="btn btn-small" disabled={busy || !targetId}>{busy ? 'Attaching…' : 'Attach'}</button>
      </span>
      <FieldError id={id} messages={error} />
    </form>
  );
}
