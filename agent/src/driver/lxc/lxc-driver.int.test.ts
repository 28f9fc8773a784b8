import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv, ZAgentEnv } from '@berth/config';
import type { TServerSpec } from '@berth/contracts';
import { run } from '../../exec/run.ts';
import { portElements } from '../../network/firewall.ts';
import { vethName } from '../../network/names.ts';
import { prepareHost } from '../../prepare-host.ts';
import { listMounts } from '../../storage/mounts.ts';
import { storagePaths } from '../../storage/paths.ts';
import { createLxcDriver } from './lxc-driver.ts';
import { testSpec } from './test-spec.ts';

// Real LXC, real systemd, real ssh: nothing is mocked. Needs root and the template built by
// `bash agent/scripts/build-template.sh`.
const env = loadEnv(ZAgentEnv.pick({ BERTH_DATA_DIR: true, BERTH_LXC_PATH: true }));
const paths = storagePaths(env.BERTH_DATA_DIR);
const templateMissing = !existsSync(paths.template('debian-12'));
if (templateMissing) console.warn(`SKIP lxc-driver: no template at ${paths.template('debian-12')}; run agent/scripts/build-template.sh`);

const SLOT = 250;
const UID_BASE = 1_000_000 + 65_536 * (14_000 + SLOT);
const IP = `198.18.0.${SLOT}`;

