import { newId, SERVER_PERMISSIONS, type TCreateServerRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { requireScope } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';
import { reserveHost } from '../placement/reserve-host.ts';
import { allocateIp } from '../ipam/allocate-ip.ts';
import { allocateUidRange } from '../ipam/allocate-uid-range.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { enforceTenantQuota } from '../tenancy/enforce-tenant-quota.ts';
import { managedTenants } from '../tenancy/tenant-access.ts';
import { catalogWhere } from '../catalog/catalog-where.ts';
import { resolveSshKeys } from '../account/resolve-ssh-keys.ts';
import { notFound } from '../errors/not-found.ts';
import { emitEvent } from '../webhooks/emit-event.ts';
import { sha512Crypt } from './sha512-crypt.ts';
import { randomMac } from './random-mac.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { SERVER_INCLUDE, toOperationDto, toServerDto } from './to-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; input: TCreateServerRequest };

/**
 * Place, allocate and record a new server and its create operation in one transaction. The operation row
 * is the outbox entry: the worker sends it to the host's queue, so nothing is lost if Redis is down.
 */
export const createServer = async ({ db, principal, input }: TOptions) => {
  requireScope(principal, 'servers:write');
  if (principal.subUser && !principal.tenantPermissions?.includes('servers:create')) {
    throw new AppError('forbidden', 'This sub-user may not order servers (tenant permission servers:create).');
  }

  const tenantId = input.tenantId ?? principal.tenantId;
  if (tenantId !== principal.tenantId) {
    const managed = managedTenants(principal);
    if (!managed || !(await db.tenant.findFirst({ where: { AND: [{ id: tenantId }, managed] } }))) throw notFound('tenant', tenantId);
  }
  // The plan and template must be on sale to the tenant the server is for (public or its reseller's).
  const sold = await catalogWhere(db, tenantId);
  const [plan, template] = await Promise.all([
    db.plan.findFirst({ where: { AND: [{ id: input.planId, active: true }, sold] } }),
    db.template.findFirst({ where: { AND: [{ id: input.templateId, active: true }, sold] } }),
  ]);
  const fieldErrors = [
    ...(plan ? [] : [{ path: 'planId', message: `unknown plan ${input.planId}` }]),
    ...(template ? [] : [{ path: 'templateId', message: `unknown template ${input.templateId}` }]),
  ];
  if (!plan || !template) throw new AppError('validation_failed', 'The plan or template does not exist.', { fieldErrors });


  const sshKeys = await resolveSshKeys({ db, principal, sshKeys: input.sshKeys, sshKeyIds: input.sshKeyIds });
  // Hash outside the transaction: it is CPU work and the plain password never leaves the panel.
  const rootPasswordHash = input.rootPassword ? sha512Crypt(input.rootPassword) : null;
  const serverId = newId('server');

  const { server, operation } = await db.$transaction(async (tx) => {
    const { cpuCores, memoryMb, diskGb } = plan;
    await enforceTenantQuota({ tx, tenantId, add: { servers: 1, cpuCores, memoryMb, diskGb, ips: 1 } });
    const hostId = await reserveHost({ tx, cpuCores: plan.cpuCores, memoryMb: plan.memoryMb, diskGb: plan.diskGb });
    const createdAt = new Date();
    await tx.server.create({
      data: {
        id: serverId, tenantId, hostname: input.hostname, status: 'provisioning', createdAt, billedThrough: createdAt,
        planId: plan.id, templateId: template.id, hostId, mac: randomMac(), sshKeys: sshKeys ?? [], rootPasswordHash,
      },
    });
    await tx.serverPlanChange.create({ data: { id: newId('planChange'), serverId, planId: plan.id, at: createdAt } });
    // A sub-user who orders a server gets every right on it (else it would vanish from their view).
    if (principal.subUser) await tx.serverPermission.create({ data: { userId: principal.userId, serverId, permissions: [...SERVER_PERMISSIONS] } });
    await allocateIp({ tx, hostId, serverId });
    await allocateUidRange({ tx, hostId, serverId });
    const operation = await tx.operation.create({
      data: { id: newId('operation'), type: 'create', serverId, hostId, userId: principal.userId },
    });
    await recordAudit({ tx, principal, action: 'server.create', targetType: 'server', targetId: serverId, tenantId, data: { planId: plan.id, templateId: template.id, hostId } });
    const server = await tx.server.findUniqueOrThrow({ where: { id: serverId }, include: SERVER_INCLUDE });
    await emitEvent({ tx, tenantId, type: 'server.ordered', data: { server: toServerDto(server), operationId: operation.id } });
    return { server, operation };
  }, TX_OPTIONS);
  return { server: toServerDto(server), operation: toOperationDto(operation) };
};
