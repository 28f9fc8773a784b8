import type { TDb } from '@berth/db';
import type { TPublishJob } from '../reconcile/dispatch-quarantines.ts';
import { targetSpec } from './to-backup-dto.ts';

type TOptions = { db: TDb; publish: TPublishJob; limit?: number; now?: Date };

/** A deletion not confirmed after this long is sent again (its host died, or the job failed). */
const RESEND_AFTER_MS = 60 * 60_000;

/**
 * The outbox of backup deletions (retention, expiry, a customer's delete): each goes as backup.delete@1 to an
 * online host that reaches the backup's target, the server's own first. With no such host it waits.
 */
export const dispatchBackupDeletes = async ({ db, publish, limit = 100, now = new Date() }: TOptions): Promise<number> => {
  const rows = await db.backup.findMany({
    // Only targets some online host reaches: those waiting for one must not fill every batch ahead of the rest.
    where: {
      status: 'deleting', target: { hosts: { some: { status: 'online' } } },
      OR: [{ deleteDispatchedAt: null }, { deleteDispatchedAt: { lt: new Date(now.getTime() - RESEND_AFTER_MS) } }],
    },
    include: { target: { include: { hosts: { where: { status: 'online' }, select: { id: true }, orderBy: { id: 'asc' }, take: 20 } } } },
    orderBy: { createdAt: 'asc' },
    take: limit,
  });
  let sent = 0;
  for (const b of rows) {
    const own = await db.server.findUnique({ where: { id: b.serverId }, select: { hostId: true } });
    const hosts = b.target.hosts.map((h) => h.id);
    const hostId = own && hosts.includes(own.hostId) ? own.hostId : hosts[0];
    if (!hostId) continue;
    // A new job id per attempt: BullMQ keeps a failed job's id for a week and would swallow a re-send.
    let target;
    try {
      target = targetSpec(b.target);
    } catch {
      continue; // a target whose config does not parse holds up only its own deletions
    }
    await publish(hostId, 'backup.delete@1', { backupId: b.id, serverId: b.serverId, target }, `${b.id}-${now.getTime()}`);
    await db.backup.updateMany({ where: { id: b.id, status: 'deleting' }, data: { deleteDispatchedAt: now } });
    sent++;
  }
  return sent;
};
