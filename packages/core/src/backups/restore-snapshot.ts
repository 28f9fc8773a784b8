import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';
import { startOperation } from '../operations/start-operation.ts';
import { toOperationDto } from '../servers/to-dto.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { findSnapshot } from './find-snapshot.ts';

type TOptions = { db: TDb; principal: TPrincipal; snapshotId: string };

/** Roll the server back to a snapshot: stopped, its disk put back, started. Everything written since is lost. */
export const restoreSnapshot = async ({ db, principal, snapshotId }: TOptions) => {
  const { snapshot, server } = await findSnapshot({ db, principal, snapshotId, permission: 'reinstall' });
  if (snapshot.status !== 'ready') throw new AppError('invalid_state', `Snapshot ${snapshotId} is ${snapshot.status}, not ready.`);
  if (snapshot.hostId !== server.hostId) throw new AppError('invalid_state', 'This snapshot was taken on the host the server has since left; snapshots stay on their host (restore a backup instead).');
  const op = await db.$transaction((tx) => startOperation({
    tx, principal, serverId: server.id, type: 'snapshot_restore', allowedFrom: ['running', 'stopped', 'error'], params: { snapshotId },
  }), TX_OPTIONS);
  return { operation: toOperationDto(op) };
};
