import { mkdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TServerSpec } from '@berth/contracts';
import { run } from '../../exec/run.ts';
import { writeFirstBootFiles } from '../../storage/first-boot.ts';
import { safeWrite } from '../../storage/safe-write.ts';
import { growFile, mountFile, unmountFile } from '../../storage/image.ts';
import type { TStoragePaths } from '../../storage/paths.ts';
import { InvalidSpecError } from '../driver.ts';

// Rescue mode: the VPS boots a fresh system from its template (its own host keys; the server's SSH keys,
// root password and address) with the customer's own disk at /mnt, to repair what stops it from booting.

/** Room for a rescue session's logs and tools beyond the minimal template. */
const RESCUE_DISK_BYTES = 2 * 1024 ** 3;
export const RESCUE_MOTD = 'RESCUE SYSTEM: your server\'s own disk is mounted at /mnt. Leave rescue mode in the panel to boot it normally.';
const exists = (p: string) => stat(p).then(() => true, () => false);

export const rescueFiles = (paths: TStoragePaths, serverId: string) => ({
  file: paths.rescueImage(serverId),
  mnt: paths.rescueMountpoint(serverId),
  view: paths.rescueRootfs(serverId),
});

/** The rescue system's disk, made once per rescue session (a retry reuses a whole one), mounted through the VPS's id range. */
export const prepareRescueDisk = async (paths: TStoragePaths, spec: TServerSpec) => {
  const f = rescueFiles(paths, spec.serverId);
  if (!(await exists(f.file))) {
    const template = paths.template(spec.imageRef);
    if (!(await exists(template))) throw new InvalidSpecError(`template ${spec.imageRef} is not on this host`);
    await mkdir(path.dirname(f.file), { recursive: true, mode: 0o700 });
    await run('cp', ['--reflink=always', template, `${f.file}.tmp`]);
    await growFile(`${f.file}.tmp`, RESCUE_DISK_BYTES);
    await rename(`${f.file}.tmp`, f.file);
  }
  await mountFile({ ...f, idmap: spec.idmap });
  await writeFirstBootFiles(f.mnt, spec);
  // Says where the customer's disk is, at every login.
  await safeWrite(f.mnt, 'etc/motd', `${RESCUE_MOTD}\n`, { mode: 0o644 });
  return f;
};

/** Mount a prepared rescue disk again (a start of a VPS in rescue after a host reboot). */
export const mountRescueDisk = async (paths: TStoragePaths, spec: TServerSpec) => {
  const f = rescueFiles(paths, spec.serverId);
  if (!(await exists(f.file))) return prepareRescueDisk(paths, spec);
  await mountFile({ ...f, idmap: spec.idmap });
  return f;
};

/** Unmount and delete the rescue system's disk; nothing there is fine. */
export const dropRescueDisk = async (paths: TStoragePaths, serverId: string) => {
  const f = rescueFiles(paths, serverId);
  await unmountFile(f);
  await rm(f.file, { force: true });
  await rm(`${f.file}.tmp`, { force: true });
  for (const dir of [f.view, f.mnt]) await rmdir(dir).catch(() => undefined);
};
