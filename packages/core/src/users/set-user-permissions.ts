import type { TUserPermissions } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { notifyAccessRevoked } from '../console/notify-access-revoked.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { findManagedSubUser } from './find-managed-sub-user.ts';

type TOptions = { db: TDb; principal: TPrincipal; userId: string; input: TUserPermissions };

/**
 * Replace a sub-user's rights at once. Every later request re-reads them, so a right taken away stops
 * working on the sub-user's very next call (API keys and sessions alike).
 */
export const setUserPermissions = async ({ db, principal, userId, input }: TOptions): Promise<TUserPermissions> => {
  requireScope(principal, 'account:write');
  // Server rights are server powers: only a credential that has them may hand them out.
  if (input.servers.length || input.tenant.includes('servers:create')) requireScope(principal, 'servers:write');
  if (input.tenant.includes('billing')) requireScope(principal, 'billing:read');
  return db.$transaction(async (tx) => {
    const user = await findManagedSubUser(tx, principal, userId);
    const ids = [...new Set(input.servers.map((s) => s.serverId))];
    if (ids.length !== input.servers.length) throw new AppError('validation_failed', 'A server is listed twice.', { fieldErrors: [{ path: 'servers', message: 'duplicate serverId' }] });
    const own = await tx.server.findMany({ where: { id: { in: ids }, tenantId: user.tenantId, status: { not: 'deleted' } }, select: { id: true } });
    const missing = ids.filter((id) => !own.some((s) => s.id === id));
    if (missing.length) {
      throw new AppError('validation_failed', 'Rights can only be given on the tenant\'s own servers.', {
        fieldErrors: missing.map((id) => ({ path: 'servers', message: `not a server of this tenant: ${id}` })),
      });
    }
    await tx.user.update({ where: { id: user.id }, data: { permissions: [...new Set(input.tenant)] } });
    await tx.serverPermission.deleteMany({ where: { userId: user.id } });
    await tx.serverPermission.createMany({ data: input.servers.map((s) => ({ userId: user.id, serverId: s.serverId, permissions: [...new Set(s.permissions)] })) });
    // Open consoles whose right went close now; those still allowed stay.
    await notifyAccessRevoked(tx, { userId: user.id, keep: input.servers.filter((x) => x.permissions.includes('console')).map((x) => x.serverId) });
    await recordAudit({ tx, principal, action: 'user.permissions', targetType: 'user', targetId: user.id, tenantId: user.tenantId, data: input as unknown as Record<string, unknown> });
    return input;
  }, TX_OPTIONS);
};
