import type { TServerPermission } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { notFound } from '../errors/not-found.ts';
import { findVisibleServer } from './find-visible-server.ts';

type TOptions = { db: TDb; principal: TPrincipal; snapshotId: string; permission: TServerPermission };

/** A snapshot of a server the caller may act on with `permission` (not_found otherwise, as for its server). */
export const findSnapshot = async ({ db, principal, snapshotId, permission }: TOptions) => {
  const snapshot = await db.snapshot.findUnique({ where: { id: snapshotId } });
  if (!snapshot || snapshot.status === 'deleted') throw notFound('snapshot', snapshotId);
  const server = await findVisibleServer({ db, principal, serverId: snapshot.serverId, scope: 'servers:write', permission }).catch(() => {
    throw notFound('snapshot', snapshotId);
  });
  return { snapshot, server };
};
