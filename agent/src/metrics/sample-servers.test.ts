import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIoServiceBytes, parseMemoryInUse, sampleServers } from './sample-servers.ts';

describe('metrics sampling', () => {
  it('sums blkio bytes over devices and leaves out droppable page cache', () => {
    expect(parseIoServiceBytes('7:3 Read 100\n7:3 Write 40\n7:3 Sync 1\n8:0 Read 5\n8:0 Write 6\nTotal 151\n')).toEqual({ read: 105, write: 46 });
    expect(parseMemoryInUse('1000\n', 'cache 300\ntotal_inactive_file 250\n')).toBe(750);
    expect(parseMemoryInUse('', '')).toBe(0);
  });

  it('reads each running VPS from its payload cgroups and its veth', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'berth-cg-'));
    const id = 'srv_abcdefghjkmnpqrs';
    const put = async (rel: string, text: string) => {
      await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await writeFile(path.join(root, rel), text);
    };
    await put(`cg/cpuacct/lxc.payload.${id}/cpuacct.usage`, '5000000000\n');
    await put(`cg/memory/lxc.payload.${id}/memory.usage_in_bytes`, '2048\n');
    await put(`cg/memory/lxc.payload.${id}/memory.stat`, 'total_inactive_file 48\n');
    await put(`cg/blkio/lxc.payload.${id}/blkio.throttle.io_service_bytes`, '7:1 Read 10\n7:1 Write 20\nTotal 30\n');
    await put('net/vb-efghjkmnpqrs/statistics/rx_bytes', '111\n');
    await put('net/vb-efghjkmnpqrs/statistics/tx_bytes', '222\n');
    await mkdir(path.join(root, 'cg/cpuacct/lxc.monitor.other'), { recursive: true }); // not a VPS
    const samples = await sampleServers({ cgroupRoot: path.join(root, 'cg'), netRoot: path.join(root, 'net'), mountpoint: () => root });
    expect(samples).toEqual([{
      serverId: id, cpuNs: 5e9, memoryBytes: 2000, diskUsedBytes: expect.any(Number), ioReadBytes: 10, ioWriteBytes: 20, netRxBytes: 222, netTxBytes: 111,
    }]);
    expect(samples[0]!.diskUsedBytes).toBeGreaterThan(0);
  });
});
