import { newId, type TOperationType } from '@berth/contracts';
import type { ServerStatus, TTx } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';

const IN_RESCUE = new Set<TOperationType>(['start', 'stop', 'restart', 'destroy', 'network', 'unrescue', 'backup_verify']);

type TOptions = {
  tx: TTx;
  /** null: the platform itself (e.g. restoring power state after a host reboot). */
  principal: TPrincipal | null;
  serverId: string;
  type: TOperationType;
  allowedFrom: readonly ServerStatus[];
  nextStatus?: ServerStatus;
  /** Type-specific input stored on the operation (e.g. the target plan of a resize). */
  params?: Record<string, string>;
};

/**
 * Queue an operation on a server that the caller has already found visible. The server row lock makes
 * "at most one queued or running operation per server" hold under concurrent requests.
 */
export const startOperation = async ({ tx, principal, serverId, type, allowedFrom, nextStatus, params }: TOptions) => {
  const [locked] = await tx.$queryRaw<{ status: ServerStatus; host_id: string; tenant_id: string; rescue_at: Date | null }[]>`
    SELECT status, host_id, tenant_id, rescue_at FROM servers WHERE id = ${serverId} FOR UPDATE`;
  if (!locked) throw new AppError('not_found', `server ${serverId} was not found.`);
  const active = await tx.operation.findFirst({ where: { serverId, status: { in: ['queued', 'running'] } } });
  if (active) {
    throw new AppError('operation_in_progress', `Operation ${active.id} (${active.type}) is still ${active.status} on this server; retry when it has finished.`);
  }
  // A tenant suspended for non-payment may delete, but not run, change or reinstall servers; the platform
  // (principal null: dunning itself) may.
  if (principal && type !== 'destroy') {
    const tenant = await tx.tenant.findUnique({ where: { id: locked.tenant_id }, select: { suspendedAt: true } });
    if (tenant?.suspendedAt) throw new AppError('invalid_state', 'This account is suspended for non-payment; its servers come back once it is paid.');
  }
  // In rescue the disk is the rescue system's patient: nothing may replace, copy or move it meanwhile
  // (a verify reads only the backup target).
  if (locked.rescue_at && !IN_RESCUE.has(type)) {
    throw new AppError('invalid_state', `The server is in rescue mode: leave it before you ${type.replace('_', ' ')}.`);
  }
  if (!allowedFrom.includes(locked.status)) {
    throw new AppError('invalid_state', `Cannot ${type} a server that is ${locked.status}.`);
  }
  if (nextStatus) await tx.server.update({ where: { id: serverId }, data: { status: nextStatus } });
  const op = await tx.operation.create({
    data: { id: newId('operation'), type, serverId, hostId: locked.host_id, userId: principal?.userId ?? null, params },
  });
  await recordAudit({ tx, principal, action: `server.${type}`, targetType: 'server', targetId: serverId, tenantId: locked.tenant_id, data: { operationId: op.id, ...params } });
  return op;
};
