import type { TRescueRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';
import { startOperation } from '../operations/start-operation.ts';
import { toOperationDto } from '../servers/to-dto.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { findVisibleServer } from './find-visible-server.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverId: string; input: TRescueRequest };

/**
 * Boot the server into the rescue system (its own disk at /mnt; log in with its SSH keys or root password, or
 * the web console), or back into its own system. While in rescue only power, console and leaving it are allowed.
 */
export const rescueServer = async ({ db, principal, serverId, input }: TOptions) => {
  const server = await findVisibleServer({ db, principal, serverId, scope: 'servers:write', permission: 'reinstall' });
  if (input.enabled && server.rescueAt) throw new AppError('invalid_state', 'The server is in rescue mode already.');
  const op = await db.$transaction((tx) => startOperation({
    tx, principal, serverId, type: input.enabled ? 'rescue' : 'unrescue', allowedFrom: ['running', 'stopped', 'error'],
  }), TX_OPTIONS);
  return { operation: toOperationDto(op) };
};
