import { describe, expect, it } from 'vitest';
import { renderConfig } from './config.ts';
import { blkioSettings, limitLines } from './limits.ts';
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
  });

  it('throttles only the non-zero I/O limits, on the loop device given', () => {
    const l = { ...spec.limits, ioReadBps: 0, ioWriteBps: 1000, ioReadIops: 0, ioWriteIops: 50 };
    expect(blkioSettings(l, '7:3')).toEqual([
      'lxc.cgroup.blkio.throttle.write_bps_device=7:3 1000',
      'lxc.cgroup.blkio.throttle.write_iops_device=7:3 50',
    ]);
  });
});
