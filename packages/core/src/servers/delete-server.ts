import type { TDb } from '@berth/db';
import { requireServerPermission } from '../auth/require-server-permission.ts';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { startOperation } from '../operations/start-operation.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { getServer } from './get-server.ts';
import { toOperationDto } from './to-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverId: string };

/** Mark the server deleting and queue its destruction; the IP and uid range are freed when the agent confirms. */
export const deleteServer = async ({ db, principal, serverId }: TOptions) => {
  requireScope(principal, 'servers:write');
  await getServer({ db, principal, serverId });
  await requireServerPermission({ db, principal, serverId, permission: 'delete' });
  const op = await db.$transaction(
    (tx) => startOperation({
      tx, principal, serverId, type: 'destroy',
      allowedFrom: ['provisioning', 'running', 'stopped', 'suspended', 'error'],
      nextStatus: 'deleting',
    }),
    TX_OPTIONS,
  );
  return { operation: toOperationDto(op) };
};
