'use client';
import { useState } from 'react';
import type { TSnapshot } from '@berth/contracts';
import { formatDate } from '../format.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { formatBytes, ItemStatus } from './backup-format.tsx';
import { useApiCall } from './use-api-call.ts';

type TProps = {
  hostname: string;
  snapshots: TSnapshot[];
  /** Why the API would refuse a rollback, or a deletion, now; null: it may accept. */
  blocked: string | null;
  deleteBlocked: string | null;
};

/** The server's snapshots: roll back to one (asked first: what was written since is lost), or delete one. */
export function SnapshotTable({ hostname, snapshots, blocked, deleteBlocked }: TProps) {
  const { busy, message, run } = useApiCall();
  const [pending, setPending] = useState<{ action: 'restore' | 'delete'; snapshot: TSnapshot } | null>(null);

  if (!snapshots.length) return <p className="muted">No snapshots yet.</p>;
  const target = pending?.snapshot;
  const confirm = () => {
    if (!pending) return;
    const { action, snapshot } = pending;
    if (action === 'restore') void run('restore', `/api/v1/snapshots/${snapshot.id}/restore`, { method: 'POST' });
    else void run('delete', `/api/v1/snapshots/${snapshot.id}`, { method: 'DELETE' });
  };

  return (
    <div className="stack-sm">
      {message && <p className="alert alert-error" role="alert">{message}</p>}
      <div className="table-card">
        <table className="table" aria-label="Snapshots">
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Created</th><th scope="col">Size</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {snapshots.map((s) => (
              <tr key={s.id} data-testid={`snapshot-${s.name}`}>
                <td className="strong">{s.name}</td>
                <td>{formatDate(s.createdAt)}</td>
                <td>{formatBytes(s.sizeBytes)}</td>
                <td><ItemStatus status={s.status} /></td>
                <td>
                  <span className="row-actions">
                    <button type="button" className="btn btn-small" disabled={!!busy || s.status !== 'ready' || !!blocked}
                      title={blocked ?? undefined} onClick={() => setPending({ action: 'restore', snapshot: s })}>Roll back</button>
                    <button type="button" className="btn btn-small btn-danger" disabled={!!busy || !['ready', 'failed'].includes(s.status) || !!deleteBlocked}
                      title={deleteBlocked ?? undefined} onClick={() => setPending({ action: 'delete', snapshot: s })}>Delete</button>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <ConfirmDialog open={pending?.action === 'restore'} title={`Roll ${hostname} back to ${target?.name ?? ''}?`} confirmLabel="Roll back" danger
        onConfirm={confirm} onClose={() => setPending(null)}>
        <p>
          The server is stopped, its disk is put back exactly as it was when this snapshot was taken
          ({target ? formatDate(target.createdAt) : ''}), and it is started again.
        </p>
        <p><strong>Every change made on the disk since then is lost.</strong> Take another snapshot first to keep them.</p>
      </ConfirmDialog>
      <ConfirmDialog open={pending?.action === 'delete'} title={`Delete snapshot ${target?.name ?? ''}?`} confirmLabel="Delete snapshot" danger
        onConfirm={confirm} onClose={() => setPending(null)}>
        <p>Its space on the host is freed; you can no longer roll back to it. The server itself is not touched.</p>
      </ConfirmDialog>
    </div>
  );
}
