import type { TDb } from '@berth/db';
import { AppError } from '../errors/app-error.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { nextRunAt } from './next-run-at.ts';
import { queueBackup } from './queue-backup.ts';

type TOptions = { db: TDb; now?: Date; limit?: number };

const RETRY_BUSY_MS = 10 * 60_000;

/**
 * Queue the backups whose schedule is due (an index range on next_run_at: work is proportional to what is due,
 * not to all servers). Full after `fullEvery` incrementals in a row, else incremental. A server that is busy
 * (another operation) is tried again in ten minutes; one that cannot be backed up now (stopped host target,
 * suspended, deleted) waits for the next day. Safe to run concurrently (SKIP LOCKED). Returns how many queued.
 */
export const runBackupSchedules = async ({ db, now = new Date(), limit = 100 }: TOptions): Promise<number> => {
  const due = await db.$queryRaw<{ server_id: string }[]>`
    SELECT server_id FROM backup_schedules WHERE enabled AND next_run_at <= ${now} ORDER BY next_run_at LIMIT ${limit}`;
  let queued = 0;
  for (const { server_id: serverId } of due) {
    await db.$transaction(async (tx) => {
      const [s] = await tx.$queryRaw<{ full_every: number; hour_utc: number }[]>`
        SELECT full_every, hour_utc FROM backup_schedules WHERE server_id = ${serverId} AND enabled AND next_run_at <= ${now} FOR UPDATE SKIP LOCKED`;
      if (!s) return;
      const server = await tx.server.findUniqueOrThrow({ where: { id: serverId }, include: { plan: true, host: true } });
      if (server.status === 'deleted' || server.status === 'deleting') {
        await tx.backupSchedule.update({ where: { serverId }, data: { enabled: false, nextRunAt: null, verifyNextAt: null } });
        return;
      }
      const recent = await tx.backup.findMany({ where: { serverId, trigger: 'schedule', status: 'ready' }, orderBy: { createdAt: 'desc' }, take: s.full_every, select: { kind: true } });
      const kind = recent.length >= s.full_every && recent.every((b) => b.kind === 'incremental') ? 'full' : 'incremental';
      try {
        await tx.$executeRaw`SAVEPOINT queue_backup`;
        await queueBackup({ tx, principal: null, server, kind, trigger: 'schedule' });
        await tx.backupSchedule.update({ where: { serverId }, data: { nextRunAt: nextRunAt(s.hour_utc, now), lastRunAt: now } });
        queued++;
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        await tx.$executeRaw`ROLLBACK TO SAVEPOINT queue_backup`;
        const retry = e.code === 'operation_in_progress' ? new Date(now.getTime() + RETRY_BUSY_MS) : nextRunAt(s.hour_utc, now);
        await tx.backupSchedule.update({ where: { serverId }, data: { nextRunAt: retry } });
      }
    }, TX_OPTIONS);
  }
  return queued;
};
