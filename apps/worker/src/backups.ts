import { dispatchBackupDeletes, expireBackups, runBackupSchedules, runBackupVerifications, type TPublishJob } from '@berth/core';
import type { TDb } from '@berth/db';

/** `verifyEveryDays`: how often scheduled servers' newest backup is verified (0: never). */
type TOptions = { db: TDb; publish: TPublishJob; tickMs: number; verifyEveryDays: number; log: (m: string) => void };

/**
 * Backups' periodic side: due schedules become backup operations (and, every few days, a verify of the newest
 * backup), a deleted server's backups are deleted
 * once their keep period is over, and deletions (those, retention's, customers') go to hosts reaching the
 * target. Each step works on an indexed, bounded batch; rounds never overlap.
 */
export const startBackupTicker = ({ db, publish, tickMs, verifyEveryDays, log }: TOptions) => {
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const now = new Date();
      const queued = await runBackupSchedules({ db, now });
      if (queued) log(`queued ${queued} scheduled backup(s)`);
      const verifies = verifyEveryDays ? await runBackupVerifications({ db, everyDays: verifyEveryDays, now }) : 0;
      if (verifies) log(`queued ${verifies} verification(s) of servers' newest backups`);
      const expired = await expireBackups({ db, now });
      if (expired) log(`${expired} backup(s) of deleted servers reached the end of their keep period`);
      const sent = await dispatchBackupDeletes({ db, publish, now });
      if (sent) log(`sent ${sent} backup deletion(s)`);
    } catch (e) {
      log(`backup tick failed, will retry: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), tickMs);
  void tick();
  return { tick, close: () => clearInterval(timer) };
};
