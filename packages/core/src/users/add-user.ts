import type { TCreateUserRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { notFound } from '../errors/not-found.ts';
import { userManagedTenants, visibleTenants } from '../tenancy/tenant-access.ts';
import { createUser } from './create-user.ts';
import { toUserDto } from './to-user-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; input: TCreateUserRequest };

/**
 * Add a login to a tenant: admins anywhere with any role, resellers customer users to their customers'
 * tenants, account owners sub-users to their own tenant (rights granted later by PUT /users/{id}/permissions).
 */
export const addUser = async ({ db, principal, input }: TOptions) => {
  requireScope(principal, 'account:write');
  if (!(await db.tenant.findFirst({ where: { AND: [{ id: input.tenantId }, visibleTenants(principal)] } }))) throw notFound('tenant', input.tenantId);
  const managed = userManagedTenants(principal);
  if (!managed || !(await db.tenant.findFirst({ where: { AND: [{ id: input.tenantId }, managed] } }))) {
    throw new AppError('forbidden', 'You may add users only to tenants you manage.');
  }
  if (principal.role !== 'admin' && input.role !== 'customer') throw new AppError('forbidden', 'Only admins add admin or reseller users.');
  const subUser = principal.role === 'customer' ? true : (input.subUser ?? false);
  const user = await createUser({ db, email: input.email, name: input.name, role: input.role, password: input.password, tenantId: input.tenantId, subUser });
  await db.$transaction((tx) => recordAudit({ tx, principal, action: 'user.create', targetType: 'user', targetId: user.id, data: { tenantId: user.tenantId, role: user.role } }));
  return toUserDto(user);
};
