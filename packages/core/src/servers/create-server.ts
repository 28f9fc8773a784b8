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
import { resolveSshKeys } from '../account/resolve-ssh-keys.ts';
import { emitEvent } from '../webhooks/emit-event.ts';
import { sha512Crypt } from './sha512-crypt.ts';
import { randomMac } from './random-mac.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { requireFunds } from '../billing/require-funds.ts';
import { lockReadyBackup } from '../backups/lock-ready-backup.ts';
import { resolveOrder } from './resolve-order.ts';
import { SERVER_INCLUDE, toOperationDto, toServerDto } from './to-dto.ts';

/** `fromBackup`: the new server's disk is that backup's (restoreBackupToNewServer), on a host reaching its target. */
type TOptions = { db: TDb; principal: TPrincipal; input: TCreateServerRequest; fromBackup?: { backupId: string; targetId: string } };

/**
 * Place, allocate and record a new server and its create operation in one transaction. The operation row
 * is the outbox entry: the worker sends it to the host's queue, so nothing is lost if Redis is down.
 */
export const createServer = async ({ db, principal, input, fromBackup }: TOptions) => {
  requireScope(principal, 'servers:write');
  if (principal.subUser && !principal.tenantPermissions?.includes('servers:create')) {
    throw new AppError('forbidden', 'This sub-user may not order servers (tenant permission servers:create).');
  }

  if (input.hostId && principal.role !== 'admin') throw new AppError('forbidden', 'Only admins choose the host.');
  const { tenantId, plan, template } = await resolveOrder({ db, principal, input });

  const sshKeys = await resolveSshKeys({ db, principal, sshKeys: input.sshKeys, sshKeyIds: input.sshKeyIds });
  // Hash outside the transaction: it is CPU work and the plain password never leaves the panel.
  const rootPasswordHash = input.rootPassword ? sha512Crypt(input.rootPassword) : null;
  const serverId = newId('server');

  const { server, operation } = await db.$transaction(async (tx) => {
    const { cpuCores, memoryMb, diskGb } = plan;
    await enforceTenantQuota({ tx, tenantId, add: { servers: 1, cpuCores, memoryMb, diskGb, ips: 1 } });
    await requireFunds({ tx, tenantId, plan }); // the tenant row is locked: concurrent orders are judged one by one
    if (fromBackup) await lockReadyBackup({ tx, backupId: fromBackup.backupId });
    const hostId = await reserveHost({ tx, cpuCores: plan.cpuCores, memoryMb: plan.memoryMb, diskGb: plan.diskGb, hostId: input.hostId, backupTargetId: fromBackup?.targetId });
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
      data: { id: newId('operation'), type: 'create', serverId, hostId, userId: principal.userId, params: fromBackup ? { backupId: fromBackup.backupId } : undefined },
    });
    await recordAudit({ tx, principal, action: 'server.create', targetType: 'server', targetId: serverId, tenantId, data: { planId: plan.id, templateId: template.id, hostId, ...(fromBackup ? { fromBackupId: fromBackup.backupId } : {}) } });
    const server = await tx.server.findUniqueOrThrow({ where: { id: serverId }, include: SERVER_INCLUDE });
    await emitEvent({ tx, tenantId, type: 'server.ordered', data: { server: toServerDto(server), operationId: operation.id } });
    return { server, operation };
  }, TX_OPTIONS);
  return { server: toServerDto(server), operation: toOperationDto(operation) };
};
