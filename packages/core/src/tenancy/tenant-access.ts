import type { TPrincipal } from '../auth/principal.ts';

/** Tenants a principal may see: admins all, resellers their own and their customers', customers their own. */
export const visibleTenants = (p: TPrincipal): object =>
  p.role === 'admin' ? {} : p.role === 'reseller' ? { OR: [{ id: p.tenantId }, { parentId: p.tenantId }] } : { id: p.tenantId };

/** Tenants a principal may manage (quotas, users): admins all, resellers only their customers'. */
export const managedTenants = (p: TPrincipal): object | null =>
  p.role === 'admin' ? {} : p.role === 'reseller' ? { parentId: p.tenantId } : null;

/**
 * Tenants whose users a principal may add or remove: as managedTenants, plus an account owner (a customer
 * who is not a sub-user) for their own tenant's sub-users.
 */
export const userManagedTenants = (p: TPrincipal): object | null =>
  p.role === 'customer' ? (p.subUser ? null : { id: p.tenantId }) : managedTenants(p);
