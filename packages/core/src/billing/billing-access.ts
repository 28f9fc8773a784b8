import type { TDb, TTx } from '@berth/db';
import { AppError } from '../errors/app-error.ts';
import { notFound } from '../errors/not-found.ts';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { managedTenants, visibleTenants } from '../tenancy/tenant-access.ts';

/**
 * The tenant whose billing the caller reads (default: its own). Sub-users need the tenant's `billing`
 * right; a tenant the caller cannot see is a 404 like any other tenant's resource.
 */
export const billingTenantFor = async (db: TDb | TTx, principal: TPrincipal, tenantId?: string): Promise<string> => {
  requireScope(principal, 'billing:read');
  if (principal.subUser && !principal.tenantPermissions?.includes('billing')) {
    throw new AppError('forbidden', 'This login has no billing right; ask the account owner.');
  }
  const id = tenantId ?? principal.tenantId;
  if (!(await db.tenant.findFirst({ where: { AND: [{ id }, visibleTenants(principal)] }, select: { id: true } }))) throw notFound('tenant', id);
  return id;
};

/** Money on another tenant's account: admins anywhere, resellers on their customers'. Locks the tenant row. */
export const lockManagedTenant = async (tx: TTx, principal: TPrincipal, tenantId: string) => {
  const scope = managedTenants(principal);
  if (!scope || principal.subUser) throw new AppError('forbidden', 'Only admins and resellers (for their customers) change balances.');
  const tenant = await tx.tenant.findFirst({ where: { AND: [{ id: tenantId }, scope] }, select: { id: true, currency: true } });
  if (!tenant) throw notFound('tenant', tenantId);
  await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${tenantId} FOR UPDATE`;
  return tenant;
};
