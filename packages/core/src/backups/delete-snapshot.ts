import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';
import { startOperation } from '../operations/start-operation.ts';
import { toOperationDto } from '../servers/to-dto.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { findSnapshot } from './find-snapshot.ts';

type TOptions = { db: TDb; principal: TPrincipal; snapshotId: string };

/** Delete a snapshot (its space on the host's pool is freed); the server is not touched. */
export const deleteSnapshot = async ({ db, principal, snapshotId }: TOptions) => {
  const { snapshot, server } = await findSnapshot({ db, principal, snapshotId, permission: 'backup' });
  if (!['ready', 'failed'].includes(snapshot.status)) throw new AppError('invalid_state', `Snapshot ${snapshotId} is ${snapshot.status}.`);
  const op = await db.$transaction(async (tx) => {
    // A deleted server, or one that moved hosts, has no disk of it left to touch: the row just goes.
    if (server.status === 'deleted' || snapshot.hostId !== server.hostId) {
      await tx.snapshot.update({ where: { id: snapshotId }, data: { status: 'deleted', deletedAt: new Date() } });
      return null;
    }
    const op = await startOperation({ tx, principal, serverId: server.id, type: 'snapshot_delete', allowedFrom: ['running', 'stopped', 'error', 'suspended'], params: { snapshotId } });
    await tx.snapshot.update({ where: { id: snapshotId }, data: { status: 'deleting' } });
    return op;
  }, TX_OPTIONS);
  return { operation: op ? toOperationDto(op) : null };
};
