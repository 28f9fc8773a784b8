import type { TTx } from '@berth/db';
import { AppError } from '../errors/app-error.ts';

/**
 * Share-lock a backup that is about to be read (a restore, a create from it, an incremental built on it) and
 * check it is still ready, in the caller's transaction. A deletion takes the row FOR UPDATE: whichever comes
 * second sees the other (the delete finds the reader, or the reader finds it deleting), never neither.
 * Returns false (or throws invalid_state when `required`) if it is no longer ready.
 */
export const lockReadyBackup = async ({ tx, backupId, required = true }: { tx: TTx; backupId: string; required?: boolean }): Promise<boolean> => {
  const [row] = await tx.$queryRaw<{ status: string }[]>`SELECT status::text AS status FROM backups WHERE id = ${backupId} FOR SHARE`;
  if (row?.status === 'ready') return true;
  if (required) throw new AppError('invalid_state', `Backup ${backupId} is ${row?.status ?? 'gone'}, not ready.`);
  return false;
};
