import type { TServerStatus } from '@berth/contracts';

export function StatusBadge({ status }: { status: TServerStatus }) {
  return <span className={`badge badge-${status}`} data-testid="server-status">{status}</span>;
}
