import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { TServerSpec } from '@berth/contracts';

/** "0-3,6" (a kernel cpulist) as [0, 1, 2, 3, 6]. */
export const parseCpuList = (list: string): number[] =>
  list.trim().split(',').filter(Boolean).flatMap((part) => {
    const [a = 0, b = a] = part.split('-').map(Number);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });

const hostCpus = (): number[] => {
  try {
    return parseCpuList(readFileSync('/sys/fs/cgroup/cpuset/cpuset.effective_cpus', 'utf8'));
  } catch {
    return Array.from({ length: availableParallelism() }, (_, i) => i);
  }
};

/** What this host's cgroup v1 controllers support (read once). */
export const HOST_CGROUP = {
  memsw: existsSync('/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes'),
  kmemTcp: existsSync('/sys/fs/cgroup/memory/memory.kmem.tcp.limit_in_bytes'),
  cpus: hostCpus(),
};

/**
 * The VPS's cpuset: ceil(plan cores) of the host's CPUs, because `nproc` and sysconf read the affinity
 * mask (lxcfs cannot change it) and would otherwise show every host core. The CFS quota still caps the
 * time used; the run of CPUs starts at `seed` (the VPS's id slot) so small VPSes spread over the host.
 */
export const cpusetFor = (l: TServerSpec['limits'], seed: number, cpus: readonly number[] = HOST_CGROUP.cpus): string => {
  const n = Math.min(cpus.length, Math.max(1, Math.ceil(l.cpuCores)));
  const start = ((seed % cpus.length) + cpus.length) % cpus.length;
  return Array.from({ length: n }, (_, i) => cpus[(start + i) % cpus.length] ?? 0).sort((x, y) => x - y).join(',');
};

/** A VPS's seed for cpusetFor: its uid range is unique on the host. */
export const cpuSeed = (spec: Pick<TServerSpec, 'idmap'>): number => Math.floor(spec.idmap.uidBase / spec.idmap.count);

/**
 * Socket buffers: cgroup v1 charges them to a VPS only once a kmem.tcp limit is set, else a VPS can park
 * gigabytes in TCP buffers outside its memory and push every socket on the host into memory pressure.
 * Half the plan's memory (the kernel overshoots it by ~25%), at least 16 MiB.
 */
export const tcpBufferBytes = (l: TServerSpec['limits']): number => Math.max(16, Math.floor(l.memoryMb / 2)) * 1024 * 1024;

const MiB = 1024 * 1024;
const CFS_PERIOD_US = 100_000;

/** cgroup v2 weight 100 is the default share 1024 in v1. */
export const cpuShares = (l: TServerSpec['limits']): number => Math.max(2, Math.round((l.cpuWeight * 1024) / 100));

/** The plan's CPU cores as a CFS quota per period. */
export const cfsQuotaUs = (l: TServerSpec['limits']): number => Math.max(1000, Math.round(l.cpuCores * CFS_PERIOD_US));

/**
 * Plan limits as cgroup v1 keys: this host is cgroup v1 hybrid and LXC silently ignores lxc.cgroup2.*.
 * memsw is memory + swap, so with swapMb 0 the VPS cannot swap at all.
 */
export const limitLines = (l: TServerSpec['limits'], host = { memsw: true, kmemTcp: true }, cpuset?: string): string[] => [
  `lxc.cgroup.memory.limit_in_bytes = ${l.memoryMb * MiB}`,
  // Without swap accounting (swapaccount=0) the key does not exist and LXC would refuse to start.
  ...(host.memsw ? [`lxc.cgroup.memory.memsw.limit_in_bytes = ${(l.memoryMb + l.swapMb) * MiB}`] : []),
  ...(host.kmemTcp ? [`lxc.cgroup.memory.kmem.tcp.limit_in_bytes = ${tcpBufferBytes(l)}`] : []),
  `lxc.cgroup.cpu.cfs_period_us = ${CFS_PERIOD_US}`,
  `lxc.cgroup.cpu.cfs_quota_us = ${cfsQuotaUs(l)}`,
  `lxc.cgroup.cpu.shares = ${cpuShares(l)}`,
  ...(cpuset ? [`lxc.cgroup.cpuset.cpus = ${cpuset}`] : []),
  `lxc.cgroup.pids.max = ${l.pidsMax}`,
];

const throttles = (l: TServerSpec['limits']) =>
  [
    ['read_bps_device', l.ioReadBps],
    ['write_bps_device', l.ioWriteBps],
    ['read_iops_device', l.ioReadIops],
    ['write_iops_device', l.ioWriteIops],
  ] as const;

/** The plan's blkio throttles on one device as [cgroup key, value] pairs; `skipZero` leaves unlimited ones out. */
export const blkioValues = (l: TServerSpec['limits'], majMin: string, skipZero = true): [string, string][] =>
  throttles(l)
    .filter(([, v]) => !skipZero || v > 0)
    .map(([k, v]) => [`blkio.throttle.${k}`, `${majMin} ${v}`]);

/**
 * blkio throttles name a device, and the device carrying a VPS's I/O is its loop device, whose minor
 * changes on every mount: computed at start time and passed to lxc-start as -s key=value.
 */
export const blkioSettings = (l: TServerSpec['limits'], majMin: string): string[] =>
  blkioValues(l, majMin).map(([k, v]) => `lxc.cgroup.${k}=${v}`);

/**
 * The plan's limits as live cgroup v1 writes, in an order the kernel accepts: memory may never exceed
 * memory+swap, so the pair is raised memsw-first and lowered memory-first. A 0 IO limit removes the rule.
 */
export const liveLimitWrites = (
  l: TServerSpec['limits'], currentMemoryBytes: number, majMin: string, cpuset: string, host = HOST_CGROUP,
): [string, string][] => {
  const mem: [string, string] = ['memory.limit_in_bytes', String(l.memoryMb * MiB)];
  const tcp: [string, string][] = host.kmemTcp ? [['memory.kmem.tcp.limit_in_bytes', String(tcpBufferBytes(l))]] : [];
  const memsw: [string, string][] = host.memsw ? [['memory.memsw.limit_in_bytes', String((l.memoryMb + l.swapMb) * MiB)]] : [];
  const memory = l.memoryMb * MiB > currentMemoryBytes ? [...memsw, mem] : [mem, ...memsw];
  return [
    ...memory,
    ...tcp,
    ['cpu.cfs_quota_us', String(cfsQuotaUs(l))],
    ['cpu.shares', String(cpuShares(l))],
    ['cpuset.cpus', cpuset],
    ['pids.max', String(l.pidsMax)],
    ...blkioValues(l, majMin, false), // "<dev> 0" removes a rule live
  ];
};
