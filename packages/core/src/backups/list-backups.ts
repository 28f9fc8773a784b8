import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { findVisibleServer } from './find-visible-server.ts';
import { toBackupDto } from './to-backup-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverId: string; includeDeleted?: boolean };

/** A server's backups, newest first; a deleted server's too, while they are kept. Bounded by plan and retention. */
export const listBackups = async ({ db, principal, serverId, includeDeleted = false }: TOptions) => {
  await findVisibleServer({ db, principal, serverId, scope: 'servers:read', permission: 'view' });
  const rows = await db.backup.findMany({
    where: { serverId, ...(includeDeleted ? {} : { status: { not: 'deleted' } }) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 500,
  });
  return { data: rows.map(toBackupDto), nextCursor: null };
};
