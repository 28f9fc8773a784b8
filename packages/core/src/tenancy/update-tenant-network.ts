import type { TUpdateTenantRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireNotSubUser, requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { startOperation } from '../operations/start-operation.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { toOperationDto } from '../servers/to-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; input: TUpdateTenantRequest };

/**
 * Opt the caller's tenant in or out of private networking: its VPSes on one host may then reach each
 * other (never another tenant's). Every live VPS of the tenant gets a `network` operation so the agent
 * re-applies its filter now, without a reboot; a VPS busy with another operation makes the change 409.
 */
export const updateTenantNetwork = async ({ db, principal, input }: TOptions) => {
  requireScope(principal, 'servers:write');
  requireNotSubUser(principal, 'change the tenant\'s network');
  return db.$transaction(async (tx) => {
    const tenant = await tx.tenant.update({ where: { id: principal.tenantId }, data: { privateNetwork: input.privateNetwork } });
    const servers = await tx.server.findMany({
      where: { tenantId: tenant.id, status: { notIn: ['deleting', 'deleted'] } },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    const operations = [];
    for (const { id } of servers) {
      operations.push(await startOperation({ tx, principal, serverId: id, type: 'network', allowedFrom: ['running', 'stopped', 'error'] }));
    }
    await recordAudit({ tx, principal, action: 'tenant.network', targetType: 'tenant', targetId: tenant.id, data: { privateNetwork: input.privateNetwork } });
    return { tenant: { id: tenant.id, privateNetwork: tenant.privateNetwork }, operations: operations.map(toOperationDto) };
  }, TX_OPTIONS);
};
