import { InvalidSpecError } from '../driver/driver.ts';
import type { THandler } from './types.ts';

/** snapshot.restore@1: stop, put the disk back as it was at the snapshot, boot; succeeds once ready. */
export const handleSnapshotRestore: THandler = async ({ driver, spec, snapshot, progress }) => {
  if (!snapshot) throw new InvalidSpecError('snapshot.restore@1 without a snapshot');
  await progress('stopping and rolling the disk back', 20);
  await driver.restoreSnapshot(spec, snapshot.snapshotId);
  await progress('booting', 60);
  await driver.start(spec);
  await progress('ready', 100);
  return 'running';
};
