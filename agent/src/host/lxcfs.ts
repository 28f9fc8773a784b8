import { spawn } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { run } from '../exec/run.ts';
import { findMount } from '../storage/mounts.ts';

const MOUNT = '/var/lib/lxcfs';

/** A live lxcfs answers a stat; a dead one fails with ENOTCONN. */
const alive = () => stat(`${MOUNT}/proc/uptime`).then(() => true, () => false);

/**
 * lxcfs makes free, /proc/meminfo, cpuinfo and uptime inside a VPS show its own limits; LXC's common.conf
 * hook bind-mounts it when present, so it must run before containers start. No service manager here: the
 * agent starts it only if it is not already mounted.
 */
export const ensureLxcfs = async (): Promise<void> => {
  if ((await findMount(MOUNT))?.fstype === 'fuse.lxcfs') {
    if (await alive()) return;
    // lxcfs was killed (e.g. with the session that started it): its dead FUSE mount would break every start.
    await run('umount', ['-l', MOUNT]);
  }
  await mkdir(MOUNT, { recursive: true });
  // lxcfs stays in the foreground: detach it into its own session so it outlives the agent.
  const child = spawn('lxcfs', ['--enable-cfs', '-l', MOUNT], { stdio: 'ignore', detached: true });
  let failed: Error | undefined;
  child.on('error', (e) => (failed = e));
  child.on('exit', (code) => (failed = new Error(`lxcfs exited with ${code}`)));
  child.unref();
  for (let i = 0; i < 50; i++) {
    if ((await findMount(MOUNT))?.fstype === 'fuse.lxcfs' && (await alive())) return;
    if (failed) throw failed;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`lxcfs did not mount ${MOUNT} within 5 s`);
};
