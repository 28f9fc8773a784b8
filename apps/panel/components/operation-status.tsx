import type { TOperation } from '@berth/contracts';
import { formatDate } from './format.ts';

const VERB: Record<TOperation['type'], string> = {
  create: 'Create', start: 'Start', stop: 'Stop', restart: 'Restart', destroy: 'Delete', resize: 'Resize', reinstall: 'Reinstall', network: 'Network policy',
};

/** The latest operation of a server: what, how far, and why it failed. */
export function OperationStatus({ op }: { op: TOperation | undefined }) {
  if (!op) return <p className="muted">No operations yet.</p>;
  const active = op.status === 'queued' || op.status === 'running';
  return (
    <div className="operation" data-testid="operation">
      <div className="operation-head">
        <strong>{VERB[op.type]}</strong>
        <span className={`badge badge-op-${op.status}`} data-testid="operation-status">{op.status}</span>
        <span className="muted">{op.progress}%</span>
      </div>
      <progress max={100} value={op.progress} aria-label={`${VERB[op.type]} progress`} className={active ? 'progress-active' : ''} />
      {op.step && <p className="muted small">Step: {op.step}</p>}
      {op.status === 'queued' && <p className="muted small">Waiting for the host to pick it up.</p>}
      {op.error && <p className="alert alert-error small">{op.error}</p>}
      <p className="muted small">
        Queued {formatDate(op.createdAt)}
        {op.finishedAt && <> · finished {formatDate(op.finishedAt)}</>}
        {op.attempts > 1 && <> · attempt {op.attempts}</>}
      </p>
    </div>
  );
}
