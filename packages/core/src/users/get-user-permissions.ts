import type { TUserPermissions } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { notFound } from '../errors/not-found.ts';
import { visibleTenants } from '../tenancy/tenant-access.ts';

type TOptions = { db: TDb; principal: TPrincipal; userId: string };

/** A sub-user's rights (a sub-user may read its own). */
export const getUserPermissions = async ({ db, principal, userId }: TOptions): Promise<TUserPermissions> => {
  requireScope(principal, 'account:read');
  const user = await db.user.findFirst({
    where: { AND: [{ id: userId, tenant: visibleTenants(principal) }, principal.subUser ? { id: principal.userId } : {}] },
    include: { serverPermissions: { orderBy: { serverId: 'asc' } } },
  });
  if (!user) throw notFound('user', userId);
  return {
    tenant: user.permissions as TUserPermissions['tenant'],
    servers: user.serverPermissions.map((p) => ({ serverId: p.serverId, permissions: p.permissions as TUserPermissions['servers'][number]['permissions'] })),
  };
};
