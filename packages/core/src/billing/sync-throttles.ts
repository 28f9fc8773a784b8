import { Prisma, type TDb } from '@berth/db';
import { AppError } from '../errors/app-error.ts';
import { startOperation } from '../operations/start-operation.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { monthStart } from './clock.ts';

type TOptions = { db: TDb; now: Date; batchSize?: number };

/**
 * Throttle plans: send the link cap to the agent (a network operation, whose job carries the cap) for
 * servers whose transfer allowance ran out this month, and lift it for those capped in a month that has
 * ended. A server busy with another operation is tried again next tick; one that is not running gets the
 * right cap at its next start anyway (every start's job carries it).
 */
export const syncThrottles = async ({ db, now, batchSize = 100 }: TOptions) => {
  const month = monthStart(now);
  const done = { capped: 0, released: 0 };
  const queue = async (serverId: string) => db.$transaction(async (tx) => {
    try {
      await startOperation({ tx, principal: null, serverId, type: 'network', allowedFrom: ['running', 'stopped'], params: { reason: 'transfer' } });
      return true;
    } catch (err) {
      if (err instanceof AppError && err.code === 'invalid_state') return true; // nothing to send now: the next start carries it
      if (err instanceof AppError && (err.code === 'operation_in_progress' || err.code === 'not_found')) return err.code === 'not_found';
      throw err;
    }
  }, TX_OPTIONS);

  // Servers busy with another operation are left out of the batch (not re-read forever ahead of others).
  const idle = Prisma.sql`NOT EXISTS (SELECT 1 FROM operations o WHERE o.server_id = tu.server_id AND o.status IN ('queued', 'running'))`;
  const toCap = await db.$queryRaw<{ serverId: string }[]>`
    SELECT tu.server_id AS "serverId" FROM transfer_usage tu
    WHERE tu.month = ${month} AND tu.throttled_at IS NOT NULL AND tu.cap_queued_at IS NULL AND ${idle} LIMIT ${batchSize}`;
  for (const { serverId } of toCap) {
    if (!(await queue(serverId))) continue;
    await db.transferUsage.update({ where: { serverId_month: { serverId, month } }, data: { capQueuedAt: now } });
    done.capped++;
  }
  const toRelease = await db.$queryRaw<{ serverId: string; month: Date }[]>`
    SELECT tu.server_id AS "serverId", tu.month FROM transfer_usage tu
    WHERE tu.month < ${month} AND tu.throttled_at IS NOT NULL AND tu.released_at IS NULL AND ${idle} LIMIT ${batchSize}`;
  for (const r of toRelease) {
    if (!(await queue(r.serverId))) continue;
    await db.transferUsage.update({ where: { serverId_month: { serverId: r.serverId, month: r.month } }, data: { releasedAt: now } });
    done.released++;
  }
  return done;
};
