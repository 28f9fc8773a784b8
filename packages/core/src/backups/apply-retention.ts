import type { TTx } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';
import { decideRetention } from './decide-retention.ts';
import { findBackupReaders } from './find-backup-readers.ts';

type TOptions = { tx: TTx; serverId: string };

/**
 * After a scheduled backup of the server: mark for deletion (the backup.delete@1 outbox) the scheduled backups
 * its retention no longer keeps. Work is bounded by that one server's backups. Returns the ids marked.
 */
export const applyRetention = async ({ tx, serverId }: TOptions): Promise<string[]> => {
  const schedule = await tx.backupSchedule.findUnique({ where: { serverId } });
  if (!schedule) return [];
  const live = await tx.backup.findMany({
    where: { serverId, status: { in: ['queued', 'running', 'ready'] } },
    select: { id: true, parentId: true, createdAt: true, trigger: true, status: true, tenantId: true },
  });
  const candidates = live.filter((b) => b.trigger === 'schedule' && b.status === 'ready');
  const ids = new Set(candidates.map((b) => b.id));
  // Parents of anything else alive (a backup in progress, a manual incremental) stay.
  const pinned = live.filter((b) => !ids.has(b.id) && b.parentId).map((b) => b.parentId!);
  // A backup a queued or running restore (e.g. another server's create from it) reads must outlive that operation.
  // Locked first: a reader that share-locked one of them commits its operation before findBackupReaders looks.
  if (ids.size) await tx.$queryRaw`SELECT id FROM backups WHERE id = ANY(${[...ids]}) FOR UPDATE`;
  pinned.push(...(await findBackupReaders({ tx, backupIds: [...ids] })));
  const drop = decideRetention(candidates, schedule, pinned);
  if (drop.length) {
    await tx.backup.updateMany({ where: { id: { in: drop }, status: 'ready' }, data: { status: 'deleting', deleteDispatchedAt: null } });
    await recordAudit({ tx, principal: null, action: 'backup.retention', targetType: 'server', targetId: serverId, tenantId: live[0]!.tenantId, data: { backupIds: drop } });
  }
  return drop;
};
