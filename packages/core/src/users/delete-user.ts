import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { notFound } from '../errors/not-found.ts';
import { userManagedTenants, visibleTenants } from '../tenancy/tenant-access.ts';
import { notifyAccessRevoked } from '../console/notify-access-revoked.ts';
import { TX_OPTIONS } from '../tx-options.ts';

type TOptions = { db: TDb; principal: TPrincipal; userId: string };

/**
 * Remove a login. Its API keys and SSH keys go with it (cascade), and sessions die at once because every
 * request re-reads the user row.
 */
export const deleteUser = async ({ db, principal, userId }: TOptions): Promise<null> => {
  requireScope(principal, 'account:write');
  await db.$transaction(async (tx) => {
    const user = await tx.user.findFirst({ where: { id: userId, tenant: visibleTenants(principal) } });
    if (!user) throw notFound('user', userId);
    const managed = userManagedTenants(principal);
    if (!managed || !(await tx.tenant.findFirst({ where: { AND: [{ id: user.tenantId }, managed] } }))
      || (principal.role === 'customer' && !user.subUser)) {
      throw new AppError('forbidden', 'You may remove users only from tenants you manage (account owners: their sub-users).');
    }
    if (user.id === principal.userId) throw new AppError('invalid_state', 'You cannot remove yourself.');
    await tx.user.delete({ where: { id: user.id } });
    await notifyAccessRevoked(tx, { userId: user.id, keep: [] });
    await recordAudit({ tx, principal, action: 'user.delete', targetType: 'user', targetId: user.id, data: { tenantId: user.tenantId } });
  }, TX_OPTIONS);
  return null;
};
