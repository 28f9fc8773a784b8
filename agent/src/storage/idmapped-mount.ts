import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { run } from '../exec/run.ts';

const IDMOUNT = fileURLToPath(new URL('./idmount.pl', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Attach at `dst` a view of the mount at `src` in which uid/gid 0..count-1 on disk appear as
 * uidBase..uidBase+count-1: the VPS's files stay owned by 0 on disk (reflinked from the template, no
 * chown), yet belong to the VPS's own host id range. Done on the host rather than by LXC's
 * `lxc.rootfs.options = idmap=container`, which LXC 5.0.2 loses on a reboot from inside the VPS (its
 * files then show as nobody and nothing starts). The mapping comes from a short-lived user namespace.
 */
export const idmappedMount = async (src: string, dst: string, idmap: { uidBase: number; count: number }): Promise<void> => {
  const map = `${idmap.uidBase},0,${idmap.count}`;
  const holder = spawn('unshare', ['--user', `--map-users=${map}`, `--map-groups=${map}`, 'sleep', '30'], { stdio: 'ignore' });
  try {
    // unshare writes the maps before it execs sleep: once the process is `sleep`, the namespace is ready.
    for (let i = 0; ; i++) {
      const comm = await readFile(`/proc/${holder.pid}/comm`, 'utf8').catch(() => '');
      if (comm.trim() === 'sleep') break;
      if (i > 400 || holder.exitCode !== null) throw new Error(`unshare for the idmap of ${dst} did not start`);
      await sleep(5);
    }
    await mkdir(dst, { recursive: true, mode: 0o755 });
    await run('perl', [IDMOUNT, `/proc/${holder.pid}/ns/user`, src, dst]);
  } finally {
    holder.kill('SIGKILL');
  }
};
