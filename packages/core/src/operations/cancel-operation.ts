import type { TDb } from '@berth/db';
import type { THostJobs } from '@berth/jobs';
import { recordAudit } from '../audit/record-audit.ts';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';
import { notFound } from '../errors/not-found.ts';
import { toOperationDto } from '../servers/to-dto.ts';
import { abandonOperation } from './abandon-operation.ts';

type TOptions = { db: TDb; principal: TPrincipal; operationId: string; jobs: Pick<THostJobs, 'remove'> };

/**
 * An admin takes back an operation that has not started: not yet sent, or waiting on its host's queue
 * (its job is removed there first). One an agent already holds is refused: it is running, and failing it
 * here would not stop it.
 */
export const cancelOperation = async ({ db, principal, operationId, jobs }: TOptions) => {
  requireScope(principal, 'admin:*');
  const op = await db.operation.findUnique({ where: { id: operationId } });
  if (!op) throw notFound('operation', operationId);
  if (op.status !== 'queued') throw new AppError('invalid_state', `Operation ${operationId} is ${op.status}; only a queued one can be cancelled.`);
  if (op.dispatchedAt && (await jobs.remove(op.hostId, op.id)) === 'locked') {
    throw new AppError('invalid_state', `Operation ${operationId} has just started on its host; it can no longer be cancelled.`);
  }
  const admin = await db.user.findUnique({ where: { id: principal.userId }, select: { email: true } });
  if (!(await abandonOperation({ db, operationId, error: `cancelled by ${admin?.email ?? principal.userId}` }))) {
    throw new AppError('invalid_state', `Operation ${operationId} finished meanwhile; nothing was cancelled.`);
  }
  await db.$transaction((tx) => recordAudit({ tx, principal, action: 'operation.cancel', targetType: 'operation', targetId: operationId, data: { serverId: op.serverId, type: op.type } }));
  return { operation: toOperationDto(await db.operation.findUniqueOrThrow({ where: { id: operationId } })) };
};
