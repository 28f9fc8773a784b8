import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { findBackup } from './find-backup.ts';
import { findBackupReaders } from './find-backup-readers.ts';
import { toBackupDto } from './to-backup-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; backupId: string };

/**
 * Delete a backup from its target (a backup.delete@1 job on a host that reaches it). Refused while an
 * incremental builds on it (that one would lose the chunks it shares) or while a restore reads it.
 */
export const deleteBackup = async ({ db, principal, backupId }: TOptions) => {
  const { backup } = await findBackup({ db, principal, backupId, scope: 'servers:write', permission: 'backup' });
  const row = await db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ status: string }[]>`SELECT status FROM backups WHERE id = ${backupId} FOR UPDATE`;
    if (!locked || !['ready', 'failed'].includes(locked.status)) throw new AppError('invalid_state', `Backup ${backupId} is ${locked?.status ?? 'gone'}.`);
    const child = await tx.backup.findFirst({ where: { parentId: backupId, status: { notIn: ['deleted', 'failed'] } }, select: { id: true } });
    if (child) throw new AppError('conflict', `Backup ${child.id} is an incremental built on this one; delete it first.`);
    if ((await findBackupReaders({ tx, backupIds: [backupId] })).length) throw new AppError('conflict', 'A restore or verify of this backup is in progress; delete it once that has finished.');
    const row = await tx.backup.update({ where: { id: backupId }, data: { status: 'deleting', deleteDispatchedAt: null } });
    await recordAudit({ tx, principal, action: 'backup.delete', targetType: 'server', targetId: backup.serverId, tenantId: backup.tenantId, data: { backupId } });
    return row;
  }, TX_OPTIONS);
  return toBackupDto(row);
};
