import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';
import { startOperation } from '../operations/start-operation.ts';
import { toOperationDto } from '../servers/to-dto.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { findBackup } from './find-backup.ts';
import { lockReadyBackup } from './lock-ready-backup.ts';

type TOptions = { db: TDb; principal: TPrincipal; backupId: string };

/**
 * Put a backup back onto its own server: the disk is rebuilt from the backup (every chunk checked) while the
 * server runs on, then the server is stopped, its disk replaced and started. A corrupt backup fails the
 * operation and leaves the disk as it was.
 */
export const restoreBackup = async ({ db, principal, backupId }: TOptions) => {
  const { backup, server } = await findBackup({ db, principal, backupId, scope: 'servers:write', permission: 'reinstall' });
  if (backup.status !== 'ready') throw new AppError('invalid_state', `Backup ${backupId} is ${backup.status}, not ready.`);
  if (server.status === 'deleted') throw new AppError('invalid_state', 'Its server was deleted: restore it to a new server (POST /backups/{id}/servers).');
  if (server.host.backupTargetId !== backup.targetId) {
    throw new AppError('invalid_state', 'The server\'s host does not reach the target holding this backup; restore it to a new server instead.');
  }
  const op = await db.$transaction(async (tx) => {
    // The server first, then the backup: the order applyFinished takes them in (retention), so no deadlock.
    const op = await startOperation({ tx, principal, serverId: server.id, type: 'restore', allowedFrom: ['running', 'stopped', 'error'], params: { backupId } });
    await lockReadyBackup({ tx, backupId });
    return op;
  }, TX_OPTIONS);
  return { operation: toOperationDto(op) };
};
