import type { TTx } from '@berth/db';
import { AppError } from '../errors/app-error.ts';
import { startOperation } from '../operations/start-operation.ts';

type TOptions = { tx: TTx; tenantId: string; limit?: number };

/** The operation could not be queued now (another is active, or the status does not allow it): try next tick. */
export const isBusy = (err: unknown) => err instanceof AppError && (err.code === 'operation_in_progress' || err.code === 'invalid_state');

/**
 * Dunning: stop every server of a suspended tenant that is not suspended yet (the stop, marked `suspend`,
 * ends in status suspended), remembering whether it ran. A server busy with another operation is left
 * for the next tick. Returns how many were queued.
 */
export const suspendServers = async ({ tx, tenantId, limit = 100 }: TOptions): Promise<number> => {
  const servers = await tx.server.findMany({
    where: { tenantId, status: { in: ['running', 'stopped', 'error'] }, operations: { none: { status: { in: ['queued', 'running'] } } } },
    select: { id: true, status: true }, take: limit,
  });
  let n = 0;
  for (const s of servers) {
    try {
      await startOperation({ tx, principal: null, serverId: s.id, type: 'stop', allowedFrom: ['running', 'stopped', 'error'], params: { suspend: 'true' } });
      // Kept from the first attempt: a retried suspension must not forget that the server ran.
      await tx.server.updateMany({ where: { id: s.id, resumeStatus: null }, data: { resumeStatus: s.status === 'running' ? 'running' : 'stopped' } });
      n++;
    } catch (err) {
      if (!isBusy(err)) throw err;
    }
  }
  return n;
};

/** Payment received: start the tenant's suspended servers that were running, and mark the others stopped. */
export const resumeServers = async ({ tx, tenantId, limit = 100 }: TOptions): Promise<number> => {
  const servers = await tx.server.findMany({
    where: { tenantId, status: 'suspended', operations: { none: { status: { in: ['queued', 'running'] } } } },
    select: { id: true, resumeStatus: true }, take: limit,
  });
  let n = 0;
  for (const s of servers) {
    if (s.resumeStatus === 'running') {
      try {
        await startOperation({ tx, principal: null, serverId: s.id, type: 'start', allowedFrom: ['suspended'], params: { unsuspend: 'true' } });
      } catch (err) {
        if (!isBusy(err)) throw err;
        continue;
      }
    } else {
      // Only if still suspended: a delete may have moved it on meanwhile.
      await tx.server.updateMany({ where: { id: s.id, status: 'suspended' }, data: { status: 'stopped' } });
    }
    await tx.server.update({ where: { id: s.id }, data: { resumeStatus: null } });
    n++;
  }
  return n;
};
