import type { TCreateBackupRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { toOperationDto } from '../servers/to-dto.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { findVisibleServer } from './find-visible-server.ts';
import { queueBackup } from './queue-backup.ts';
import { toBackupDto } from './to-backup-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverId: string; input: TCreateBackupRequest };

/** Back the server up now (kept until deleted, within the plan's number of manual backups). */
export const createBackup = async ({ db, principal, serverId, input }: TOptions) => {
  const server = await findVisibleServer({ db, principal, serverId, scope: 'servers:write', permission: 'backup' });
  const { backup, operation } = await db.$transaction((tx) => queueBackup({ tx, principal, server, kind: input.kind, trigger: 'manual' }), TX_OPTIONS);
  return { backup: toBackupDto(backup), operation: toOperationDto(operation) };
};
