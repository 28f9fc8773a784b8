import { mkdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { run } from '../../exec/run.ts';
import { forgetPort } from '../../network/firewall.ts';
import { vethName } from '../../network/names.ts';
import { listMounts } from '../../storage/mounts.ts';
import { unmountImage } from '../../storage/image.ts';
import { checkServerId, type TStoragePaths } from '../../storage/paths.ts';
import { InvalidSpecError } from '../driver.ts';
import { lxcInfoState, lxcStop } from './lxc-cli.ts';

type TOptions = { paths: TStoragePaths; lxcPath: string; serverId: string; location: string; stopTimeoutS: number };

const exists = (p: string) => stat(p).then(() => true, () => false);

/** rename, or (the LXC path is usually not on the pool's filesystem) copy then remove: the dir is small. */
const moveDir = async (from: string, to: string) => {
  try {
    await rename(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    await rm(`${to}.tmp`, { recursive: true, force: true });
    await run('cp', ['-a', from, `${to}.tmp`]);
    await rename(`${to}.tmp`, to);
    await rm(from, { recursive: true, force: true });
  }
};

/**
 * Set an orphan aside under <pool>/quarantine/<location>/ (disk.img, lxc/): stopped, filter entries gone,
 * disk unmounted, nothing deleted. Each step converges, so a retry after a crash finishes the move.
 */
export const quarantineContainer = async ({ paths, lxcPath, serverId, location, stopTimeoutS }: TOptions) => {
  const id = checkServerId(serverId);
  if (!location.startsWith(`${id}-`)) throw new InvalidSpecError(`quarantine ${location} is not for ${id}`);
  const dest = paths.quarantined(location);
  const dir = path.join(lxcPath, id);
  const c = { lxcPath, name: id, logFile: path.join(dir, 'lxc.log') };
  if ((await exists(path.join(dir, 'config'))) && (await lxcInfoState(c)) !== 'STOPPED') {
    // A clean shutdown first: the data is kept, so give the VPS the chance to flush it.
    await lxcStop(c, { timeoutS: stopTimeoutS }).catch(() => lxcStop(c, { kill: true }));
  }
  await forgetPort(vethName(id));
  await unmountImage(paths, id); // a disk is moved only once nothing has it mounted
  await mkdir(dest, { recursive: true, mode: 0o700 });
  if (await exists(paths.imageOwner(id))) await rename(paths.imageOwner(id), path.join(dest, 'disk.img.host'));
  if (await exists(paths.image(id))) await rename(paths.image(id), path.join(dest, 'disk.img'));
  if (await exists(dir)) await moveDir(dir, path.join(dest, 'lxc'));
  for (const d of [paths.rootfs(id), paths.mountpoint(id)]) {
    await rmdir(d).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e; // not empty: something is still mounted or written there, keep it
    });
  }
  const moved = [
    ...((await exists(path.join(dest, 'lxc'))) ? ['container' as const] : []),
    ...((await exists(path.join(dest, 'disk.img'))) ? ['image' as const] : []),
  ];
  if (!moved.length) await rmdir(dest);
  return { moved };
};

/** Delete a quarantined copy; refused while anything is mounted under it. */
export const purgeQuarantined = async (paths: TStoragePaths, location: string) => {
  const dir = paths.quarantined(location);
  if ((await listMounts()).some((m) => m.target === dir || m.target.startsWith(`${dir}/`))) throw new Error(`${dir} has something mounted: not deleting it`);
  const disk = path.join(dir, 'disk.img');
  if ((await exists(disk)) && (await run('losetup', ['-n', '-O', 'NAME', '-j', disk])).stdout.trim()) throw new Error(`${disk} is attached to a loop device: not deleting it`);
  await rm(dir, { recursive: true, force: true });
};