describe.skipIf(templateMissing)('lxc driver (real containers)', () => {
  const driver = createLxcDriver({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH });
  let tmp = '';
  let spec: TServerSpec;
  const timings: Record<string, number> = {};
  const timed = async <T>(label: string, fn: () => Promise<T>) => {
    const t0 = performance.now();
    const out = await fn();
    timings[label] = Math.round(performance.now() - t0);
    return out;
  };
  const ssh = async (cmd: string) =>
    (await run('ssh', ['-i', path.join(tmp, 'key'), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
      '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-o', 'LogLevel=ERROR', `root@${IP}`, cmd], { timeoutMs: 20_000 })).stdout;
  const cgroup = async (key: string) =>
    (await run('lxc-cgroup', ['-P', env.BERTH_LXC_PATH, '-n', spec.serverId, key])).stdout.trim();

  beforeAll(async () => {
    await prepareHost({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH });
    tmp = await mkdtemp(path.join(tmpdir(), 'berth-lxc-test-'));
    await run('ssh-keygen', ['-q', '-N', '', '-t', 'ed25519', '-f', path.join(tmp, 'key')]);
    const hash = (await run('openssl', ['passwd', '-6', 'correct horse'])).stdout.trim();
    spec = testSpec(SLOT, {
      hostname: 'test-vps.example.test',
      access: { sshKeys: [(await readFile(path.join(tmp, 'key.pub'), 'utf8')).trim()], rootPasswordHash: hash },
    });
    spec.limits = { ...spec.limits, cpuCores: 0.5, memoryMb: 512, swapMb: 128, diskGb: 3, ioReadBps: 50 * 1024 ** 2,
      ioWriteBps: 20 * 1024 ** 2, pidsMax: 512 };
  }, 120_000);

  afterAll(async () => {
    if (spec) await driver.destroy(spec).catch((e) => console.error('cleanup destroy failed', e));
    if (tmp) await rm(tmp, { recursive: true, force: true });
    console.log('lxc driver timings (ms):', JSON.stringify(timings));
  }, 120_000);

  it('creates, boots systemd, serves ssh as its own uid range, stops, starts and destroys without a trace', async () => {
    expect(await driver.state(spec.serverId)).toBe('absent');
    await timed('create', () => driver.create(spec));
    await timed('create-again', () => driver.create(spec)); // idempotent
    expect(await driver.state(spec.serverId)).toBe('stopped');
    await timed('start-to-ready', () => driver.start(spec));
    expect(await driver.state(spec.serverId)).toBe('running');
    expect(await driver.list()).toContain(spec.serverId);

    expect((await ssh('cat /proc/1/comm')).trim()).toBe('systemd');
    expect((await ssh('systemctl is-system-running || true')).trim()).toBe('running');
    expect((await ssh('hostname')).trim()).toBe('test-vps.example.test');
    const sizeGb = Number((await ssh('df -B1 --output=size / | tail -1')).trim()) / 1024 ** 3;
    expect(sizeGb).toBeGreaterThan(2.7);
    expect(sizeGb).toBeLessThanOrEqual(3);
    expect((await ssh('ip -4 route')).trim()).toBe(`198.18.0.0/24 dev eth0 proto kernel scope link src ${IP}`);

    // The container's init runs as the first host uid of this VPS's own range.
    const pid = (await run('lxc-info', ['-P', env.BERTH_LXC_PATH, '-n', spec.serverId, '-pH'])).stdout.trim();
    expect((await stat(`/proc/${pid}`)).uid).toBe(UID_BASE);
    expect(await readFile(`/proc/${pid}/status`, 'utf8')).toMatch(/^Seccomp:\s+2$/m); // LXC's seccomp filter
    expect((await ssh('getent shadow root | cut -d: -f2')).trim()).toBe(spec.access.rootPasswordHash);
    // Files are uid 0 on disk (idmapped mount) yet root inside owns them.
    expect((await stat(path.join(paths.mountpoint(spec.serverId), 'etc/hostname'))).uid).toBe(0);
    expect((await ssh('stat -c %u /etc/hostname')).trim()).toBe('0');

    // Limits are really applied as cgroup v1 values.
    expect(await cgroup('memory.limit_in_bytes')).toBe(String(512 * 1024 ** 2));
    expect(await cgroup('memory.memsw.limit_in_bytes')).toBe(String(640 * 1024 ** 2));
    expect(await cgroup('cpu.cfs_quota_us')).toBe('50000');
    expect(await cgroup('pids.max')).toBe('512');
    expect(await cgroup('blkio.throttle.write_bps_device')).toMatch(/^7:\d+ 20971520$/);
    expect(await portElements(vethName(spec.serverId))).toEqual({ macs: [spec.network.mac], ips: [IP] });

    const hostKey = await ssh('cat /etc/ssh/ssh_host_ed25519_key.pub');
    await timed('stop', () => driver.stop(spec));
    expect(await driver.state(spec.serverId)).toBe('stopped');
    spec.limits.diskGb = 4; // plan upgrade while stopped: the disk grows on the next start
    await timed('restart-to-ready', () => driver.start(spec));
    expect(await ssh('cat /etc/ssh/ssh_host_ed25519_key.pub')).toBe(hostKey);
    expect(Number((await ssh('df -B1 --output=size / | tail -1')).trim()) / 1024 ** 3).toBeGreaterThan(3.7);

    // A reboot from inside gets the plan's limits again, not the boot boost (which only start() gives).
    const bootId = (await ssh('cat /proc/sys/kernel/random/boot_id; cat /proc/1/stat | cut -d" " -f22')).trim();
    await ssh('systemctl reboot').catch(() => {});
    const until = Date.now() + 60_000;
    let after = bootId;
    while (after === bootId && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 300));
      after = (await ssh('cat /proc/sys/kernel/random/boot_id; cat /proc/1/stat | cut -d" " -f22').catch(() => bootId)).trim();
    }
    expect(after).not.toBe(bootId); // init really restarted
    expect(await cgroup('cpu.cfs_quota_us')).toBe('50000');
    expect(await cgroup('blkio.throttle.write_bps_device')).toMatch(/^7:\d+ 20971520$/);

    await timed('destroy', () => driver.destroy(spec));
    expect(await driver.state(spec.serverId)).toBe('absent');
    expect(existsSync(path.join(env.BERTH_LXC_PATH, spec.serverId))).toBe(false);
    expect(existsSync(paths.image(spec.serverId))).toBe(false);
    expect(existsSync(paths.mountpoint(spec.serverId))).toBe(false);
    expect((await listMounts()).some((m) => m.target.includes(spec.serverId))).toBe(false);
    expect((await run('losetup', ['-j', paths.image(spec.serverId)])).stdout.trim()).toBe('');
    expect(await portElements(vethName(spec.serverId))).toEqual({ macs: [], ips: [] });
    await driver.destroy(spec); // already gone: still succeeds
  }, 300_000);
});
