import type { TServerJob, TServerSpec } from '@berth/contracts';
import type { TTx, TDb } from '@berth/db';
import { UID_RANGE_SIZE } from '../ipam/allocate-uid-range.ts';
import { JobBuildError, migrationTarget } from '../migration/migration-target.ts';
import { backupJobParts } from '../backups/backup-job-parts.ts';

/**
 * `now`: the clock that decides this month's transfer cap (tests pass one). `signingKey`: the panel's
 * Ed25519 key, which signs a migration's transfer token (only migrations need it).
 */
type TOptions = { db: TDb | TTx; operationId: string; now?: Date; signingKey?: string };

/** The self-contained job payload for an operation: everything the agent needs, nothing it must look up. */
export const buildServerJob = async ({ db, operationId, now = new Date(), signingKey }: TOptions): Promise<TServerJob | null> => {
  const op = await db.operation.findUnique({
    where: { id: operationId },
    include: {
      server: { include: { plan: true, template: true, host: true, uidRanges: { include: { host: true } }, tenant: true, ipAddress: { include: { pool: true } } } },
    },
  });
  const s = op?.server;
  const range = s?.uidRanges.find((r) => r.hostId === s.hostId);
  if (!op || !s || !s.ipAddress || !range) return null;
  // A resize carries the limits of the plan it moves to.
  const params = (op.params ?? {}) as { planId?: string; templateId?: string };
  const targetId = op.type === 'resize' ? params.planId : undefined;
  const p = targetId ? await db.plan.findUnique({ where: { id: targetId } }) : s.plan;
  // A reinstall carries the template it rebuilds from.
  const template = op.type === 'reinstall' && params.templateId ? await db.template.findUnique({ where: { id: params.templateId } }) : s.template;
  if (!p || !template) return null;
  // The tenant's other live VPSes on a host, when it opted in to talk between them.
  const peersOn = async (hostId: string) => !s.tenant.privateNetwork ? [] : (await db.server.findMany({
    where: { tenantId: s.tenantId, hostId, id: { not: s.id }, status: { notIn: ['deleting', 'deleted'] } },
    select: { id: true },
  })).map((x) => x.id);
  const peers = await peersOn(s.hostId);
  // Throttled for the rest of the month when a throttle plan's transfer allowance is used up.
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  // Decided for the job's plan now, so a plan change (bigger allowance, or billing instead) lifts it.
  const transfer = p.overageAction === 'throttle' && p.transferGb !== null
    ? await db.transferUsage.findUnique({ where: { serverId_month: { serverId: s.id, month } }, select: { bytes: true } })
    : null;
  const overAllowance = !!transfer && p.transferGb !== null && transfer.bytes > BigInt(p.transferGb) * 1_000_000_000n;
  const spec: TServerSpec = {
    serverId: s.id,
    hostname: s.hostname,
    imageRef: template.imageRef,
    limits: {
      cpuCores: p.cpuCores, cpuWeight: p.cpuWeight, memoryMb: p.memoryMb, swapMb: p.swapMb, diskGb: p.diskGb,
      ioReadBps: Number(p.ioReadBps), ioWriteBps: Number(p.ioWriteBps), ioReadIops: p.ioReadIops, ioWriteIops: p.ioWriteIops,
      pidsMax: p.pidsMax,
    },
    network: {
      bridge: s.host.bridge,
      ipv4: s.ipAddress.address,
      prefixLength: s.ipAddress.pool.prefixLength,
      gateway: s.ipAddress.pool.gateway,
      mac: s.mac,
      peers,
      rateMbit: overAllowance ? p.throttleMbit : null,
    },
    idmap: { uidBase: s.host.uidBase + range.slot * UID_RANGE_SIZE, count: UID_RANGE_SIZE },
    access: { sshKeys: s.sshKeys, rootPasswordHash: s.rootPasswordHash },
    features: { nesting: p.nesting },
  };
  if (op.type !== 'migrate') return { operationId: op.id, serverId: s.id, spec, ...(await backupJobParts(db, op)) };
  // The same VPS on the target: that host's bridge and the id range reserved there; peers are per host.
  const there = s.uidRanges.find((r) => r.hostId === op.targetHostId);
  if (!there) return null;
  if (!signingKey) throw new JobBuildError('this process has no signing key for transfer tokens (CONSOLE_SIGNING_KEY)');
  const targetSpec: TServerSpec = {
    ...spec,
    network: { ...spec.network, bridge: there.host.bridge, peers: await peersOn(there.hostId) },
    idmap: { uidBase: there.host.uidBase + there.slot * UID_RANGE_SIZE, count: UID_RANGE_SIZE },
  };
  const migration = migrationTarget({ host: there.host, operationId: op.id, fromHostId: s.hostId, spec: targetSpec, start: s.status === 'running', signingKey, now });
  return { operationId: op.id, serverId: s.id, spec, migration };
};
