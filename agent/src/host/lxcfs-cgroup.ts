import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';

const CPU_CGROUP = '/sys/fs/cgroup/cpu/berth-lxcfs';
// 0.2 core and a low weight: one VPS hammering its /proc files may slow lxcfs for all, never take the host.
const QUOTA_US = 20_000;
const PERIOD_US = 100_000;
const SHARES = 128;

const lxcfsPids = async (): Promise<string[]> => {
  const pids: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'lxcfs') pids.push(pid);
  }
  return pids;
};

/**
 * lxcfs answers every VPS's /proc reads as a host process, outside any VPS's CPU quota: it gets a cpu
 * cgroup of its own with a small quota (cgroup v1 `cpu` hierarchy; skipped where it does not exist).
 */
export const capLxcfsCpu = async (): Promise<void> => {
  if (!(await readdir('/sys/fs/cgroup/cpu').catch(() => null))) return;
  await mkdir(CPU_CGROUP, { recursive: true });
  await writeFile(`${CPU_CGROUP}/cpu.cfs_period_us`, `${PERIOD_US}\n`);
  await writeFile(`${CPU_CGROUP}/cpu.cfs_quota_us`, `${QUOTA_US}\n`);
  await writeFile(`${CPU_CGROUP}/cpu.shares`, `${SHARES}\n`);
  for (const pid of await lxcfsPids()) await writeFile(`${CPU_CGROUP}/cgroup.procs`, `${pid}\n`);
};
