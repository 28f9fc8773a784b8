import type { TOperationType, TServerPermission } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';
import { toOperationDto } from '../servers/to-dto.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { findBackup } from './find-backup.ts';
import { queueBackupRead } from './queue-backup-read.ts';

type TOptions = {
  db: TDb; principal: TPrincipal; backupId: string; type: Extract<TOperationType, 'restore' | 'backup_verify'>; permission: TServerPermission;
  /** What to tell the caller when the backup's server was deleted, or its host does not reach the backup's target. */
  refusals: { deleted: string; unreachable: string };
};

/**
 * Queue an operation on a backup's own server that reads the backup on that server's host (a restore onto it,
 * a verify), for a caller who may act on that server.
 */
export const startBackupRead = async ({ db, principal, backupId, type, permission, refusals }: TOptions) => {
  const { backup, server } = await findBackup({ db, principal, backupId, scope: 'servers:write', permission });
  if (backup.status !== 'ready') throw new AppError('invalid_state', `Backup ${backupId} is ${backup.status}, not ready.`);
  if (server.status === 'deleted') throw new AppError('invalid_state', refusals.deleted);
  if (server.host.backupTargetId !== backup.targetId) throw new AppError('invalid_state', refusals.unreachable);
  const op = await db.$transaction((tx) => queueBackupRead({ tx, principal, serverId: server.id, backupId, type }), TX_OPTIONS);
  return { operation: toOperationDto(op) };
};
