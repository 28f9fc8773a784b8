import type { TBackupDeletedEvent } from '@berth/contracts';
import type { TDb } from '@berth/db';

/**
 * An agent's report of backup.delete@1: gone (idempotent), or the error kept for the next send. Only a host
 * attached to the backup's target can have deleted it: another host's report changes nothing.
 */
export const applyBackupDeleted = async ({ db, event }: { db: TDb; event: TBackupDeletedEvent }) => {
  const where = { id: event.backupId, status: 'deleting' as const, target: { hosts: { some: { id: event.hostId } } } };
  if (event.outcome === 'succeeded') {
    await db.backup.updateMany({ where, data: { status: 'deleted', deletedAt: new Date(), error: null } });
  } else {
    await db.backup.updateMany({ where, data: { error: `deletion failed on ${event.hostId}: ${event.error ?? 'unknown'}` } });
  }
};
