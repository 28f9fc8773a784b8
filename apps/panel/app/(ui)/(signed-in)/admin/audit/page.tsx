import { notFound } from 'next/navigation';
import { listAuditEvents } from '@berth/core';
import { AdminNav } from '../../../../../components/admin-nav.tsx';
import { formatDate } from '../../../../../components/format.ts';
import { requireSession } from '../../../../../server/ui-session.ts';

export const metadata = { title: 'Audit log' };

/** Admins: who did what, from where, newest first. */
export default async function AuditPage() {
  const { db, principal } = await requireSession();
  if (principal.role !== 'admin') notFound();
  const events = await listAuditEvents({ db, principal, query: { limit: 100 } });
  return (
    <div className="stack">
      <div className="page-head"><h1>Audit log</h1></div>
      <AdminNav current="audit" />
      <div className="card table-card">
        <table className="table" aria-label="Audit log">
          <thead><tr><th>When</th><th>Action</th><th>Target</th><th>Actor</th><th>From</th><th>Request</th></tr></thead>
          <tbody>
            {events.data.map((e) => (
              <tr key={e.id}>
                <td className="muted">{formatDate(e.createdAt)}</td>
                <td>{e.action}</td>
                <td className="mono small">{e.targetId}</td>
                <td className="mono small">{e.actorId ?? 'platform'}{e.apiKeyId ? ` (key ${e.apiKeyId})` : ''}</td>
                <td className="mono small">{e.ip ?? '—'}</td>
                <td className="mono small muted">{e.requestId ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
