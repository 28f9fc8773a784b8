import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { findMount } from '../storage/mounts.ts';

const MOUNT = '/var/lib/lxcfs';

/**
 * lxcfs makes free, /proc/meminfo, cpuinfo and uptime inside a VPS show its own limits; LXC's common.conf
 * hook bind-mounts it when present, so it must run before containers start. No service manager here: the
 * agent starts it (it daemonizes itself) only if it is not already mounted.
 */
export const ensureLxcfs = async (): Promise<void> => {
  if ((await findMount(MOUNT))?.fstype === 'fuse.lxcfs') return;
  await mkdir(MOUNT, { recursive: true });
  await new Promise<void>((resolve, reject) => {
    const child = spawn('lxcfs', ['--enable-cfs', '-l', MOUNT], { stdio: 'ignore', detached: true });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lxcfs exited with ${code}`))));
  });
  for (let i = 0; i < 50; i++) {
    if ((await findMount(MOUNT))?.fstype === 'fuse.lxcfs') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`lxcfs did not mount ${MOUNT} within 5 s`);
};
