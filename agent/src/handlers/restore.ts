import type { TServerSpec, TRestoreJobInfo } from '@berth/contracts';
import { InvalidSpecError, type ContainerDriver } from '../driver/driver.ts';
import { BackupCorruptError, BackupMissingError, openBackupStore } from '../backups/store.ts';
import { readManifest, restoreBackup } from '../backups/restore-backup.ts';
import { byteProgress } from './byte-progress.ts';
import type { THandler, THandlerInput } from './types.ts';

/**
 * A backup that is corrupt or missing will not get better on a retry: unrecoverable, with `what` said first.
 * `backup_corrupt(<id>): ` names the backup whose stored bytes failed their checksum: the panel takes it and
 * those built on it out of use (no restore, no incremental on it). Other errors pass through.
 */
export const unusableBackup = (e: unknown, what: string): unknown => {
  if (!(e instanceof BackupCorruptError || e instanceof BackupMissingError)) return e;
  const bad = e instanceof BackupCorruptError && e.backupId ? `backup_corrupt(${e.backupId}): ` : '';
  return new InvalidSpecError(`${bad}${what}: ${e.message}`);
};

/**
 * Rebuild the disk a backup holds into a scratch image on the pool and make it the VPS's disk. Every chunk is
 * checked against its sha256 before the VPS is touched: a corrupt or missing backup fails the job (not
 * retried) and leaves the VPS's disk as it was. `newIdentity`: the backup is of another server.
 */
export const restoreDisk = async (o: { driver: ContainerDriver; spec: TServerSpec; restore: TRestoreJobInfo; progress: THandlerInput['progress']; newIdentity: boolean }) => {
  const { driver, spec, restore } = o;
  const store = openBackupStore(restore.target);
  const work = `restore-${restore.backup.backupId}`;
  const file = driver.workImage(spec.serverId, work);
  try {
    await o.progress('reading the backup', 5);
    const manifest = await readManifest({ store, ...restore.backup, sha256: restore.backup.manifestSha256 });
    // The rebuilt disk holds the backup's data chunks, beside the current disk until it is swapped in.
    await driver.ensureRoom(manifest.chunks.length * manifest.chunkBytes, `restoring backup ${restore.backup.backupId}`);
    await restoreBackup({ store, manifest, out: file, onProgress: byteProgress(o.progress, 'restoring the disk', { from: 5, span: 60, note: ', checked' }) });
    await o.progress('putting the restored disk in place', 70);
    await driver.replaceDisk(spec, file, { newIdentity: o.newIdentity });
  } catch (e) {
    throw unusableBackup(e, `backup ${restore.backup.backupId} cannot be restored`);
  } finally {
    await driver.dropWorkImage(spec.serverId, work);
  }
};

/** server.restore@1: the server's disk replaced by a backup of it, then booted; succeeds once ready. */
export const handleRestore: THandler = async ({ driver, spec, restore, progress }) => {
  if (!restore) throw new InvalidSpecError('server.restore@1 without a backup');
  await restoreDisk({ driver, spec, restore, progress, newIdentity: restore.backup.serverId !== spec.serverId });
  await progress('booting', 80);
  await driver.start(spec);
  await progress('ready', 100);
  return 'running';
};
