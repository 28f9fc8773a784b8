import type { TServerAction } from '@berth/contracts';
import { requireServerPermission } from '../auth/require-server-permission.ts';
import type { ServerStatus, TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { startOperation } from '../operations/start-operation.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { AppError } from '../errors/app-error.ts';
import { getServer } from './get-server.ts';
import { toOperationDto } from './to-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverId: string; action: TServerAction };

// A failed server may be started or stopped to recover it.
const ALLOWED_FROM: Record<TServerAction['type'], readonly ServerStatus[]> = {
  start: ['stopped', 'error'],
  stop: ['running', 'error'],
  restart: ['running', 'error'],
};

/** Power actions: start, stop, restart. */
export const actOnServer = async ({ db, principal, serverId, action }: TOptions) => {
  requireScope(principal, 'servers:write');
  const server = await getServer({ db, principal, serverId }); // 404 for servers the caller cannot see
  if (server.status === 'suspended') {
    throw new AppError('invalid_state', 'This server is suspended for an unpaid balance; it comes back by itself once the account is paid.');
  }
  await requireServerPermission({ db, principal, serverId, permission: 'power' });
  const op = await db.$transaction(
    (tx) => startOperation({ tx, principal, serverId, type: action.type, allowedFrom: ALLOWED_FROM[action.type] }),
    TX_OPTIONS,
  );
  return { operation: toOperationDto(op) };
};
