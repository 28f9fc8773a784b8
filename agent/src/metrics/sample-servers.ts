import { readdir, readFile, statfs } from 'node:fs/promises';
import path from 'node:path';
import type { TServerSample } from '@berth/contracts';
import { vethName } from '../network/names.ts';

type TOptions = { cgroupRoot?: string; netRoot?: string; mountpoint: (serverId: string) => string };

const PAYLOAD = 'lxc.payload.';
const num = (s: string | undefined) => (s && /^\d+$/.test(s.trim()) ? Number(s.trim()) : 0);
const read = (file: string) => readFile(file, 'utf8').catch(() => '');

/** "Read"/"Write" byte totals of blkio.throttle.io_service_bytes, over every device. */
export const parseIoServiceBytes = (text: string): { read: number; write: number } => {
  let r = 0;
  let w = 0;
  for (const line of text.split('\n')) {
    const [dev, op, v] = line.trim().split(/\s+/);
    if (!dev || dev === 'Total') continue;
    if (op === 'Read') r += num(v);
    else if (op === 'Write') w += num(v);
  }
  return { read: r, write: w };
};

/** Memory in use as a customer would count it: usage minus the page cache the kernel can drop at once. */
export const parseMemoryInUse = (usage: string, stat: string): number => {
  const inactiveFile = num(/^total_inactive_file (\d+)$/m.exec(stat)?.[1]);
  return Math.max(0, num(usage) - inactiveFile);
};

/**
 * One sample per running VPS, read straight from the cgroup v1 and sysfs files (no process spawned per
 * VPS, so sampling 500 VPSes costs a few thousand file reads). Running = has a payload cgroup.
 */
export const sampleServers = async ({ cgroupRoot = '/sys/fs/cgroup', netRoot = '/sys/class/net', mountpoint }: TOptions): Promise<TServerSample[]> => {
  const names = (await readdir(path.join(cgroupRoot, 'cpuacct')).catch(() => [] as string[]))
    .filter((n) => n.startsWith(`${PAYLOAD}srv_`));
  const out: TServerSample[] = [];
  for (const n of names) {
    const serverId = n.slice(PAYLOAD.length);
    const cg = (ctrl: string, file: string) => read(path.join(cgroupRoot, ctrl, n, file));
    const [cpu, usage, stat, io, rx, tx, fs] = await Promise.all([
      cg('cpuacct', 'cpuacct.usage'), cg('memory', 'memory.usage_in_bytes'), cg('memory', 'memory.stat'),
      cg('blkio', 'blkio.throttle.io_service_bytes'),
      read(path.join(netRoot, vethName(serverId), 'statistics/rx_bytes')),
      read(path.join(netRoot, vethName(serverId), 'statistics/tx_bytes')),
      statfs(mountpoint(serverId)).catch(() => null),
    ]);
    const { read: ioReadBytes, write: ioWriteBytes } = parseIoServiceBytes(io);
    out.push({
      serverId,
      cpuNs: num(cpu),
      memoryBytes: parseMemoryInUse(usage, stat),
      diskUsedBytes: fs ? Math.max(0, (fs.blocks - fs.bfree) * fs.bsize) : 0,
      ioReadBytes,
      ioWriteBytes,
      // The host end of the veth: what it receives, the VPS sent.
      netRxBytes: num(tx),
      netTxBytes: num(rx),
    });
  }
  return out;
};
