'use client';
import { useState, type FormEvent } from 'react';
import type { TBackup, TOperation } from '@berth/contracts';
import { useApiCall } from './use-api-call.ts';

type TProps = {
  serverId: string;
  /** Manual backups the server holds, and how many its plan allows (null: plan unknown). */
  held: number;
  limit: number | null;
  /** Why the API would refuse now; null: it may accept. */
  blocked: string | null;
};

/** Back up now to the host's backup target: incremental (changed chunks only) or full. */
export function BackupNow({ serverId, held, limit, blocked }: TProps) {
  const { busy, message, run } = useApiCall();
  const [kind, setKind] = useState<'incremental' | 'full'>('incremental');
  const [queued, setQueued] = useState(false);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setQueued(false);
    const res = await run<{ backup: TBackup; operation: TOperation }>('backup', `/api/v1/servers/${serverId}/backups`, { method: 'POST', body: { kind } });
    if (res?.ok) setQueued(true);
  };

  return (
    <form className="stack-sm" aria-label="Back up now" onSubmit={onSubmit} noValidate>
      {message && <p className="alert alert-error" role="alert">{message}</p>}
      <fieldset className="checks">
        <legend>Kind</legend>
        <label><input type="radio" name="kind" value="incremental" checked={kind === 'incremental'} onChange={() => setKind('incremental')} /> Incremental (only what changed since the last backup)</label>
        <label><input type="radio" name="kind" value="full" checked={kind === 'full'} onChange={() => setKind('full')} /> Full</label>
      </fieldset>
      <div className="section-actions">
        <button type="submit" className="btn" disabled={!!busy || !!blocked}>{busy ? 'Starting backup…' : 'Back up now'}</button>
        <span className="hint" data-testid="backup-quota">
          {limit === null ? `${held} manual backup${held === 1 ? '' : 's'}` : `${held} of ${limit} manual backups (plan limit)`}
          {blocked ? ` · ${blocked}` : ' · the server keeps running; scheduled backups follow their retention.'}
        </span>
      </div>
      {queued && <p className="muted small" role="status">Backup started: its progress shows under Latest operation.</p>}
    </form>
  );
}
