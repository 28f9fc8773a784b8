import type { TServerPermission, TScope } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { notFound } from '../errors/not-found.ts';
import { findVisibleServer } from './find-visible-server.ts';

type TOptions = { db: TDb; principal: TPrincipal; backupId: string; scope: TScope; permission: TServerPermission };

/** A backup of a server the caller may see and act on with `permission` (not_found otherwise). */
export const findBackup = async ({ db, principal, backupId, scope, permission }: TOptions) => {
  const backup = await db.backup.findUnique({ where: { id: backupId }, include: { target: true } });
  if (!backup) throw notFound('backup', backupId);
  const server = await findVisibleServer({ db, principal, serverId: backup.serverId, scope, permission }).catch(() => {
    throw notFound('backup', backupId);
  });
  return { backup, server };
};
