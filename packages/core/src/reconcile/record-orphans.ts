import { newId, type THostInventoryEvent } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';
import { reportTakenAt } from './report-taken-at.ts';
import { decideOrphans, type TOwnerRow } from './decide-orphans.ts';

type TOptions = { db: TDb; event: THostInventoryEvent; now?: Date };

const CHUNK = 1000;

const chunks = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

/**
 * Find what on a host has no owner (decideOrphans) and record it: a `pending` quarantine the outbox of
 * quarantines sends to the agent, or `needs_admin`. A server with an active operation, or one whose last
 * operation ended after the report was taken, is left for the next report. Idempotent (one open finding per
 * host and server); a needs_admin case the host no longer shows is marked resolved. Work is bounded by what
 * this one host reported.
 */
export const recordOrphans = async ({ db, event, now = new Date() }: TOptions) => {
  const containers = event.servers.flatMap((s) => (s.state === 'absent' ? [] : [{ serverId: s.serverId, state: s.state }]));
  const images = event.orphanImages ?? [];
  const ids = [...new Set([...containers.map((c) => c.serverId), ...images])];
  const cutoff = reportTakenAt(event, now);
  const rows = new Map<string, TOwnerRow>();
  const busy = new Set<string>();
  for (const part of chunks(ids)) {
    for (const r of await db.server.findMany({ where: { id: { in: part } }, select: { id: true, hostId: true, status: true } })) rows.set(r.id, r);
    const ops = await db.operation.findMany({
      where: { serverId: { in: part }, OR: [{ status: { in: ['queued', 'running'] } }, { finishedAt: { gte: cutoff } }, { createdAt: { gte: cutoff } }] },
      select: { serverId: true },
      distinct: ['serverId'],
    });
    for (const o of ops) if (o.serverId) busy.add(o.serverId);
  }
  const unmarked = event.unmarked ? new Set(event.unmarked) : 'all' as const;
  const findings = decideOrphans({ hostId: event.hostId, containers, images, rows, busy, unmarked });
  // First, so a case that turned from needs_admin into a quarantine can be recorded (one open finding each).
  const keep = [...findings.filter((f) => f.kind === 'needs_admin').map((f) => f.serverId), ...busy];
  const resolved = await db.quarantinedContainer.updateMany({
    where: { hostId: event.hostId, status: 'needs_admin', serverId: { notIn: keep } },
    data: { status: 'resolved' },
  });
  const created = findings.length === 0 ? [] : await db.quarantinedContainer.createManyAndReturn({
    data: findings.map((f) => ({
      id: newId('quarantine'), hostId: event.hostId, serverId: f.serverId, found: f.found, reason: f.reason,
      status: f.kind === 'quarantine' ? 'pending' as const : 'needs_admin' as const,
    })),
    skipDuplicates: true, // an open finding for the same host and server already exists
    select: { id: true, serverId: true, status: true, reason: true },
  });
  if (created.length) {
    await db.$transaction(async (tx) => {
      for (const c of created) {
        await recordAudit({ tx, principal: null, action: c.status === 'pending' ? 'reconcile.quarantine' : 'reconcile.needs_admin', targetType: 'server', targetId: c.serverId, data: { hostId: event.hostId, quarantineId: c.id, reason: c.reason } });
      }
    });
  }
  return {
    quarantine: findings.filter((f) => f.kind === 'quarantine').map((f) => f.serverId),
    needsAdmin: findings.filter((f) => f.kind === 'needs_admin').map((f) => f.serverId),
    resolved: resolved.count,
  };
};
