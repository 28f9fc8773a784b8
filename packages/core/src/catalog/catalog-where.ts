import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { notFound } from '../errors/not-found.ts';
import { visibleTenants } from '../tenancy/tenant-access.ts';

/**
 * Plans and templates a tenant may use: the public ones, its own and its reseller's private ones.
 * (Admins list everything through `all`.)
 */
export const catalogWhere = async (db: Pick<TDb, 'tenant'>, tenantId: string): Promise<object> => {
  const t = await db.tenant.findUnique({ where: { id: tenantId }, select: { parentId: true } });
  return { OR: [{ tenantId: null }, { tenantId: { in: [tenantId, ...(t?.parentId ? [t.parentId] : [])] } }] };
};

/**
 * The catalog filter for a listing: the caller's own (admins: everything), or with forTenantId the
 * catalog of a tenant the caller can see (404 otherwise, like any other tenant's resource).
 */
export const catalogFor = async ({ db, principal, forTenantId }: { db: Pick<TDb, 'tenant'>; principal: TPrincipal; forTenantId?: string }): Promise<object> => {
  if (!forTenantId) return principal.role === 'admin' ? {} : catalogWhere(db, principal.tenantId);
  if (!(await db.tenant.findFirst({ where: { AND: [{ id: forTenantId }, visibleTenants(principal)] }, select: { id: true } }))) {
    throw notFound('tenant', forTenantId);
  }
  return catalogWhere(db, forTenantId);
};
