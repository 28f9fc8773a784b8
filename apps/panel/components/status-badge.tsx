import type { TServerStatus } from '@berth/contracts';

/** A server's status; while its host is offline the last known one is only a guess, so it says unknown. */
export function StatusBadge({ status, hostStatus = 'online' }: { status: TServerStatus; hostStatus?: 'online' | 'offline' | 'maintenance' }) {
  if (hostStatus === 'offline' && status !== 'deleted') {
    return <span className="badge badge-unknown" data-testid="server-status" title={`Its host is offline; last known: ${status}`}>unknown</span>;
  }
  return <span className={`badge badge-${status}`} data-testid="server-status">{status}</span>;
}
