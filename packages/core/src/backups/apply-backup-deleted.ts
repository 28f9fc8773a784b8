import type { TBackupDeletedEvent } from '@berth/contracts';
import type { TDb } from '@berth/db';

/** An agent's report of backup.delete@1: gone (idempotent), or the error kept for the next send. */
export const applyBackupDeleted = async ({ db, event }: { db: TDb; event: TBackupDeletedEvent }) => {
  if (event.outcome === 'succeeded') {
    await db.backup.updateMany({ where: { id: event.backupId, status: 'deleting' }, data: { status: 'deleted', deletedAt: new Date(), error: null } });
  } else {
    await db.backup.updateMany({ where: { id: event.backupId, status: 'deleting' }, data: { error: `deletion failed on ${event.hostId}: ${event.error ?? 'unknown'}` } });
  }
};
