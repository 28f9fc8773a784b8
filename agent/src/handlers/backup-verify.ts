import { InvalidSpecError } from '../driver/driver.ts';
import { openBackupStore } from '../backups/store.ts';
import { readManifest, verifyBackup } from '../backups/restore-backup.ts';
import { unusableBackup } from './restore.ts';
import type { THandler } from './types.ts';

const MB = 1024 * 1024;

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
    let last = 0;
    checked = await verifyBackup({
      store, manifest,
      onProgress: (done, total) => {
        const pct = total ? Math.floor((done / total) * 90) + 5 : 95;
        if (pct - last < 5) return;
        last = pct;
        void progress(`checking the chunks (${Math.round(done / MB)} of ${Math.round(total / MB)} MB)`, pct);
      },
    });
  } catch (e) {
    throw unusableBackup(e, what);
  }
  await progress('verified', 100);
  return { state: await driver.state(spec.serverId), result: { checkedChunks: checked.chunks, checkedBytes: checked.bytes } };
};
