import type { TRestoreToNewServerRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';
import { createServer } from '../servers/create-server.ts';
import { findBackup } from './find-backup.ts';

type TOptions = { db: TDb; principal: TPrincipal; backupId: string; input: TRestoreToNewServerRequest };

/**
 * Order a new server whose disk is the backup's (its files, SSH host keys and root access; a new address and,
 * if given, a new name), in the backup's tenant, on any host that reaches the backup's target. Ordering rules
 * apply as for any order (quotas, funds, capacity); the plan must hold the backup's disk.
 */
export const restoreToNewServer = async ({ db, principal, backupId, input }: TOptions) => {
  const { backup } = await findBackup({ db, principal, backupId, scope: 'servers:write', permission: 'reinstall' });
  if (backup.status !== 'ready') throw new AppError('invalid_state', `Backup ${backupId} is ${backup.status}, not ready.`);
  const planId = input.planId ?? backup.planId;
  const plan = await db.plan.findUnique({ where: { id: planId } });
  if (plan && backup.diskBytes !== null && BigInt(plan.diskGb) * 1024n ** 3n < (backup.dataBytes ?? 0n)) {
    const message = `plan ${plan.name} (${plan.diskGb} GB) cannot hold the backup's data`;
    throw new AppError('validation_failed', message, { fieldErrors: [{ path: 'planId', message }] });
  }
  return createServer({
    db, principal,
    input: { hostname: input.hostname ?? backup.hostname, planId, templateId: backup.templateId, ...(backup.tenantId !== principal.tenantId ? { tenantId: backup.tenantId } : {}), hostId: input.hostId },
    fromBackup: { backupId, targetId: backup.targetId },
  });
};
