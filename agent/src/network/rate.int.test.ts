import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv, ZAgentEnv } from '@berth/config';
import { createLxcDriver } from '../driver/lxc/lxc-driver.ts';
import { testSpec } from '../driver/lxc/test-spec.ts';
import { prepareHost } from '../prepare-host.ts';
import { storagePaths } from '../storage/paths.ts';
import { rateDrops } from './firewall.ts';
import { vethName } from './names.ts';

// A VPS whose plan's transfer allowance is used up gets its link capped (throttle plans): a real VPS,
// real bulk transfers both ways over SSH; the cap is seen working by the frames it drops, and lifting it
// removes it. (No timing is asserted: the drop counters are the behaviour.)
const env = loadEnv(ZAgentEnv.pick({ BERTH_DATA_DIR: true, BERTH_LXC_PATH: true }));
const templateMissing = !existsSync(storagePaths(env.BERTH_DATA_DIR).template('debian-12'));

describe.skipIf(templateMissing)('link throttle (real container, nftables)', () => {
  const driver = createLxcDriver({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH });
  const dir = mkdtempSync(path.join(tmpdir(), 'berth-rate-'));
  const keyFile = path.join(dir, 'id');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
  const base = testSpec(243, { access: { sshKeys: [readFileSync(`${keyFile}.pub`, 'utf8').trim()], rootPasswordHash: null } });
  const capped = { ...base, network: { ...base.network, rateMbit: 16 } };
  const ssh = (cmd: string, input?: Buffer) => spawnSync('ssh', ['-i', keyFile, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
    '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', `root@${base.network.ipv4}`, cmd], { input, maxBuffer: 64 * 2 ** 20, timeout: 60_000 });

  beforeAll(async () => {
    await prepareHost({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH });
    await driver.create(capped);
    await driver.start(capped);
  }, 120_000);
  afterAll(async () => driver.destroy(base), 120_000);

  it('drops what goes over the cap both ways while capped, and lifting it removes the cap', async () => {
    const ifname = vethName(base.serverId);
    expect(await rateDrops(ifname)).toEqual({ in: 0, out: 0 });
    // VPS -> host (policed as it enters the bridge), then host -> VPS (as it leaves the bridge).
    const down = ssh('head -c 6000000 /dev/zero');
    expect(down.status).toBe(0);
    expect(down.stdout.length).toBe(6_000_000); // TCP still delivers everything, only slower
    const up = ssh('wc -c', Buffer.alloc(6_000_000));
    expect(up.stdout.toString().trim()).toBe('6000000');
    const drops = await rateDrops(ifname);
    expect(drops!.in).toBeGreaterThan(0);
    expect(drops!.out).toBeGreaterThan(0);

    await driver.applyNetwork(base); // rateMbit null: the month rolled over, or the plan changed
    expect(await rateDrops(ifname)).toBeNull();
    expect(ssh('head -c 1000000 /dev/zero').stdout.length).toBe(1_000_000);
  }, 180_000);
});
