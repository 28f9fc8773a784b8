import { InvalidSpecError } from '../driver/driver.ts';
import { BackupCorruptError, BackupMissingError, openBackupStore, targetInside } from '../backups/store.ts';
import { readManifest } from '../backups/restore-backup.ts';
import { writeBackup } from '../backups/write-backup.ts';
import { byteProgress } from './byte-progress.ts';
import type { THandler } from './types.ts';

/**
 * server.backup@1: freeze the VPS for a reflink (milliseconds), then read that stable copy at leisure while the
 * VPS runs on: compressed, checksummed chunks to the target; an incremental stores only the chunks that differ
 * from its parent. A parent that is gone or fails its checksum makes this a full backup (reported as such).
 */
export const handleBackup: THandler = async ({ driver, spec, backup, progress }) => {
  if (!backup) throw new InvalidSpecError('server.backup@1 without a backup');
  const inside = await targetInside(backup.target, driver.storageRoots());
  if (inside) throw new InvalidSpecError(`backup target ${backup.target.path} is inside this host's VPS storage (${inside}): it would be lost with the disks it backs up`);
  const store = openBackupStore(backup.target);
  const work = `backup-${backup.backupId}`;
  await progress('freezing for a consistent copy', 5);
  const image = await driver.frozenCopy(spec, work);
  try {
    let parent = null;
    if (backup.kind === 'incremental' && backup.parent) {
      parent = await readManifest({ store, ...backup.parent, sha256: backup.parent.manifestSha256 }).catch((e: unknown) => {
        if (e instanceof BackupCorruptError || e instanceof BackupMissingError) {
          console.warn(`backup ${backup.backupId}: parent ${backup.parent?.backupId} unusable (${e.message}); writing a full backup`);
          return null;
        }
        throw e;
      });
    }
    const out = await writeBackup({
      store, image, serverId: spec.serverId, backupId: backup.backupId, parent,
      onProgress: byteProgress(progress, 'copying the disk', { from: 5, span: 90 }),
    });
    await progress('backup written', 100);
    return {
      state: await driver.state(spec.serverId),
      result: {
        kind: parent ? 'incremental' : 'full',
        manifestSha256: out.manifestSha256,
        diskBytes: out.manifest.size,
        dataBytes: out.dataBytes,
        storedBytes: out.storedBytes,
        newChunks: out.newChunks,
        totalChunks: out.totalChunks,
      },
    };
  } finally {
    await driver.dropWorkImage(spec.serverId, work);
  }
};
