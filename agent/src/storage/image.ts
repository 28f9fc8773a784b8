import { readFileSync } from 'node:fs';
import { mkdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import type { TServerSpec } from '@berth/contracts';
import { InvalidSpecError } from '../driver/driver.ts';
import { run } from '../exec/run.ts';
import { idmappedMount } from './idmapped-mount.ts';
import { findMount, listMounts } from './mounts.ts';
import type { TStoragePaths } from './paths.ts';

const GiB = 1024 ** 3;
const size = (file: string) => stat(file).then((s) => s.size, () => -1);

/** Bytes of the VPS's disk image; -1 when it has none. */
export const imageBytes = (p: TStoragePaths, serverId: string) => size(p.image(serverId));

/** Grow an unmounted ext4 image file to `bytes`. */
const grow = async (file: string, bytes: number) => {
  await run('truncate', ['-s', String(bytes), file]);
  await run('e2fsck', ['-fp', file], { okCodes: [0, 1] }); // resize2fs insists on a fresh check
  await run('resize2fs', [file]);
};

/**
 * The VPS disk: a reflink clone of the template grown to the plan size. Built under a .tmp name and
 * renamed when complete, so an image that exists is always whole and a retry just continues.
 */
export const ensureImage = async (p: TStoragePaths, spec: TServerSpec): Promise<void> => {
  const image = p.image(spec.serverId);
  const want = spec.limits.diskGb * GiB;
  const have = await size(image);
  if (have < 0) {
    const template = p.template(spec.imageRef);
    if ((await size(template)) < 0) throw new InvalidSpecError(`template ${spec.imageRef} is not on this host`);
    await run('cp', ['--reflink=always', template, `${image}.tmp`]);
    await grow(`${image}.tmp`, want);
    await rename(`${image}.tmp`, image);
  } else if (have !== want) {
    // Plan change, applied while the VPS is stopped: unmount, fit offline, the caller mounts again.
    await unmountImage(p, spec.serverId);
    await fitImage(image, want);
  }
};

/**
 * Fit an unmounted ext4 image file to `bytes`: grown, or shrunk when its data leaves room (InvalidSpecError
 * `disk_in_use` otherwise, the file untouched).
 */
export const fitImage = async (file: string, bytes: number) => {
  const have = await size(file);
  if (have < 0) throw new Error(`${file} does not exist`);
  if (have < bytes) await grow(file, bytes);
  else if (have > bytes) await shrink(file, bytes);
};

/** What a shrunk disk must keep free beyond its data (ext4 metadata, journal, room to boot and log). */
export const SHRINK_HEADROOM_BYTES = 256 * 1024 ** 2;

/**
 * Shrink an unmounted ext4 image to `bytes`, refusing when its data (resize2fs's minimum) plus headroom
 * does not fit. Done on a reflink copy renamed over the original: a crash half-way leaves the old disk whole.
 */
const shrink = async (image: string, bytes: number) => {
  const work = `${image}.shrink`;
  await rm(work, { force: true });
  await run('cp', ['--reflink=always', image, work]);
  try {
    await run('e2fsck', ['-fp', work], { okCodes: [0, 1] });
    const blockSize = Number(/Block size:\s+(\d+)/.exec((await run('dumpe2fs', ['-h', work])).stdout)?.[1]);
    const minBlocks = Number(/:\s*(\d+)\s*$/.exec((await run('resize2fs', ['-P', work])).stdout.trim())?.[1]);
    if (!(blockSize > 0 && minBlocks > 0)) throw new Error(`${image}: cannot read the filesystem's minimum size`);
    const needed = minBlocks * blockSize + SHRINK_HEADROOM_BYTES;
    if (needed > bytes) {
      const gb = (n: number) => (n / GiB).toFixed(2);
      throw new InvalidSpecError(`disk_in_use: the disk holds data needing ${gb(needed)} GB (with ${SHRINK_HEADROOM_BYTES / 1024 ** 2} MB headroom); it cannot shrink to ${gb(bytes)} GB. Free space inside the server first.`);
    }
    await run('resize2fs', [work, `${Math.floor(bytes / 1024)}K`]);
    await run('truncate', ['-s', String(bytes), work]);
    await rename(work, image);
  } finally {
    await rm(work, { force: true });
  }
};

/** ext4 online resize needs CAP_SYS_RESOURCE, which some hosts (sandboxes) withhold even from root. */
export const CAN_GROW_ONLINE = ((BigInt(`0x${/CapEff:\s*([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0'}`) >> 24n) & 1n) === 1n;

/**
 * Grow the image of a mounted, running VPS: the file, then the loop device's size, then ext4 online.
 * Returns false when this host cannot grow online: the image is left alone and grows at the next start.
 */
export const growOnline = async (p: TStoragePaths, spec: TServerSpec): Promise<boolean> => {
  const want = spec.limits.diskGb * GiB;
  if ((await size(p.image(spec.serverId))) >= want) return true;
  if (!CAN_GROW_ONLINE) return false;
  const m = await findMount(p.mountpoint(spec.serverId));
  if (!m?.source.startsWith('/dev/loop')) throw new Error(`${spec.serverId}: disk is not mounted from a loop device`);
  await run('truncate', ['-s', String(want), p.image(spec.serverId)]);
  await run('losetup', ['-c', m.source]);
  await run('resize2fs', [m.source]);
  return true;
};

/** Loop devices attached to an image file (left over or in use). */
const loopsOf = async (image: string): Promise<string[]> => {
  const { stdout } = await run('losetup', ['-n', '-O', 'NAME', '-j', image]);
  return stdout.split('\n').map((s) => s.trim()).filter(Boolean);
};

/**
 * Mount the image at its mountpoint, and its idmapped view (the container's rootfs) when `idmap` is given;
 * each step is skipped if already there. nodev: device nodes never come from a VPS disk.
 */
export const mountImage = (p: TStoragePaths, serverId: string, idmap?: TServerSpec['idmap']): Promise<void> =>
  mountFile({ file: p.image(serverId), mnt: p.mountpoint(serverId), view: p.rootfs(serverId), idmap });

/** mountImage for any ext4 image file (a rescue system's disk): mount at `mnt`, its idmapped view at `view`. */
export const mountFile = async (o: { file: string; mnt: string; view: string; idmap?: TServerSpec['idmap'] }): Promise<void> => {
  if (!(await findMount(o.mnt))) {
    await detachUnmountedLoops(o.file);
    await mkdir(o.mnt, { recursive: true, mode: 0o755 });
    await run('mount', ['-t', 'ext4', '-o', 'loop,nodev', o.file, o.mnt]);
  }
  if (o.idmap && !(await findMount(o.view))) await idmappedMount(o.mnt, o.view, o.idmap);
};

/** Unmount what mountFile mounted and detach its loop device; nothing mounted is fine. */
export const unmountFile = async (o: { file: string; mnt: string; view: string }): Promise<void> => {
  while (await findMount(o.view)) await run('umount', [o.view]);
  while (await findMount(o.mnt)) await run('umount', [o.mnt]);
  if ((await size(o.file)) >= 0) await detachUnmountedLoops(o.file);
};

/** Grow an unmounted ext4 image file to at least `bytes` (a no-op when it is that big already). */
export const growFile = async (file: string, bytes: number) => {
  if ((await size(file)) < bytes) await grow(file, bytes);
};

/** major:minor of the loop device carrying the mounted rootfs (blkio throttles must name it). */
export const rootfsDevice = async (p: TStoragePaths, serverId: string): Promise<string> => {
  const m = await findMount(p.mountpoint(serverId));
  if (!m?.source.startsWith('/dev/loop')) throw new Error(`${serverId}: rootfs is not mounted from a loop device`);
  return (await run('lsblk', ['-dno', 'MAJ:MIN', m.source])).stdout.trim();
};

const detachUnmountedLoops = async (image: string) => {
  const mounted = new Set((await listMounts()).map((m) => m.source));
  for (const dev of await loopsOf(image)) if (!mounted.has(dev)) await run('losetup', ['-d', dev]);
};

/** Unmount and detach the loop device; nothing mounted is fine. */
export const unmountImage = (p: TStoragePaths, serverId: string): Promise<void> =>
  unmountFile({ file: p.image(serverId), mnt: p.mountpoint(serverId), view: p.rootfs(serverId) });

/** Delete the image and mountpoint (call after unmountImage); already gone is fine. */
export const deleteImage = async (p: TStoragePaths, serverId: string): Promise<void> => {
  await rm(p.image(serverId), { force: true });
  await rm(`${p.image(serverId)}.tmp`, { force: true });
  await rm(`${p.image(serverId)}.shrink`, { force: true });
  await rm(p.imageOwner(serverId), { force: true });
  for (const dir of [p.rootfs(serverId), p.mountpoint(serverId)]) {
    await rmdir(dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }
};
