import { notFound } from 'next/navigation';
import { listHosts, listIpPools } from '@berth/core';
import { AdminNav } from '../../../../components/admin-nav.tsx';
import { formatDate } from '../../../../components/format.ts';
import { HostControls } from '../../../../components/host-controls.tsx';
import { requireSession } from '../../../../server/ui-session.ts';

export const metadata = { title: 'Hosts' };

function Bar({ label, used, total, unit }: { label: string; used: number; total: number; unit: string }) {
  const pct = total > 0 ? Math.min(100, (used / total) * 100) : 100;
  return (
    <div className="capacity" role="meter" aria-label={`${label} allocated`} aria-valuemin={0} aria-valuemax={total} aria-valuenow={used}>
      <span className="capacity-label">{label}</span>
      <span className="capacity-bar"><span style={{ width: `${pct}%` }} className={pct > 90 ? 'full' : undefined} /></span>
      <span className="muted small">{Number(used.toFixed(1))} / {Number(total.toFixed(1))} {unit}</span>
    </div>
  );
}

/** Admins: every host's allocation against hardware x overcommit, status, heartbeat, and its IPv4 pools. */
export default async function AdminHostsPage() {
  const { db, principal } = await requireSession();
  if (principal.role !== 'admin') notFound();
  const [hosts, pools] = await Promise.all([listHosts({ db, principal, query: { limit: 200 } }), listIpPools({ db, principal, query: { limit: 200 } })]);
  return (
    <div className="stack">
      <div className="page-head"><h1>Hosts</h1></div>
      <AdminNav current="hosts" />
      {hosts.data.map((h) => (
        <section key={h.id} className="card stack-sm" aria-label={`Host ${h.name}`}>
          <h2>
            {h.name} <span className={`badge badge-host-${h.status}`} data-testid={`host-status-${h.name}`}>{h.status}</span>{' '}
            <span className="muted small">last heartbeat {h.lastHeartbeatAt ? formatDate(h.lastHeartbeatAt) : 'never'}</span>
          </h2>
          <Bar label="CPU" used={h.allocated.cpuCores} total={h.cpuCores * h.cpuOvercommit} unit={`cores (${h.cpuCores} × ${h.cpuOvercommit})`} />
          <Bar label="Memory" used={h.allocated.memoryMb / 1024} total={(h.memoryMb * h.memoryOvercommit) / 1024} unit={`GB (× ${h.memoryOvercommit})`} />
          <Bar label="Disk" used={h.allocated.diskGb} total={h.diskGb * h.diskOvercommit} unit={`GB (× ${h.diskOvercommit})`} />
          {pools.data.filter((p) => p.hostId === h.id).map((p) => (
            <Bar key={p.id} label={`IPv4 ${p.cidr}`} used={p.allocated} total={p.total} unit="addresses" />
          ))}
          <HostControls host={h} />
        </section>
      ))}
    </div>
  );
}
