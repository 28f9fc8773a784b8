import { existsSync } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv, ZAgentEnv } from '@berth/config';
import type { TQuarantineFinishedEvent } from '@berth/contracts';
import { JOBS } from '@berth/jobs';
import { run } from '../../exec/run.ts';
import { portElements } from '../../network/firewall.ts';
import { vethName } from '../../network/names.ts';
import { prepareHost } from '../../prepare-host.ts';
import { listMounts } from '../../storage/mounts.ts';
import { storagePaths } from '../../storage/paths.ts';
import { agentOwner, takeInventory } from '../../worker/inventory.ts';
import { processJob, type TJobLike } from '../../worker/process-job.ts';
import type { TReporter } from '../../worker/reporter.ts';
import { memoryDoneJournal } from '../../worker/done-journal.ts';
import { createServerLock } from '../../worker/server-lock.ts';
import { createLxcDriver } from './lxc-driver.ts';
import { testSpec } from './test-spec.ts';

// server.quarantine@1 through the agent's job path with the real LXC driver: nothing is mocked.
const env = loadEnv(ZAgentEnv.pick({ BERTH_DATA_DIR: true, BERTH_LXC_PATH: true }));
const paths = storagePaths(env.BERTH_DATA_DIR);
const templateMissing = !existsSync(paths.template('debian-12'));
if (templateMissing) console.warn(`SKIP quarantine: no template at ${paths.template('debian-12')}; run agent/scripts/build-template.sh`);

const SLOT = 252;
const STAMP = '20261201T101500Z';

