import { InvalidSpecError } from '../driver/driver.ts';
import type { THandler } from './types.ts';

/** snapshot.delete@1: the VPS is not touched. */
export const handleSnapshotDelete: THandler = async ({ driver, spec, snapshot, progress }) => {
  if (!snapshot) throw new InvalidSpecError('snapshot.delete@1 without a snapshot');
  await progress('deleting the snapshot', 50);
  await driver.deleteSnapshot(spec.serverId, snapshot.snapshotId);
  return driver.state(spec.serverId);
};
