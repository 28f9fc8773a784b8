import type { TEvacuateHostResponse, TOperation } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { notFound } from '../errors/not-found.ts';
import { toOperationDto } from '../servers/to-dto.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { queueMigration } from './queue-migration.ts';

type TOptions = { db: TDb; principal: TPrincipal; hostId: string };

/**
 * Empty a host for maintenance: drain it (nothing new lands on it) and queue a migration for each of its
 * servers to the other hosts with room on its pool, each in its own transaction so one that cannot move
 * (no room anywhere, an operation in progress) is reported and the rest still go. Migrations run one at a
 * few at a time per source host (its agent's concurrency), their progress on each operation; calling it again
 * queues what is left. Work is proportional to this host's servers only.
 */
export const evacuateHost = async ({ db, principal, hostId }: TOptions): Promise<TEvacuateHostResponse> => {
  requireScope(principal, 'admin:*');
  const host = await db.host.findUnique({ where: { id: hostId } });
  if (!host) throw notFound('host', hostId);
  if (host.status === 'offline') throw new AppError('invalid_state', `Host ${hostId} is offline: its agent must be running to send its servers' disks.`);
  await db.$transaction(async (tx) => {
    await tx.host.updateMany({ where: { id: hostId, status: 'online' }, data: { status: 'maintenance' } });
    await recordAudit({ tx, principal, action: 'host.evacuate', targetType: 'host', targetId: hostId });
  }, TX_OPTIONS);
  const servers = await db.server.findMany({
    where: { hostId, status: { in: ['running', 'stopped', 'suspended'] } },
    select: { id: true },
    orderBy: { createdAt: 'asc' },
  });
  const operations: TOperation[] = [];
  const unplaced: TEvacuateHostResponse['unplaced'] = [];
  for (const { id } of servers) {
    try {
      const op = await db.$transaction((tx) => queueMigration({ tx, principal, serverId: id, params: { evacuation: hostId } }), TX_OPTIONS);
      operations.push(toOperationDto(op));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      unplaced.push({ serverId: id, reason: e.message });
    }
  }
  return { operations, unplaced };
};
