import type { TDb } from '@berth/db';
import { AppError } from '../errors/app-error.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { queueBackupRead } from './queue-backup-read.ts';

type TOptions = { db: TDb; everyDays: number; now?: Date; limit?: number };

const RETRY_BUSY_MS = 10 * 60_000;

/**
 * Every `everyDays`, the newest ready backup of each server with backups scheduled is read back and checked
 * (a backup_verify operation, no principal): a corrupt chunk is found while the customer can still make a
 * new backup, not at the restore that needed it. Due schedules come by an index range on verify_next_at (work
 * proportional to what is due). A busy server is tried again in ten minutes; one with no backup yet, whose
 * host does not reach that backup's target, or whose tenant is suspended waits a period; a deleted one drops out. Safe to run concurrently (SKIP LOCKED). Returns
 * how many were queued.
 */
export const runBackupVerifications = async ({ db, everyDays, now = new Date(), limit = 100 }: TOptions): Promise<number> => {
  const due = await db.$queryRaw<{ server_id: string }[]>`
    SELECT server_id FROM backup_schedules WHERE enabled AND verify_next_at <= ${now} ORDER BY verify_next_at LIMIT ${limit}`;
  const nextPeriod = new Date(now.getTime() + everyDays * 86_400_000);
  let queued = 0;
  for (const { server_id: serverId } of due) {
    await db.$transaction(async (tx) => {
      const [s] = await tx.$queryRaw<{ server_id: string }[]>`
        SELECT server_id FROM backup_schedules WHERE server_id = ${serverId} AND enabled AND verify_next_at <= ${now} FOR UPDATE SKIP LOCKED`;
      if (!s) return;
      const next = async (at: Date | null) => tx.backupSchedule.update({ where: { serverId }, data: { verifyNextAt: at } });
      const server = await tx.server.findUniqueOrThrow({ where: { id: serverId }, select: { status: true, host: { select: { backupTargetId: true } }, tenant: { select: { suspendedAt: true } } } });
      // Gone: off the index for good (its schedule is switched off with it).
      if (server.status === 'deleted' || server.status === 'deleting') return void (await next(null));
      const newest = await tx.backup.findFirst({ where: { serverId, status: 'ready' }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { id: true, targetId: true } });
      // No backup yet, a host that does not reach it, or a tenant suspended for non-payment (no work for it, and
      // a busy server would escape being stopped): a period later.
      if (!newest || server.host.backupTargetId !== newest.targetId || server.tenant.suspendedAt) return void (await next(nextPeriod));
      try {
        await tx.$executeRaw`SAVEPOINT queue_verify`;
        await queueBackupRead({ tx, principal: null, serverId, backupId: newest.id, type: 'backup_verify' });
        await next(nextPeriod);
        queued++;
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        await tx.$executeRaw`ROLLBACK TO SAVEPOINT queue_verify`;
        await next(e.code === 'operation_in_progress' ? new Date(now.getTime() + RETRY_BUSY_MS) : nextPeriod);
      }
    }, TX_OPTIONS);
  }
  return queued;
};
