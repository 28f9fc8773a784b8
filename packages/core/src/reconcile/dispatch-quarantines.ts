import type { TDb } from '@berth/db';
import type { TJobName } from '@berth/jobs';

/** Puts one job on host-<hostId>; idempotent per jobId (BullMQ ignores a duplicate jobId). */
export type TPublishJob = (hostId: string, name: TJobName, payload: unknown, jobId: string) => Promise<void>;

type TOptions = { db: TDb; publish: TPublishJob; limit?: number };

/** 2026-12-01T10:15:00.123Z -> 20261201T101500Z: names the quarantine directory. */
const stampOf = (d: Date) => `${d.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;

/**
 * The outbox of reconciliation: send decided quarantines (server.quarantine@1) and due purges
 * (quarantine.purge@1) to their hosts, then mark them sent. The jobId is the row's id, so a double send is
 * one job. A quarantine whose server got an operation meanwhile is dropped (resolved): it has an owner at work.
 */
export const dispatchQuarantines = async ({ db, publish, limit = 100 }: TOptions): Promise<number> => {
  const rows = await db.quarantinedContainer.findMany({
    where: { status: { in: ['pending', 'purging'] }, dispatchedAt: null },
    orderBy: { createdAt: 'asc' },
    take: limit,
  });
  let sent = 0;
  for (const r of rows) {
    if (r.status === 'pending') {
      const active = await db.operation.findFirst({ where: { serverId: r.serverId, status: { in: ['queued', 'running'] } }, select: { id: true } });
      if (active) {
        await db.quarantinedContainer.updateMany({ where: { id: r.id, status: 'pending' }, data: { status: 'resolved', error: `operation ${active.id} began on the server; left to it` } });
        continue;
      }
      await publish(r.hostId, 'server.quarantine@1', { quarantineId: r.id, serverId: r.serverId, stamp: stampOf(r.createdAt) }, r.id);
    } else {
      if (!r.location) {
        await db.quarantinedContainer.update({ where: { id: r.id }, data: { status: 'purged', purgedAt: new Date() } });
        continue;
      }
      await publish(r.hostId, 'quarantine.purge@1', { quarantineId: r.id, serverId: r.serverId, location: r.location }, `${r.id}-purge`);
    }
    await db.quarantinedContainer.updateMany({ where: { id: r.id, status: r.status, dispatchedAt: null }, data: { dispatchedAt: new Date() } });
    sent++;
  }
  return sent;
};
