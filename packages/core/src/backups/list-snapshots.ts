import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { findVisibleServer } from './find-visible-server.ts';
import { toSnapshotDto } from './to-backup-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverId: string };

/** A server's snapshots, newest first (a plan allows a handful: no pagination needed). */
export const listSnapshots = async ({ db, principal, serverId }: TOptions) => {
  await findVisibleServer({ db, principal, serverId, scope: 'servers:read', permission: 'view' });
  const rows = await db.snapshot.findMany({ where: { serverId, status: { not: 'deleted' } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 200 });
  return { data: rows.map(toSnapshotDto), nextCursor: null };
};
