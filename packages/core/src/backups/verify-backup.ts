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
 * Read a backup back from its target on its server's host and check its manifest and every chunk against their
 * sha256, writing nothing: the server runs on (an operation on it, so it waits for others). Success stamps
 * `verifiedAt`; a corrupt chunk takes the backup and those built on it out of use, as a restore that found it
 * would. The backup is share-locked as a reader: no deletion, expiry or retention removes it meanwhile.
 */
export const verifyBackup = async ({ db, principal, backupId }: TOptions) => {
  const { backup, server } = await findBackup({ db, principal, backupId, scope: 'servers:write', permission: 'backup' });
  if (backup.status !== 'ready') throw new AppError('invalid_state', `Backup ${backupId} is ${backup.status}, not ready.`);
  if (server.status === 'deleted') throw new AppError('invalid_state', 'Its server was deleted: a backup is verified on its server\'s host.');
  if (server.host.backupTargetId !== backup.targetId) {
    throw new AppError('invalid_state', 'The server\'s host does not reach the target holding this backup.');
  }
  const op = await db.$transaction(async (tx) => {
    // The server first, then the backup: the order applyFinished takes them in (retention), so no deadlock.
    const op = await startOperation({ tx, principal, serverId: server.id, type: 'backup_verify', allowedFrom: ['running', 'stopped', 'error'], params: { backupId } });
    await lockReadyBackup({ tx, backupId });
    return op;
  }, TX_OPTIONS);
  return { operation: toOperationDto(op) };
};
