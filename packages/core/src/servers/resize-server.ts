import type { TResizeServerRequest } from '@berth/contracts';
import { requireServerPermission } from '../auth/require-server-permission.ts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';
import { startOperation } from '../operations/start-operation.ts';
import { planDelta } from '../placement/plan-delta.ts';
import { reserveOnHost } from '../placement/reserve-on-host.ts';
import { catalogWhere } from '../catalog/catalog-where.ts';
import { enforceTenantQuota } from '../tenancy/enforce-tenant-quota.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { getServer } from './get-server.ts';
import { toOperationDto } from './to-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverId: string; input: TResizeServerRequest };

const invalidPlan = (message: string) =>
  new AppError('validation_failed', message, { fieldErrors: [{ path: 'planId', message }] });

/**
 * Queue a move to another plan. The growth is reserved on the host now (so it cannot be oversold); the
 * server keeps its plan until the agent confirms, and a failure gives the reservation back. A disk grows live
 * but ext4 shrinks only unmounted, so a smaller disk needs a stopped server; the agent refuses a shrink below
 * the data the disk holds (the operation fails with `disk_in_use` and nothing changes).
 */
export const resizeServer = async ({ db, principal, serverId, input }: TOptions) => {
  requireScope(principal, 'servers:write');
  const { tenantId } = await getServer({ db, principal, serverId });
  await requireServerPermission({ db, principal, serverId, permission: 'resize' });
  const target = await db.plan.findFirst({ where: { AND: [{ id: input.planId, active: true }, await catalogWhere(db, tenantId)] } });
  if (!target) throw invalidPlan(`unknown plan ${input.planId}`);
  const op = await db.$transaction(async (tx) => {
    // Tenant before server: the lock order every verb follows (tenant, server, host).
    const { cpuCores, memoryMb, diskGb } = target;
    const from = await tx.plan.findFirstOrThrow({ where: { servers: { some: { id: serverId } } } });
    // Only growth is judged: a tenant over quota (lowered since) may still move to a smaller plan.
    if (cpuCores > from.cpuCores || memoryMb > from.memoryMb || diskGb > from.diskGb) {
      await enforceTenantQuota({ tx, tenantId, replacingServerId: serverId, add: { servers: 1, cpuCores, memoryMb, diskGb, ips: 1 } });
    }
    const op = await startOperation({
      tx, principal, serverId, type: 'resize', allowedFrom: ['running', 'stopped'], params: { planId: target.id },
    });
    const current = await tx.server.findUniqueOrThrow({ where: { id: serverId }, include: { plan: true } });
    if (current.planId === target.id) throw new AppError('invalid_state', `The server is already on plan ${target.name}.`);
    if (target.diskGb < current.plan.diskGb && current.status !== 'stopped') {
      throw new AppError('invalid_state', `Plan ${target.name} has a smaller disk (${target.diskGb} GB < ${current.plan.diskGb} GB): a disk shrinks only while its server is stopped. Stop it, then resize.`);
    }
    await reserveOnHost({ tx, hostId: current.hostId, ...planDelta(current.plan, target).grow });
    return op;
  }, TX_OPTIONS);
  return { operation: toOperationDto(op) };
};