describe.skipIf(templateMissing)('quarantine of an orphan (real LXC)', () => {
  const HOST = 'host_quarantine1';
  const OWNER = agentOwner('qtest', HOST);
  const driver = createLxcDriver({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH, stopTimeoutS: 10, owner: OWNER });
  const spec = testSpec(SLOT, { hostname: 'orphan-test' });
  const id = spec.serverId;
  const location = `${id}-${STAMP}`;
  const dir = path.join(paths.quarantine, location);
  const events: TQuarantineFinishedEvent[] = [];
  const reporter: TReporter = {
    progress: async () => {}, finished: async () => {}, heartbeat: async () => {}, inventory: async () => {}, metrics: async () => {},
    backupDeleted: async () => {},
    quarantineFinished: async (e) => void events.push(e),
  };
  const ctx = { driver, reporter, lock: createServerLock(), hostId: HOST, journal: memoryDoneJournal() };
  const job = (name: 'server.quarantine@1' | 'quarantine.purge@1', data: unknown): TJobLike =>
    ({ name, data, attemptsMade: 0, opts: { attempts: JOBS[name].attempts } }) as TJobLike;
  const lxcLs = async () => (await run('lxc-ls', ['-P', env.BERTH_LXC_PATH, '-1'])).stdout.split('\n').map((s) => s.trim());

  beforeAll(async () => {
    await prepareHost({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH });
  }, 120_000);

  afterAll(async () => {
    await driver.destroy(spec).catch((e) => console.error('cleanup destroy failed', e));
    await driver.purgeQuarantine(location).catch((e) => console.error('cleanup purge failed', e));
  }, 120_000);

  it('stops it, forgets its filter, moves container and disk under quarantine/, deletes nothing; purge deletes it later', async () => {
    await driver.create(spec);
    // Customer data the quarantine must keep: a file on the disk, written through the host-side mount.
    await writeFile(path.join(paths.mountpoint(id), 'root/precious.txt'), 'keep me\n');
    await driver.start(spec);
    expect(await driver.state(id)).toBe('running');
    expect(await portElements(vethName(id))).toEqual({ macs: [spec.network.mac], ips: [spec.network.ipv4] });
    const imageBytes = (await stat(paths.image(id))).size;
    const inv = await takeInventory(driver, ctx.hostId, OWNER);
    expect(inv.servers).toContainEqual({ serverId: id, state: 'running' });
    expect(inv.unmarked).not.toContain(id);
    // Another agent sharing this machine (test stacks: same host id, own prefix) neither reports it nor may quarantine it.
    const otherOwner = agentOwner('other', HOST);
    const other = createLxcDriver({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH, owner: otherOwner });
    expect((await takeInventory(other, HOST, otherOwner)).servers.map((s) => s.serverId)).not.toContain(id);
    await expect(other.quarantine(id, `${id}-${STAMP}`)).rejects.toThrow(/not this agent's/);
    expect(await driver.state(id)).toBe('running');

    const data = { quarantineId: 'qrn_orphantest1', serverId: id, stamp: STAMP };
    expect(await processJob(ctx, job('server.quarantine@1', data))).toBe('absent');
    expect(events).toEqual([{ quarantineId: 'qrn_orphantest1', serverId: id, hostId: ctx.hostId, action: 'quarantine', outcome: 'succeeded', location, moved: ['container', 'image'], error: null }]);

    // Gone from the host's view: not running, not in lxc-ls, no mounts, no loop device, no filter entries.
    expect(await driver.state(id)).toBe('absent');
    expect(await lxcLs()).not.toContain(id);
    expect(await driver.list()).not.toContain(id);
    expect(await driver.listImages()).not.toContain(id);
    expect((await listMounts()).some((m) => m.target.includes(id))).toBe(false);
    expect((await run('losetup', ['-n', '-j', path.join(dir, 'disk.img')])).stdout.trim()).toBe('');
    expect(await portElements(vethName(id))).toEqual({ macs: [], ips: [] });
    expect(existsSync(paths.mountpoint(id)) || existsSync(paths.rootfs(id))).toBe(false); // empty mountpoints only
    // Nothing deleted: the whole disk and the container's config are under quarantine/.
    expect((await readdir(dir)).sort()).toEqual(['disk.img', 'disk.img.host', 'lxc']);
    expect((await stat(path.join(dir, 'disk.img'))).size).toBe(imageBytes);
    expect(existsSync(path.join(dir, 'lxc', 'config'))).toBe(true);
    expect((await run('debugfs', ['-R', 'cat /root/precious.txt', path.join(dir, 'disk.img')])).stdout).toBe('keep me\n');
    // A redelivered job converges on the same place.
    await processJob(ctx, job('server.quarantine@1', data));
    expect(events.at(-1)).toMatchObject({ outcome: 'succeeded', location, moved: ['container', 'image'] });

    await processJob(ctx, job('quarantine.purge@1', { quarantineId: 'qrn_orphantest1', serverId: id, location }));
    expect(existsSync(dir)).toBe(false);
    expect(events.at(-1)).toMatchObject({ action: 'purge', outcome: 'succeeded', location });
  }, 300_000);

  it('a disk image with no container is reported by the inventory and quarantined alone', async () => {
    const stray = testSpec(SLOT, { hostname: 'orphan-image' });
    const strayLocation = `${stray.serverId}-${STAMP}`;
    try {
      await driver.create(stray);
      await driver.releaseDisk(stray.serverId);
      // What a crash half-way through a destroy may leave: the container gone, its disk still there.
      await run('rm', ['-rf', path.join(env.BERTH_LXC_PATH, stray.serverId)]);
      const inv = await takeInventory(driver, ctx.hostId, OWNER);
      expect(inv.orphanImages).toContain(stray.serverId);
      expect(inv.servers.map((s) => s.serverId)).not.toContain(stray.serverId);
      await processJob(ctx, job('server.quarantine@1', { quarantineId: 'qrn_orphantest2', serverId: stray.serverId, stamp: STAMP }));
      expect(events.at(-1)).toMatchObject({ outcome: 'succeeded', location: strayLocation, moved: ['image'] });
      expect(existsSync(path.join(paths.quarantine, strayLocation, 'disk.img'))).toBe(true);
      expect(existsSync(paths.image(stray.serverId))).toBe(false);
    } finally {
      await driver.destroy(stray).catch(() => {});
      await driver.purgeQuarantine(strayLocation).catch(() => {});
    }
  }, 300_000);
});
