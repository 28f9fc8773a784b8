import type { TMigrateServerRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { getServer } from '../servers/get-server.ts';
import { toOperationDto } from '../servers/to-dto.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { queueMigration } from './queue-migration.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverId: string; input: TMigrateServerRequest };

/** POST /servers/{id}/migrate (admins): move a server to another host, keeping its IPv4, SSH host keys and data. */
export const migrateServer = async ({ db, principal, serverId, input }: TOptions) => {
  requireScope(principal, 'admin:*');
  await getServer({ db, principal, serverId });
  const op = await db.$transaction((tx) => queueMigration({ tx, principal, serverId, hostId: input.hostId }), TX_OPTIONS);
  return { operation: toOperationDto(op) };
};
