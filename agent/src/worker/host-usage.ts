import { readFile, statfs } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import type { THostUsage } from '@berth/contracts';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** What a heartbeat says of the host's hardware and its use now: memory, the image pool, CPU load. */
export const hostUsage = async (poolDir: string): Promise<THostUsage> => {
  const meminfo = await readFile('/proc/meminfo', 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? 0) * 1024;
  const fs = await statfs(poolDir);
  return {
    cpuCores: cpus().length,
    load1: Math.round(loadavg()[0]! * 100) / 100,
    memoryMb: Math.floor(kb('MemTotal') / MiB),
    memoryUsedMb: Math.floor((kb('MemTotal') - kb('MemAvailable')) / MiB),
    diskGb: Math.floor((fs.blocks * fs.bsize) / GiB),
    diskUsedGb: Math.round((((fs.blocks - fs.bfree) * fs.bsize) / GiB) * 10) / 10,
  };
};
