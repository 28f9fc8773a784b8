import { dispatchBackupDeletes, expireBackups, runBackupSchedules, type TPublishJob } from '@berth/core';
import type { TDb } from '@berth/db';

type TOptions = { db: TDb; publish: TPublishJob; tickMs: number; log: (m: string) => void };

/**
 * Backups' periodic side: due schedules become backup operations, a deleted server's backups are deleted
 * once their keep period is over, and deletions (those, retention's, customers') go to hosts reaching the
 * target. Each step works on an indexed, bounded batch; rounds never overlap.
 */
export const startBackupTicker = ({ db, publish, tickMs, log }: TOptions) => {
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const now = new Date();
      const queued = await runBackupSchedules({ db, now });
      if (queued) log(`queued ${queued} scheduled backup(s)`);
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
