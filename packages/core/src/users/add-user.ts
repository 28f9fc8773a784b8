import type { TCreateUserRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { hasScope, requireScope, ROLE_SCOPES, type TPrincipal } from '../auth/principal.ts';
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
  // A full login can do what its role's scopes allow: a narrower key must not mint a wider login. (A sub-user
  // starts with no rights, and granting them needs servers:write: see setUserPermissions.)
  const beyond = subUser ? [] : ROLE_SCOPES[input.role].filter((sc) => !hasScope(principal, sc));
  if (beyond.length) throw new AppError('forbidden', `Adding a ${input.role} user needs the scopes it would get: ${beyond.join(', ')}.`);
  const user = await createUser({
    db, email: input.email, name: input.name, role: input.role, password: input.password, tenantId: input.tenantId, subUser,
    then: (tx, userId) => recordAudit({ tx, principal, action: 'user.create', targetType: 'user', targetId: userId, tenantId: input.tenantId, data: { role: input.role, subUser } }),
  });
  return toUserDto(user);
};
