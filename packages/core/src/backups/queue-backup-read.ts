import type { TOperationType } from '@berth/contracts';
import type { TTx } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { startOperation } from '../operations/start-operation.ts';
import { lockReadyBackup } from './lock-ready-backup.ts';

type TOptions = {
  tx: TTx;
  /** null: the platform itself (a scheduled verify). */
  principal: TPrincipal | null;
  serverId: string;
  backupId: string;
  type: Extract<TOperationType, 'restore' | 'backup_verify'>;
};

/**
 * In the caller's transaction: an operation on the backup's own server that reads the backup on that server's
 * host, with the backup share-locked as its reader (a deletion racing it sees the reader, or the reader sees
 * the deletion, never neither). The server is taken first, then the backup: the order applyFinished takes
 * them in (retention), so no deadlock.
 */
export const queueBackupRead = async ({ tx, principal, serverId, backupId, type }: TOptions) => {
  const op = await startOperation({ tx, principal, serverId, type, allowedFrom: ['running', 'stopped', 'error'], params: { backupId } });
  await lockReadyBackup({ tx, backupId });
  return op;
};
