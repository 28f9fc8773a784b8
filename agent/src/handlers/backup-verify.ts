import { InvalidSpecError } from '../driver/driver.ts';
import { openBackupStore } from '../backups/store.ts';
import { readManifest, verifyBackup } from '../backups/restore-backup.ts';
import { unusableBackup } from './restore.ts';
import { byteProgress } from './byte-progress.ts';
import type { THandler } from './types.ts';

/**
 * backup.verify@1: read a backup back from its target and check its manifest (against the panel's digest) and
 * every chunk it needs (against their sha256), writing nothing; the VPS is not touched. A corrupt or missing
 * backup fails the job, not retried, naming the bad backup as a restore would.
 */
export const handleBackupVerify: THandler = async ({ driver, spec, restore, progress }) => {
  if (!restore) throw new InvalidSpecError('backup.verify@1 without a backup');
  const store = openBackupStore(restore.target);
  const what = `backup ${restore.backup.backupId} failed verification`;
  let checked: { chunks: number; bytes: number };
  try {
    await progress('reading the manifest', 5);
    const manifest = await readManifest({ store, ...restore.backup, sha256: restore.backup.manifestSha256 });
    checked = await verifyBackup({ store, manifest, onProgress: byteProgress(progress, 'checking the chunks', { from: 5, span: 90 }) });
  } catch (e) {
    throw unusableBackup(e, what);
  }
  await progress('verified', 100);
  return { state: await driver.state(spec.serverId), result: { checkedChunks: checked.chunks, checkedBytes: checked.bytes } };
};
