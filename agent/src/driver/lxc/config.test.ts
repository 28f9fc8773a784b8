import { describe, expect, it } from 'vitest';
import { renderConfig } from './config.ts';
import { blkioSettings, cpusetFor, limitLines, parseCpuList } from './limits.ts';
import { testSpec } from './test-spec.ts';

describe('LXC config', () => {
  const spec = testSpec(12, { serverId: 'srv_abcdefghjkmnpqrs' });

  it('is unprivileged with the VPS own id range, an idmapped dir rootfs and its own veth', () => {
    const text = renderConfig({ spec, rootfs: '/var/lib/berth/mnt/x', logFile: '/l' });
    const lines = text.split('\n');
    expect(lines).toContain(`lxc.idmap = u 0 ${1_000_000 + 65_536 * (14_000 + 12)} 65536`);
    expect(lines).toContain(`lxc.idmap = g 0 ${1_000_000 + 65_536 * (14_000 + 12)} 65536`);
    expect(lines).toContain('lxc.rootfs.path = dir:/var/lib/berth/mnt/x');
    expect(lines.some((l) => l.startsWith('lxc.rootfs.options'))).toBe(false); // the idmapped view is made on the host
    expect(lines).toContain('lxc.net.0.veth.pair = vb-efghjkmnpqrs'); // 15 chars: IFNAMSIZ
    expect(lines).toContain('lxc.cgroup.devices.deny = a');
    expect(text).not.toMatch(/cgroup2|nesting/);
  });

  it('maps plan limits to cgroup v1 keys', () => {
    const l = { ...spec.limits, cpuCores: 1.5, cpuWeight: 50, memoryMb: 1024, swapMb: 512, pidsMax: 300 };
    expect(limitLines(l)).toEqual([
      `lxc.cgroup.memory.limit_in_bytes = ${1024 * 1024 ** 2}`,
      `lxc.cgroup.memory.memsw.limit_in_bytes = ${1536 * 1024 ** 2}`,
      `lxc.cgroup.memory.kmem.tcp.limit_in_bytes = ${512 * 1024 ** 2}`, // socket buffers: half the memory
      'lxc.cgroup.cpu.cfs_period_us = 100000',
      'lxc.cgroup.cpu.cfs_quota_us = 150000',
      'lxc.cgroup.cpu.shares = 512',
      'lxc.cgroup.pids.max = 300',
    ]);
    expect(limitLines(l, { memsw: false, kmemTcp: false }).some((s) => s.includes('memsw') || s.includes('kmem'))).toBe(false);
    expect(limitLines(l, undefined, '2,3')).toContain('lxc.cgroup.cpuset.cpus = 2,3');
  });

  it('gives a VPS ceil(cores) host CPUs, rotating where the run starts so small VPSes spread out', () => {
    expect(parseCpuList('0-3,6\n')).toEqual([0, 1, 2, 3, 6]);
    const host = [0, 1, 2, 3];
    const cores = (cpuCores: number) => ({ ...spec.limits, cpuCores });
    expect(cpusetFor(cores(0.5), 0, host)).toBe('0');
    expect(cpusetFor(cores(0.5), 5, host)).toBe('1');
    expect(cpusetFor(cores(1.5), 3, host)).toBe('0,3'); // wraps around
    expect(cpusetFor(cores(2), 14_001, host)).toBe('1,2');
    expect(cpusetFor(cores(16), 7, host)).toBe('0,1,2,3'); // never more than the host has
    expect(cpusetFor(cores(1), 9, [4, 6])).toBe('6');
  });

  it('throttles only the non-zero I/O limits, on the loop device given', () => {
    const l = { ...spec.limits, ioReadBps: 0, ioWriteBps: 1000, ioReadIops: 0, ioWriteIops: 50 };
    expect(blkioSettings(l, '7:3')).toEqual([
      'lxc.cgroup.blkio.throttle.write_bps_device=7:3 1000',
      'lxc.cgroup.blkio.throttle.write_iops_device=7:3 50',
    ]);
  });
});
