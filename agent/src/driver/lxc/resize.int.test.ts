// Live resize on a real VPS: limits change without a reboot, survive a reboot from inside, and the disk
// grows (online where the host allows ext4 online resize, else at the next start).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv, ZAgentEnv } from '@berth/config';
import type { TServerSpec } from '@berth/contracts';
import { run } from '../../exec/run.ts';
import { prepareHost } from '../../prepare-host.ts';
import { CAN_GROW_ONLINE } from '../../storage/image.ts';
import { storagePaths } from '../../storage/paths.ts';
import { HOST_CGROUP } from './limits.ts';
import { createLxcDriver } from './lxc-driver.ts';
import { testSpec } from './test-spec.ts';

const env = loadEnv(ZAgentEnv.pick({ BERTH_DATA_DIR: true, BERTH_LXC_PATH: true }));
const templateMissing = !existsSync(storagePaths(env.BERTH_DATA_DIR).template('debian-12'));
const SLOT = 249;

describe.skipIf(templateMissing)('live resize (real container)', () => {
  const driver = createLxcDriver({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH });
  let tmp = '';
  let spec: TServerSpec;
  const attach = async (cmd: string) =>
    (await run('lxc-attach', ['-P', env.BERTH_LXC_PATH, '-n', spec.serverId, '--clear-env', '--', 'sh', '-c', cmd])).stdout.trim();
  const cgroup = async (key: string) => (await run('lxc-cgroup', ['-P', env.BERTH_LXC_PATH, '-n', spec.serverId, key])).stdout.trim();
  const diskGb = async () => Number(await attach('df -B1 --output=size / | tail -1')) / 1024 ** 3;
  const limits = async () => ({
    memory: await cgroup('memory.limit_in_bytes'),
    quota: await cgroup('cpu.cfs_quota_us'),
    pids: await cgroup('pids.max'),
    writeBps: await cgroup('blkio.throttle.write_bps_device'),
  });

  beforeAll(async () => {
    await prepareHost({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH });
    tmp = await mkdtemp(path.join(tmpdir(), 'berth-resize-'));
    spec = testSpec(SLOT, { hostname: 'resize-test' });
    spec.limits = { ...spec.limits, memoryMb: 256, swapMb: 0, cpuCores: 0.5, pidsMax: 200, diskGb: 2, ioWriteBps: 10_000_000 };
    await driver.create(spec);
    await driver.start(spec);
  });
  afterAll(async () => {
    if (spec) await driver.destroy(spec);
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('applies a bigger plan live, keeps it across a reboot from inside, and grows the disk', async () => {
    const pid1 = await attach('cut -d" " -f22 /proc/1/stat');
    expect(await limits()).toMatchObject({ memory: String(256 * 2 ** 20), quota: '50000', pids: '200' });
    expect((await limits()).writeBps).toMatch(/ 10000000$/);

    const bigger: TServerSpec = { ...spec, limits: { ...spec.limits, memoryMb: 1024, swapMb: 256, cpuCores: 1.5, pidsMax: 900, diskGb: 3, ioWriteBps: 0 } };
    await driver.resize(bigger);
    const want = { memory: String(1024 * 2 ** 20), quota: '150000', pids: '900', writeBps: '' };
    expect(await limits()).toEqual(want);
    expect(await cgroup('memory.memsw.limit_in_bytes')).toBe(String(1280 * 2 ** 20));
    expect(await attach('cut -d" " -f22 /proc/1/stat')).toBe(pid1); // no reboot happened
    expect(Number(await attach("awk '/MemTotal/ {print $2}' /proc/meminfo"))).toBe(1024 * 1024); // lxcfs follows
    expect(await attach('nproc')).toBe(String(Math.min(2, HOST_CGROUP.cpus.length))); // the cpuset follows: ceil(1.5)

    await attach('systemctl reboot').catch(() => {});
    const until = Date.now() + 60_000;
    let now = pid1;
    while ((now === pid1 || now === '') && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 300));
      now = await attach('cut -d" " -f22 /proc/1/stat').catch(() => '');
    }
    expect(now).not.toBe(pid1);
    expect(await limits()).toEqual(want); // the reboot did not bring the old plan back

    if (!CAN_GROW_ONLINE) {
      // This host withholds CAP_SYS_RESOURCE (ext4 online resize): the growth happens at the next start.
      await driver.stop(bigger);
      await driver.start(bigger);
    }
    expect(await diskGb()).toBeGreaterThan(2.8);

    // And back down: memory is lowered before memory+swap, which the kernel requires.
    const smaller: TServerSpec = { ...bigger, limits: { ...bigger.limits, memoryMb: 512, swapMb: 0, cpuCores: 1 } };
    await driver.resize(smaller);
    expect(await cgroup('memory.limit_in_bytes')).toBe(String(512 * 2 ** 20));
    expect(await cgroup('memory.memsw.limit_in_bytes')).toBe(String(512 * 2 ** 20));
    expect(await attach('nproc')).toBe('1');
    expect(await readFile(path.join(env.BERTH_LXC_PATH, spec.serverId, 'limits'), 'utf8')).toContain(`memory.limit_in_bytes ${512 * 2 ** 20}`);
  });


  it('shrinks the disk only while stopped, and never below the data it holds', async () => {
    const cur: TServerSpec = { ...spec, limits: { ...spec.limits, diskGb: 3 } };
    if ((await driver.state(spec.serverId)) !== 'running') await driver.start(cur);
    await attach('fallocate -l 1800M /root/ballast && sync');
    const toOne: TServerSpec = { ...cur, limits: { ...cur.limits, diskGb: 1 } };
    await expect(driver.resize(toOne)).rejects.toThrow(/only shrinks while its server is stopped/);

    await driver.stop(cur);
    await expect(driver.resize(toOne)).rejects.toThrow(/disk_in_use: .* cannot shrink to 1\.00 GB/);
    await expect(driver.resize({ ...cur, limits: { ...cur.limits, diskGb: 2 } })).rejects.toThrow(/disk_in_use/); // 1.8 GB + headroom
    await driver.start(cur); // the refused shrinks left the disk whole
    expect(await diskGb()).toBeGreaterThan(2.8);
    expect(await attach('stat -c %s /root/ballast')).toBe(String(1800 * 1024 ** 2));

    await attach('rm /root/ballast && echo kept > /root/marker && sync');
    await driver.stop(cur);
    const toTwo: TServerSpec = { ...cur, limits: { ...cur.limits, diskGb: 2 } };
    await driver.resize(toTwo);
    await driver.start(toTwo);
    expect(await diskGb()).toBeLessThan(2.01);
    expect(await diskGb()).toBeGreaterThan(1.8);
    expect(await attach('cat /root/marker')).toBe('kept');
  });
});
