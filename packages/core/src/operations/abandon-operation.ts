import type { TServerState } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { applyFinished } from './apply-finished.ts';

type TOptions = { db: TDb; operationId: string; error: string };

/**
 * Fail an unfinished operation on the panel's side (cancelled, or its agent went silent), through the
 * agent's own path (reservations of a resize or a migration are given back, webhooks sent). Nothing is
 * known of the host, so the server keeps its last known power state (running/stopped) rather than a
 * guess; a create, destroy or reinstall that may have half-happened leaves it in error for an admin. A
 * report the agent sends later is recorded as an audit event (operation.late_result), not applied.
 * Returns false when the operation had already finished.
 */
export const abandonOperation = async ({ db, operationId, error }: TOptions): Promise<boolean> => {
  const op = await db.operation.findUnique({ where: { id: operationId }, include: { server: { select: { status: true } } } });
  if (!op || op.status === 'succeeded' || op.status === 'failed' || !op.serverId) return false;
  const last = op.server?.status;
  // A migration with state null leaves the server where it was and releases the target's reservation.
  const state: TServerState | null = op.type === 'migrate' ? null : last === 'running' ? 'running' : last === 'stopped' ? 'stopped' : null;
  await applyFinished({
    db, abandoned: true,
    event: { operationId, serverId: op.serverId, hostId: op.hostId, outcome: 'failed', state, error, attempt: Math.max(1, op.attempts) },
  });
  const after = await db.operation.findUniqueOrThrow({ where: { id: operationId }, select: { abandonedAt: true } });
  return after.abandonedAt !== null;
};
