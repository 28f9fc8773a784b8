import Link from 'next/link';
import { notFound } from 'next/navigation';
import {
  findLatestOperations, isOperationActive, AppError, getBackupSchedule, getServer, getServerTransfer, hasScope, ipAllowed, listAuditEvents, listBackups,
  listHosts, listIpPools, listPlans, listSnapshots, listTemplates,
} from '@berth/core';
import { BackupsArea, blockedReason } from '../../../../../components/backups/backups-area.tsx';
import { RescueBanner } from '../../../../../components/backups/rescue-banner.tsx';
import { RescueControl } from '../../../../../components/backups/rescue-control.tsx';
import { CopyButton } from '../../../../../components/copy-button.tsx';
import { formatDate, formatPlanSpecs, formatPrice, TRANSITIONAL_STATUSES } from '../../../../../components/format.ts';
import { LiveRefresh } from '../../../../../components/live-refresh.tsx';
import { OperationStatus } from '../../../../../components/operation-status.tsx';
import { ServerActions } from '../../../../../components/server-actions.tsx';
import { ServerMaintenance } from '../../../../../components/server-maintenance.tsx';
import { ServerConsole } from '../../../../../components/server-console.tsx';
import { ServerMigrate } from '../../../../../components/server-migrate.tsx';
import { ServerGraphs } from '../../../../../components/server-graphs.tsx';
import { ServerRename } from '../../../../../components/server-rename.tsx';
import { StatusBadge } from '../../../../../components/status-badge.tsx';
import { requireSession } from '../../../../../server/ui-session.ts';

export const metadata = { title: 'Server' };

