import { RETRYABLE_OPERATIONS, type TOperationType } from '@berth/contracts';
import type { ServerStatus, TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';
import { getServer } from '../servers/get-server.ts';
import { toOperationDto } from '../servers/to-dto.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { getOperation } from './get-operation.ts';
import { startOperation } from './start-operation.ts';

type TOptions = { db: TDb; principal: TPrincipal; operationId: string };

// A failed operation leaves its server in error (create, destroy, reinstall) or as the agent saw it.
const FROM: readonly ServerStatus[] = ['error', 'running', 'stopped'];

/**
 * Queue a failed operation again, as a new operation of the same type and input (admins, from the
 * operations page). The agent's steps converge, so a retry finishes what the failed attempt started.
 */
export const retryOperation = async ({ db, principal, operationId }: TOptions) => {
  requireScope(principal, 'admin:*');
  const failed = await getOperation({ db, principal, operationId });
  if (failed.status !== 'failed') throw new AppError('invalid_state', `Operation ${operationId} is ${failed.status}; only a failed one is retried.`);
  if (!(RETRYABLE_OPERATIONS as readonly string[]).includes(failed.type) || !failed.serverId) {
    throw new AppError('invalid_state', `A failed ${failed.type} is not retried: ask for it again (it reserves capacity).`);
  }
  await getServer({ db, principal, serverId: failed.serverId });
  const row = await db.operation.findUniqueOrThrow({ where: { id: operationId } });
  const op = await db.$transaction((tx) => startOperation({
    tx, principal, serverId: failed.serverId!, type: failed.type as TOperationType,
    allowedFrom: failed.type === 'destroy' ? [...FROM, 'deleting'] : FROM,
    nextStatus: failed.type === 'destroy' ? 'deleting' : failed.type === 'create' ? 'provisioning' : undefined,
    params: (row.params ?? undefined) as Record<string, string> | undefined,
  }), TX_OPTIONS);
  return { operation: toOperationDto(op) };
};
