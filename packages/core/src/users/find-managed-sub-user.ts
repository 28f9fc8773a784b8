import type { TTx } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';
import { notFound } from '../errors/not-found.ts';
import { userManagedTenants, visibleTenants } from '../tenancy/tenant-access.ts';

/** A sub-user the caller may grant rights to (owner of its tenant, its reseller, an admin): 404 if unseen, 403 if not theirs. */
export const findManagedSubUser = async (tx: TTx, principal: TPrincipal, userId: string) => {
  const user = await tx.user.findFirst({ where: { AND: [{ id: userId, tenant: visibleTenants(principal) }, principal.subUser ? { id: principal.userId } : {}] } });
  if (!user) throw notFound('user', userId);
  const managed = userManagedTenants(principal);
  if (!managed || !(await tx.tenant.findFirst({ where: { AND: [{ id: user.tenantId }, managed] } }))) {
    throw new AppError('forbidden', 'Only the account owner, its reseller or an admin manage a sub-user\'s rights.');
  }
  if (!user.subUser) throw new AppError('invalid_state', `${user.email} is not a sub-user: it has the whole account's rights.`);
  return user;
};
