import { newId, type TBackupTargetSpec } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { notFound } from '../errors/not-found.ts';
import { toBackupTargetDto } from './to-backup-dto.ts';

const INCLUDE = { hosts: { select: { id: true }, orderBy: { id: 'asc' as const } } };

export const listBackupTargets = async ({ db, principal }: { db: TDb; principal: TPrincipal }) => {
  requireScope(principal, 'admin:*');
  const rows = await db.backupTarget.findMany({ include: INCLUDE, orderBy: { createdAt: 'asc' }, take: 1000 });
  return { data: rows.map(toBackupTargetDto), nextCursor: null };
};

/** Admins: a place for backups (a directory every attached host sees at that path: local disk or a shared mount). */
export const createBackupTarget = async ({ db, principal, input }: { db: TDb; principal: TPrincipal; input: { name: string; spec: TBackupTargetSpec } }) => {
  requireScope(principal, 'admin:*');
  if (await db.backupTarget.findUnique({ where: { name: input.name } })) {
    throw new AppError('validation_failed', `a backup target named ${input.name} exists`, { fieldErrors: [{ path: 'name', message: 'already taken' }] });
  }
  const { kind, ...config } = input.spec;
  const row = await db.$transaction(async (tx) => {
    const row = await tx.backupTarget.create({ data: { id: newId('backupTarget'), name: input.name, kind, config }, include: INCLUDE });
    await recordAudit({ tx, principal, action: 'backup_target.create', targetType: 'backup_target', targetId: row.id, data: { name: input.name, ...input.spec } });
    return row;
  });
  return toBackupTargetDto(row);
};

/** Admins: the host writes its servers' backups to this target from now on (earlier backups stay where they are). */
export const attachBackupTarget = async ({ db, principal, targetId, hostId }: { db: TDb; principal: TPrincipal; targetId: string; hostId: string }) => {
  requireScope(principal, 'admin:*');
  if (!(await db.backupTarget.findUnique({ where: { id: targetId } }))) throw notFound('backup target', targetId);
  if (!(await db.host.findUnique({ where: { id: hostId } }))) {
    throw new AppError('validation_failed', `unknown host ${hostId}`, { fieldErrors: [{ path: 'hostId', message: 'no such host' }] });
  }
  const row = await db.$transaction(async (tx) => {
    await tx.host.update({ where: { id: hostId }, data: { backupTargetId: targetId } });
    await recordAudit({ tx, principal, action: 'backup_target.attach', targetType: 'backup_target', targetId, data: { hostId } });
    return tx.backupTarget.findUniqueOrThrow({ where: { id: targetId }, include: INCLUDE });
  });
  return toBackupTargetDto(row);
};
