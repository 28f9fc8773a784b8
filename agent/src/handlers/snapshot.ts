import { InvalidSpecError } from '../driver/driver.ts';
import type { THandler } from './types.ts';

/** server.snapshot@1: a crash-consistent copy-on-write point of the disk (the VPS frozen for milliseconds). */
export const handleSnapshot: THandler = async ({ driver, spec, snapshot, progress }) => {
  if (!snapshot) throw new InvalidSpecError('server.snapshot@1 without a snapshot');
  await progress('freezing and taking the snapshot', 30);
  const { sizeBytes } = await driver.snapshot(spec, snapshot.snapshotId);
  await progress('snapshot taken', 100);
  return { state: await driver.state(spec.serverId), result: { sizeBytes } };
};
