// Display helpers for snapshots and backups; pure, so safe in server and client components.
import type { TBackup, TSnapshot } from '@berth/contracts';

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'];

/** 1024-based, as the agent's progress figures ("120 of 219 MB"); null: not known yet. */
export const formatBytes = (n: number | null): string => {
  if (n === null) return '—';
  let v = n;
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${UNITS[i]}`;
};

// The operation badges' colours: being made, done, failed, going.
const BADGE: Record<TSnapshot['status'] | TBackup['status'], string> = {
  queued: 'badge-op-queued', creating: 'badge-op-running', running: 'badge-op-running', ready: 'badge-op-succeeded',
  failed: 'badge-op-failed', deleting: 'badge-deleting', deleted: 'badge-deleted',
};

export function ItemStatus({ status }: { status: TSnapshot['status'] | TBackup['status'] }) {
  return <span className={`badge ${BADGE[status]}`} data-testid="item-status">{status}</span>;
}

/** Snapshots that count against the plan's limit (as core's createSnapshot counts them). */
export const heldSnapshots = (snapshots: TSnapshot[]) => snapshots.filter((s) => ['creating', 'ready', 'deleting'].includes(s.status)).length;

/** Manual backups that count against the plan's limit (scheduled ones follow their retention). */
export const heldBackups = (backups: TBackup[]) => backups.filter((b) => b.trigger === 'manual' && ['queued', 'running', 'ready'].includes(b.status)).length;
