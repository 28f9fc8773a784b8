import Link from 'next/link';
import { notFound } from 'next/navigation';
import { listOperations } from '@berth/core';
import { AdminNav } from '../../../../../components/admin-nav.tsx';
import { formatDate } from '../../../../../components/format.ts';
import { RetryButton } from '../../../../../components/retry-button.tsx';
import { requireSession } from '../../../../../server/ui-session.ts';

export const metadata = { title: 'Failed operations' };

/** Admins: the newest failed operations with their error, each retryable. */
export default async function FailedOperationsPage() {
  const { db, principal } = await requireSession();
  if (principal.role !== 'admin') notFound();
  const ops = await listOperations({ db, principal, query: { limit: 100, status: 'failed' } });
  return (
    <div className="stack">
      <div className="page-head"><h1>Failed operations</h1></div>
      <AdminNav current="operations" />
      {ops.data.length === 0 ? <div className="card"><p className="muted">No failed operations.</p></div> : (
        <div className="card table-card">
          <table className="table" aria-label="Failed operations">
            <thead><tr><th>When</th><th>Operation</th><th>Server</th><th>Error</th><th /></tr></thead>
            <tbody>
              {ops.data.map((o) => (
                <tr key={o.id}>
                  <td className="muted">{formatDate(o.finishedAt ?? o.createdAt)}</td>
                  <td>{o.type} <span className="muted small mono">{o.id}</span></td>
                  <td>{o.serverId ? <Link href={`/servers/${o.serverId}`} className="mono">{o.serverId}</Link> : '—'}</td>
                  <td className="error-text">{o.error ?? '—'}</td>
                  <td><RetryButton operationId={o.id} type={o.type} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
