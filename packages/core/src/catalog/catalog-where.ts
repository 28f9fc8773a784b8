import type { TDb } from '@berth/db';

/**
 * Plans and templates a tenant may use: the public ones, its own and its reseller's private ones.
 * (Admins list everything through `all`.)
 */
export const catalogWhere = async (db: Pick<TDb, 'tenant'>, tenantId: string): Promise<object> => {
  const t = await db.tenant.findUnique({ where: { id: tenantId }, select: { parentId: true } });
  return { OR: [{ tenantId: null }, { tenantId: { in: [tenantId, ...(t?.parentId ? [t.parentId] : [])] } }] };
};
