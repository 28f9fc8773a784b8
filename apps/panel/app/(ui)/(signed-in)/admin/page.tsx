import { notFound } from 'next/navigation';
import { listBackupTargets, listHosts, listIpPools } from '@berth/core';
import { AdminNav } from '../../../../components/admin-nav.tsx';
import { BackupTargetsSection } from '../../../../components/backups/backup-targets-section.tsx';
import { HostBackupTarget } from '../../../../components/backups/host-backup-target.tsx';
import { formatDate } from '../../../../components/format.ts';
import { HostAddForm } from '../../../../components/host-add-form.tsx';
import { HostControls } from '../../../../components/host-controls.tsx';
import { HostEvacuate } from '../../../../components/host-evacuate.tsx';
import { HostInstall } from '../../../../components/host-install.tsx';
import { PoolAddHost } from '../../../../components/pool-add-host.tsx';
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

/** Admins: every host's allocation against hardware x overcommit, status, heartbeat, its IPv4 pools and who shares them, its backup target. */
export default async function AdminHostsPage() {
  const { db, principal } = await requireSession();
  if (principal.role !== 'admin') notFound();
  const [hosts, pools, targets] = await Promise.all([
    listHosts({ db, principal, query: { limit: 200 } }), listIpPools({ db, principal, query: { limit: 200 } }), listBackupTargets({ db, principal }),
  ]);
  // One pass over the pools: a pool shows under every host on its L2 segment.
  const poolsOf = new Map<string, typeof pools.data>();
  for (const p of pools.data) {
    for (const hid of p.hostIds) poolsOf.set(hid, [...(poolsOf.get(hid) ?? []), p]);
  }
  const names = new Map(hosts.data.map((h) => [h.id, h.name]));
  return (
    <div className="stack">
      <div className="page-head"><h1>Hosts</h1></div>
      <AdminNav current="hosts" />
      <datalist id="host-ids">{hosts.data.map((h) => <option key={h.id} value={h.id}>{h.name}</option>)}</datalist>
      {hosts.data.map((h) => (
        <section key={h.id} className="card stack-sm" aria-label={`Host ${h.name}`}>
          <h2>
            {h.name} <span className={`badge badge-host-${h.status}`} data-testid={`host-status-${h.name}`}>{h.status}</span>{' '}
            <span className="muted small">last heartbeat {h.lastHeartbeatAt ? formatDate(h.lastHeartbeatAt) : 'never'}</span>
          </h2>
          <Bar label="CPU" used={h.allocated.cpuCores} total={h.cpuCores * h.cpuOvercommit} unit={`cores (${h.cpuCores} × ${h.cpuOvercommit})`} />
          <Bar label="Memory" used={h.allocated.memoryMb / 1024} total={(h.memoryMb * h.memoryOvercommit) / 1024} unit={`GB (× ${h.memoryOvercommit})`} />
          <Bar label="Disk" used={h.allocated.diskGb} total={h.diskGb * h.diskOvercommit} unit={`GB (× ${h.diskOvercommit})`} />
          {h.usage && (
            <p className="small muted" data-testid={`host-usage-${h.name}`}>
              Measured now: load {h.usage.load1} on {h.usage.cpuCores} cores · memory in use {(h.usage.memoryUsedMb / 1024).toFixed(1)} of{' '}
              {(h.usage.memoryMb / 1024).toFixed(1)} GB · image pool {h.usage.diskUsedGb} of {h.usage.diskGb} GB used
            </p>
          )}
          {(poolsOf.get(h.id) ?? []).map((p) => (
            <div key={p.id} className="stack-sm pool" role="group" aria-label={`IPv4 pool ${p.cidr}`}>
              <Bar label={`IPv4 ${p.cidr}`} used={p.allocated} total={p.total} unit="addresses" />
              <p className="small muted">
                Hosts on this segment (servers move between them keeping their address):{' '}
                {p.hostIds.map((hid, i) => (
                  <span key={hid}>{i > 0 && ', '}<span className={hid === h.id ? 'strong' : undefined}>{names.get(hid) ?? hid}</span></span>
                ))}
              </p>
              <PoolAddHost pool={p} scope={h.id} listId="host-ids" />
            </div>
          ))}
          <HostBackupTarget host={h} targets={targets.data} />
          <HostInstall host={h} />
          <HostControls host={h} />
          <HostEvacuate host={h} />
        </section>
      ))}
      <HostAddForm />
      <BackupTargetsSection targets={targets.data} hosts={hosts.data} />
    </div>
  );
}
