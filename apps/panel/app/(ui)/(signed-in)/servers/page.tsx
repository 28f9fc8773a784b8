import Link from 'next/link';
import { ZListServersQuery } from '@berth/contracts';
import { findLatestOperations, getCpuSparklines, isOperationActive, listPlans, listServers } from '@berth/core';
import { AutoRefresh } from '../../../../components/auto-refresh.tsx';
import { formatDate, TRANSITIONAL_STATUSES } from '../../../../components/format.ts';
import { Sparkline } from '../../../../components/sparkline.tsx';
import { StatusBadge } from '../../../../components/status-badge.tsx';
import { requireSession } from '../../../../server/ui-session.ts';

export const metadata = { title: 'Servers' };

export default async function ServersPage() {
  const { db, principal } = await requireSession();
  const [servers, plans] = await Promise.all([
    listServers({ db, principal, query: ZListServersQuery.parse({ limit: 200 }) }),
    listPlans({ db, principal, includeRetired: true }), // names of plans no longer on sale too
  ]);
  const ids = servers.data.map((s) => s.id);
  const [ops, cpu] = await Promise.all([findLatestOperations({ db, principal, serverIds: ids }), getCpuSparklines({ db, principal, serverIds: ids })]);
  const planName = new Map(plans.data.map((p) => [p.id, p.name]));
  const planCores = new Map(plans.data.map((p) => [p.id, p.cpuCores]));
  const changing = servers.data.some((s) => TRANSITIONAL_STATUSES.includes(s.status) || isOperationActive(ops.get(s.id)));

  return (
    <>
      <AutoRefresh active={changing} />
      <div className="page-head">
        <h1>Servers</h1>
        <Link href="/servers/new" className="btn btn-primary">New server</Link>
      </div>
      {servers.data.length === 0 ? (
        <div className="card empty">
          <h2>No servers yet</h2>
          <p className="muted">Create your first server; it is ready in about a minute.</p>
          <Link href="/servers/new" className="btn btn-primary">Create a server</Link>
        </div>
      ) : (
        <div className="card table-card">
          <table className="table" aria-label="Servers">
            <thead>
              <tr><th scope="col">Hostname</th><th scope="col">Status</th><th scope="col">IPv4</th><th scope="col">Plan</th><th scope="col">CPU, last hour</th><th scope="col">Created</th></tr>
            </thead>
            <tbody>
              {servers.data.map((s) => {
                const op = ops.get(s.id);
                return (
                  <tr key={s.id}>
                    <td><Link href={`/servers/${s.id}`} className="strong">{s.hostname}</Link></td>
                    <td>
                      <StatusBadge status={s.status} />
                      {isOperationActive(op) && op!.type !== 'create' && op!.type !== 'destroy' && (
                        <span className="muted small"> {op!.type} {op!.status}</span>
                      )}
                    </td>
                    <td className="mono">{s.ipv4 ?? '—'}</td>
                    <td className="capitalize">{planName.get(s.planId) ?? s.planId}</td>
                    <td><Sparkline values={cpu.get(s.id) ?? []} max={planCores.get(s.planId) ?? 1} label={`CPU of ${s.hostname} over the last hour`} /></td>
                    <td className="muted">{formatDate(s.createdAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {servers.nextCursor && <p className="muted small table-foot">Showing the newest {servers.data.length} servers.</p>}
        </div>
      )}
    </>
  );
}