export default async function ServerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { db, principal } = await requireSession();
  const server = await getServer({ db, principal, serverId: id }).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'not_found') return null;
    throw err;
  });
  if (!server) notFound();

  const admin = hasScope(principal, 'admin:*');
  const [plans, templates, hosts, pools, ops, activity, transfer, snapshots, backups, schedule] = await Promise.all([
    // The owner's catalog (what it may move to or reinstall), with retired plans for the current plan's name.
    listPlans({ db, principal, includeRetired: true, forTenantId: server.tenantId }),
    listTemplates({ db, principal, forTenantId: server.tenantId }),
    admin ? listHosts({ db, principal }) : Promise.resolve({ data: [] }),
    // The pools of the server's host: the one holding its address names the hosts it may move to.
    admin ? listIpPools({ db, principal, query: { hostId: server.hostId, limit: 50 } }) : Promise.resolve({ data: [] }),
    findLatestOperations({ db, principal, serverIds: [server.id] }),
    listAuditEvents({ db, principal, query: { targetId: server.id, limit: 15 } }),
    getServerTransfer({ db, principal, serverId: server.id }),
    listSnapshots({ db, principal, serverId: server.id }),
    listBackups({ db, principal, serverId: server.id }),
    getBackupSchedule({ db, principal, serverId: server.id }),
  ]);
  const plan = plans.data.find((p) => p.id === server.planId);
  const template = templates.data.find((t) => t.id === server.templateId);
  const host = hosts.data.find((h) => h.id === server.hostId);
  const op = ops.get(server.id);
  const busy = isOperationActive(op);
  // A backup's deletion has no operation to wake the page: poll while one is being made or removed.
  const changing = [...snapshots.data, ...backups.data].some((x) => ['creating', 'queued', 'running', 'deleting'].includes(x.status));
  const settled = !TRANSITIONAL_STATUSES.includes(server.status) && !busy && !changing;
  // Entering and leaving rescue mode: as core's rescueServer allows (the rescue flag itself does not block these).
  const rescueBlocked = blockedReason({ ...server, rescue: false }, busy, ['running', 'stopped', 'error']);
  const present = server.status !== 'deleted' && server.status !== 'deleting';
  // Pools can share a CIDR (disjoint ranges of one segment): every pool that could hold the address counts; the API re-checks.
  const targetIds = new Set(pools.data.filter((p) => ipAllowed(server.ipv4, [p.cidr])).flatMap((p) => p.hostIds));
  targetIds.delete(server.hostId);
  const targets = [...targetIds].map((hid) => {
    const h = hosts.data.find((x) => x.id === hid);
    return { id: hid, name: h?.name ?? hid, status: h?.status ?? null };
  });
  const sshLine = server.ipv4 ? `ssh root@${server.ipv4}` : null;

  return (
    <>
      <p className="crumbs"><Link href="/servers">Servers</Link> / {server.hostname}</p>
      <div className="page-head">
        <h1>{server.hostname}</h1>
        <StatusBadge status={server.status} hostStatus={server.hostStatus} />
        {server.status !== 'deleted' && <LiveRefresh serverIds={[server.id]} active={!settled} />}
      </div>
      {server.rescue && present && <RescueBanner server={server} blocked={rescueBlocked} />}

      <div className="grid-2">
        <section className="card" aria-labelledby="details-title">
          <h2 id="details-title">Details</h2>
          <dl className="details">
            <dt>IPv4</dt><dd className="mono" data-testid="server-ipv4">{server.ipv4 ?? '—'}</dd>
            <dt>Plan</dt>
            <dd>{plan ? <><span className="capitalize">{plan.name}</span> <span className="muted">· {formatPlanSpecs(plan)} · {formatPrice(plan.priceCentsMonthly)}</span></> : server.planId}</dd>
            <dt>Template</dt><dd>{template?.label ?? server.templateId}</dd>
            <dt>Host</dt><dd>{host ? host.name : <span className="mono">{server.hostId}</span>}</dd>
            <dt>Transfer</dt>
            <dd data-testid="server-transfer">
              {(transfer.bytes / 1e9).toFixed(2)} GB this month{transfer.includedGb !== null ? ` of ${transfer.includedGb} GB included` : ''}
            </dd>
            <dt>Created</dt><dd>{formatDate(server.createdAt)}</dd>
            <dt>ID</dt><dd className="mono muted">{server.id}</dd>
          </dl>
          {sshLine && server.status !== 'deleted' && (
            <div className="ssh-line">
              <code data-testid="ssh-command">{sshLine}</code>
              <CopyButton text={sshLine} label="Copy" />
            </div>
          )}
        </section>

        <div className="stack">
          <section className="card" aria-labelledby="actions-title">
            <h2 id="actions-title">Actions</h2>
            {server.status === 'deleted'
              ? <p className="muted">This server has been deleted.</p>
              : <ServerActions serverId={server.id} hostname={server.hostname} status={server.status} />}
          </section>
          {server.status !== 'deleted' && server.status !== 'deleting' && (
            <section className="card" aria-labelledby="maintenance-title">
              <h2 id="maintenance-title">Name, plan and reinstall</h2>
              <ServerRename serverId={server.id} hostname={server.hostname} />
              <ServerMaintenance serverId={server.id} hostname={server.hostname} status={server.status} planId={server.planId}
                templateId={server.templateId} plans={plans.data} templates={templates.data} />
            </section>
          )}
          {present && !server.rescue && (
            <section className="card" aria-labelledby="rescue-title">
              <h2 id="rescue-title">Rescue</h2>
              <RescueControl serverId={server.id} hostname={server.hostname} ipv4={server.ipv4} rescue={false} blocked={rescueBlocked} />
            </section>
          )}
          {admin && server.status !== 'deleted' && server.status !== 'deleting' && (
            <section className="card" aria-labelledby="migrate-title">
              <h2 id="migrate-title">Move to another host</h2>
              <ServerMigrate serverId={server.id} status={server.status} busy={busy} hosts={targets} />
            </section>
          )}
          <section className="card" aria-labelledby="operation-title">
            <h2 id="operation-title">Latest operation</h2>
            <OperationStatus op={op} />
          </section>
        </div>
      </div>
      <div className="stack page-sections">
      {plan && server.status !== 'deleted' && (
        <section className="card stack-sm" aria-labelledby="graphs-title">
          <h2 id="graphs-title">Graphs</h2>
          <ServerGraphs serverId={server.id} cpuCores={plan.cpuCores} memoryMb={plan.memoryMb} diskGb={plan.diskGb} />
        </section>
      )}
      <BackupsArea server={server} plan={plan} plans={plans.data} snapshots={snapshots.data} backups={backups.data} schedule={schedule} busy={busy} />
      {server.status === 'running' && (
        <section className="card stack-sm" aria-labelledby="console-title">
          <h2 id="console-title">Console</h2>
          <ServerConsole serverId={server.id} />
        </section>
      )}
      <section className="card stack-sm" aria-labelledby="activity-title">
        <h2 id="activity-title">Activity</h2>
        {activity.data.length === 0 ? <p className="muted">Nothing recorded yet.</p> : (
          <ul className="activity" aria-label="Activity">
            {activity.data.map((e) => (
              <li key={e.id}>
                <span className="muted">{formatDate(e.createdAt)}</span>
                <span>{e.action.replace(/^server\./, '').replaceAll('_', ' ')}</span>
                <span className="muted">{e.actorId ? `by ${e.actorId === principal.userId ? 'you' : e.actorId}` : 'by the platform'}{e.ip ? ` from ${e.ip}` : ''}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      </div>
    </>
  );
}
