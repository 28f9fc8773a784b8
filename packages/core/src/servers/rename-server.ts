import type { TUpdateServerRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { requireServerPermission } from '../auth/require-server-permission.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { getServer } from './get-server.ts';
import { SERVER_INCLUDE, toServerDto } from './to-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverId: string; input: TUpdateServerRequest };

/**
 * Rename a server: the panel's name at once, the container's UTS name from its next start. The system's
 * own /etc/hostname inside belongs to the customer and is left alone.
 */
export const renameServer = async ({ db, principal, serverId, input }: TOptions) => {
  requireScope(principal, 'servers:write');
  const before = await getServer({ db, principal, serverId });
  await requireServerPermission({ db, principal, serverId, permission: 'rename' });
  return db.$transaction(async (tx) => {
    const row = await tx.server.update({ where: { id: serverId }, data: { hostname: input.hostname }, include: SERVER_INCLUDE });
    await recordAudit({ tx, principal, action: 'server.rename', targetType: 'server', targetId: serverId, tenantId: row.tenantId, data: { from: before.hostname, to: input.hostname } });
    return toServerDto(row);
  }, TX_OPTIONS);
};
