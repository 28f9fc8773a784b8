'use client';
import { useState } from 'react';
import type { TBackup, TPlan } from '@berth/contracts';
import { formatDate } from '../format.ts';
import { BackupRestoreNew } from './backup-restore-new.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { formatBytes, ItemStatus } from './backup-format.tsx';
import { useApiCall } from './use-api-call.ts';

type TProps = {
  hostname: string;
  backups: TBackup[];
  plans: TPlan[];
  /** Why the API would refuse a restore onto this server now (null: it may accept); a restore to a new server is always offered. */
  blocked: string | null;
  /** The same for a verify (allowed in rescue mode: it reads only the backup target). */
  verifyBlocked: string | null;
};

/** The server's backups: restore onto it (typed confirmation), restore to a new server, verify, or delete one. */
export function BackupTable({ hostname, backups, plans, blocked, verifyBlocked }: TProps) {
  const { busy, message, run } = useApiCall();
  const [pending, setPending] = useState<{ action: 'restore' | 'delete' | 'new'; backup: TBackup } | null>(null);

  if (!backups.length) return <p className="muted">No backups yet.</p>;
  const target = pending?.backup;
  const confirm = () => {
    if (!pending) return;
    const { action, backup } = pending;
    if (action === 'restore') void run('restore', `/api/v1/backups/${backup.id}/restore`, { method: 'POST' });
    else if (action === 'delete') void run('delete', `/api/v1/backups/${backup.id}`, { method: 'DELETE' });
  };

  return (
    <div className="stack-sm">
      {message && <p className="alert alert-error" role="alert">{message}</p>}
      <div className="table-card">
        <table className="table" aria-label="Backups">
          <thead>
            <tr>
              <th scope="col">Created</th><th scope="col">Kind</th><th scope="col">Stored</th>
              <th scope="col">Data</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {backups.map((b) => (
              <tr key={b.id} data-testid={`backup-${b.id}`}>
                <td>{formatDate(b.createdAt)}</td>
                <td>
                  {b.kind === 'full' ? 'Full' : 'Incremental'}
                  <div className="muted small">{b.trigger === 'schedule' ? 'Schedule' : 'Manual'}</div>
                </td>
                <td data-testid="backup-stored" title="What this backup added to the target (compressed, changed chunks only)">{formatBytes(b.storedBytes)}</td>
                <td data-testid="backup-data" title={b.diskBytes === null ? undefined : `of a ${formatBytes(b.diskBytes)} disk`}>{formatBytes(b.dataBytes)}</td>
                <td className={b.error ? 'wrap' : undefined}>
                  <ItemStatus status={b.status} />
                  {b.error && <span className="error-text small" data-testid="backup-error"> {b.error}</span>}
                  {b.verifiedAt && b.status === 'ready' && <div className="muted small" data-testid="backup-verified">verified {formatDate(b.verifiedAt)}</div>}
                  {b.expiresAt && <span className="muted small"> kept until {formatDate(b.expiresAt)}</span>}
                </td>
                <td style={{ whiteSpace: 'normal', minWidth: '15rem' }}>
                  {/* Four actions and five columns are wider than the page: they wrap rather than scroll. */}
                  <span className="row-actions" style={{ flexWrap: 'wrap' }}>
                    <button type="button" className="btn btn-small" disabled={!!busy || b.status !== 'ready' || !!blocked} title={blocked ?? undefined}
                      onClick={() => setPending({ action: 'restore', backup: b })}>Restore</button>
                    <button type="button" className="btn btn-small" disabled={!!busy || b.status !== 'ready'}
                      onClick={() => setPending({ action: 'new', backup: b })}>Restore to a new server</button>
                    <button type="button" className="btn btn-small" disabled={!!busy || b.status !== 'ready' || !!verifyBlocked}
                      title={verifyBlocked ?? 'Read it back from the target and check every chunk (nothing is written; the server runs on)'}
                      onClick={() => void run('verify', `/api/v1/backups/${b.id}/verify`, { method: 'POST' })}>Verify</button>
                    <button type="button" className="btn btn-small btn-danger" disabled={!!busy || !['ready', 'failed'].includes(b.status)}
                      onClick={() => setPending({ action: 'delete', backup: b })}>Delete</button>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <ConfirmDialog open={pending?.action === 'restore'} title={`Restore ${hostname} from this backup?`} confirmLabel="Restore" danger typed={hostname}
        onConfirm={confirm} onClose={() => setPending(null)}>
        <p>
          The disk is rebuilt from the backup of {target ? formatDate(target.createdAt) : ''} and checked while the server runs on;
          then the server is stopped, its disk swapped for the restored one, and started again.
        </p>
        <p><strong>Everything written to the disk since that backup is lost.</strong></p>
      </ConfirmDialog>
      <ConfirmDialog open={pending?.action === 'delete'} title="Delete this backup?" confirmLabel="Delete backup" danger
        onConfirm={confirm} onClose={() => setPending(null)}>
        <p>The backup of {target ? formatDate(target.createdAt) : ''} is removed from its target for good.</p>
      </ConfirmDialog>
      <BackupRestoreNew backup={pending?.action === 'new' ? pending.backup : null} plans={plans} onClose={() => setPending(null)} />
    </div>
  );
}
