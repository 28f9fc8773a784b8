import { chmod, mkdir, statfs, stat } from 'node:fs/promises';
import { run, succeeds } from '../exec/run.ts';
import { isMounted } from './mounts.ts';
import { storagePaths } from './paths.ts';

const GiB = 1024 ** 3;

/**
 * The image pool: XFS with reflink on a sparse loop file, so `cp --reflink=always` clones a template in
 * milliseconds and each VPS only costs the blocks it changes. Idempotent: creates, formats and mounts only
 * what is missing.
 */
export const ensurePool = async (dataDir: string): Promise<void> => {
  const p = storagePaths(dataDir);
  await mkdir(p.pool, { recursive: true, mode: 0o755 });
  if (!(await isMounted(p.pool))) {
    if (!(await exists(p.poolFile))) {
      // Sized once from the free space under the data dir; sparse, so it costs nothing until written.
      const fs = await statfs(dataDir);
      const size = Math.max(10 * GiB, Math.floor((fs.bavail * fs.bsize * 0.9) / GiB) * GiB);
      await run('truncate', ['-s', String(size), `${p.poolFile}.tmp`]);
      await run('mkfs.xfs', ['-q', '-f', '-m', 'reflink=1', '-L', 'berth-pool', `${p.poolFile}.tmp`]);
      await run('mv', [`${p.poolFile}.tmp`, p.poolFile]);
    } else if (!(await succeeds('blkid', ['-t', 'TYPE=xfs', p.poolFile]))) {
      throw new Error(`${p.poolFile} exists but is not an XFS filesystem; refusing to format it`);
    }
    await run('mount', ['-o', 'loop', p.poolFile, p.pool]);
  }
  await mkdir(p.templates, { recursive: true, mode: 0o755 });
  await mkdir(p.images, { recursive: true, mode: 0o700 });
  await mkdir(p.work, { recursive: true, mode: 0o700 }); // scratch images: frozen copies, disks being restored
  // Raw disks are mounted here with files owned by 0 (setuid bits included): no host user may enter.
  await mkdir(p.mnt, { recursive: true, mode: 0o700 });
  await chmod(p.mnt, 0o700);
  await mkdir(p.rootfsDir, { recursive: true, mode: 0o755 });
};

const exists = (file: string) => stat(file).then(() => true, () => false);
