import type { TPrincipal } from '../auth/principal.ts';
import type { TTx } from '@berth/db';
import { AppError } from '../errors/app-error.ts';
import { allocateUidRange } from '../ipam/allocate-uid-range.ts';
import { startOperation } from '../operations/start-operation.ts';
import { reserveHost } from '../placement/reserve-host.ts';

type TOptions = { tx: TTx; principal: TPrincipal | null; serverId: string; hostId?: string; params?: Record<string, string> };

/**
 * Queue a move of one server within a transaction: the target's capacity and an id range there are
 * reserved now (so placement never oversells it meanwhile), given back if the move fails, and the source's
 * released once it succeeds. Only hosts on the server's IPv4 pool qualify: the address moves with it.
 * `params`: what the operation records (e.g. the evacuation it belongs to).
 */
export const queueMigration = async ({ tx, principal, serverId, hostId, params }: TOptions) => {
  const op = await startOperation({ tx, principal, serverId, type: 'migrate', allowedFrom: ['running', 'stopped', 'suspended'], params });
  const s = await tx.server.findUniqueOrThrow({ where: { id: serverId }, include: { plan: true, host: true, ipAddress: true } });
  if (s.host.status === 'offline') throw new AppError('invalid_state', `The server's host ${s.hostId} is offline: its agent must be running to send the disk.`);
  if (hostId === s.hostId) throw new AppError('validation_failed', 'The server is already on that host.', { fieldErrors: [{ path: 'hostId', message: 'is the current host' }] });
  if (!s.ipAddress) throw new AppError('invalid_state', 'The server has no IPv4 address to keep.');
  const { cpuCores, memoryMb, diskGb } = s.plan;
  const target = await reserveHost({ tx, cpuCores, memoryMb, diskGb, hostId, keepPoolId: s.ipAddress.poolId, notHostId: s.hostId });
  await allocateUidRange({ tx, hostId: target, serverId });
  return tx.operation.update({ where: { id: op.id }, data: { targetHostId: target } });
};
