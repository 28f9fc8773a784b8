import { newId, type TCreateSnapshotRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';
import { startOperation } from '../operations/start-operation.ts';
import { toOperationDto } from '../servers/to-dto.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { findVisibleServer } from './find-visible-server.ts';
import { toSnapshotDto } from './to-backup-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverId: string; input: TCreateSnapshotRequest };

/** Queue a snapshot of a running or stopped server, within its plan's number of snapshots. */
export const createSnapshot = async ({ db, principal, serverId, input }: TOptions) => {
  const server = await findVisibleServer({ db, principal, serverId, scope: 'servers:write', permission: 'backup' });
  return db.$transaction(async (tx) => {
    const snapshotId = newId('snapshot');
    // startOperation locks the server row first: concurrent requests count one at a time.
    const op = await startOperation({ tx, principal, serverId, type: 'snapshot', allowedFrom: ['running', 'stopped'], params: { snapshotId, name: input.name } });
    const held = await tx.snapshot.count({ where: { serverId, status: { in: ['creating', 'ready', 'deleting'] } } });
    if (held >= server.plan.maxSnapshots) {
      throw new AppError('quota_exceeded', `This server's plan allows ${server.plan.maxSnapshots} snapshots; delete one first.`);
    }
    const snapshot = await tx.snapshot.create({ data: { id: snapshotId, serverId, hostId: server.hostId, name: input.name } });
    return { snapshot: toSnapshotDto(snapshot), operation: toOperationDto(op) };
  }, TX_OPTIONS);
};
