import { existsSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv, ZAgentEnv } from '@berth/config';
import { newId, type TServerSpec } from '@berth/contracts';
import { run } from '../../exec/run.ts';
import { prepareHost } from '../../prepare-host.ts';
import { storagePaths } from '../../storage/paths.ts';
import { createLxcDriver } from './lxc-driver.ts';
import { lxcAttach } from './lxc-cli.ts';
import { RESCUE_MOTD } from './rescue.ts';
import { thawLeftovers } from './disk-points.ts';
import { testSpec } from './test-spec.ts';

// Issue 9's snapshot and rescue proofs on real LXC and systemd: files written, snapshot, files deleted, roll
// back, files back; an init broken inside the VPS repaired from the rescue system, then the VPS boots its own.
const env = loadEnv(ZAgentEnv.pick({ BERTH_DATA_DIR: true, BERTH_LXC_PATH: true }));
const paths = storagePaths(env.BERTH_DATA_DIR);
const templateMissing = !existsSync(paths.template('debian-12'));
const exists = (p: string) => stat(p).then(() => true, () => false);

describe.skipIf(templateMissing)('snapshots and rescue (real containers)', () => {
  const driver = createLxcDriver({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH, readyTimeoutMs: 60_000 });
  let spec: TServerSpec;
  const sh = async (script: string) => {
    const r = await lxcAttach({ lxcPath: env.BERTH_LXC_PATH, name: spec.serverId, logFile: '/dev/null' }, ['/bin/sh', '-c', script], 60_000);
    if (r.code !== 0) throw new Error(`in the VPS: ${script}: exit ${r.code}: ${r.stdout}`);
    return r.stdout.trim();
  };

  beforeAll(async () => {
    await prepareHost({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH });
    spec = testSpec(236, { hostname: 'snap.example.test' });
    await driver.create(spec);
    await driver.start(spec);
  }, 180_000);

  afterAll(async () => {
    if (spec) await driver.destroy(spec).catch((e) => console.error('cleanup destroy failed', e));
  }, 120_000);

  it('refuses a snapshot or a backup\'s frozen copy that would eat into the pool\'s reserve, before freezing anything', async () => {
    // The same host, with the whole pool reserved for the running servers: nothing may be added to it.
    const full = createLxcDriver({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH, poolReservePct: 100 });
    const snapshotId = newId('snapshot');
    await expect(full.snapshot(spec, snapshotId)).rejects.toMatchObject({ name: 'InvalidSpecError', message: expect.stringMatching(/no room on this host's storage pool for a snapshot: .* free, 0\.0 GB needed, 100% .* kept free/) });
    await expect(full.frozenCopy(spec, 'backup-bkp_fullpool1')).rejects.toMatchObject({ name: 'InvalidSpecError' });
    expect(await exists(paths.snapshot(spec.serverId, snapshotId))).toBe(false);
    expect(await exists(full.workImage(spec.serverId, 'backup-bkp_fullpool1'))).toBe(false);
    expect(await driver.state(spec.serverId)).toBe('running');
    expect(await sh('echo alive')).toBe('alive'); // not left frozen
    // With the default reserve (10%) there is room on this host's pool.
    await expect(driver.ensureRoom(0, 'a snapshot')).resolves.toBeUndefined();
  });

  it('rolls a running VPS back to its snapshot: deleted files are back, later ones gone', async () => {
    await sh('mkdir -p /srv/data && head -c 5000000 /dev/urandom > /srv/data/blob && echo kept > /root/note && sha256sum /srv/data/blob > /root/blob.sum');
    const before = await sh('cat /root/blob.sum');
    const snapshotId = newId('snapshot');
    const { sizeBytes } = await driver.snapshot(spec, snapshotId);
    expect(sizeBytes).toBeGreaterThan(5_000_000); // the blob is in it
    expect(await driver.state(spec.serverId)).toBe('running'); // frozen for the reflink only
    expect(await sh('cat /root/note')).toBe('kept'); // and thawed: it still works
    await sh('rm -rf /srv/data /root/note && echo after > /root/later');

    await driver.restoreSnapshot(spec, snapshotId);
    expect(await driver.state(spec.serverId)).toBe('stopped');
    await driver.start(spec);
    expect(await sh('cat /root/note')).toBe('kept');
    expect(await sh('sha256sum /srv/data/blob')).toBe(before);
    expect(await sh('test -e /root/later && echo yes || echo no')).toBe('no');

    // The snapshot survives its rollback; deleting it frees it.
    expect(await exists(paths.snapshot(spec.serverId, snapshotId))).toBe(true);
    await driver.deleteSnapshot(spec.serverId, snapshotId);
    expect(await exists(paths.snapshot(spec.serverId, snapshotId))).toBe(false);
  });

  it('repairs a VPS whose init is broken from the rescue system, then boots it normally', async () => {
    // Break it the way customers do: no init, so it can never boot again by itself.
    await sh('mv /sbin/init /sbin/init.broken && echo mine > /root/own-file');
    await driver.stop(spec);

    await driver.rescue(spec);
    expect(await driver.inRescue(spec.serverId)).toBe(true);
    await driver.start(spec); // resolves only once the rescue system's init runs and its SSH port answers
    expect(await sh('cat /etc/motd')).toBe(RESCUE_MOTD);
    expect(await sh('cat /mnt/root/own-file')).toBe('mine'); // its own disk, at /mnt
    expect(await sh('test -e /root/own-file && echo yes || echo no')).toBe('no'); // the rescue system is another disk
    // Files written at /mnt belong to the VPS's root (uid 0 inside, 0 on disk through the idmapped view).
    await sh('mv /mnt/sbin/init.broken /mnt/sbin/init && echo repaired > /mnt/root/repaired');
    expect((await stat(`${paths.mountpoint(spec.serverId)}/root/repaired`)).uid).toBe(0);

    await driver.unrescue(spec);
    expect(await driver.inRescue(spec.serverId)).toBe(false);
    expect(await exists(paths.rescueImage(spec.serverId))).toBe(false);
    await driver.start(spec);
    expect(await sh('cat /root/repaired')).toBe('repaired');
    expect(await sh('cat /etc/motd 2>/dev/null || true')).not.toBe(RESCUE_MOTD);
    expect(await sh('systemctl is-system-running || true')).toMatch(/running|degraded/);
  });

  it('thaws at agent start a VPS a crashed agent left frozen mid-snapshot', async () => {
    // What an agent killed between freeze and thaw leaves: the container and its ext4 frozen, and its mark.
    const mnt = paths.mountpoint(spec.serverId);
    await run('lxc-freeze', ['-P', env.BERTH_LXC_PATH, '-n', spec.serverId]);
    await run('fsfreeze', ['-f', mnt]);
    await writeFile(`${paths.work}/${spec.serverId}.frozen`, `${env.BERTH_LXC_PATH}\n${mnt}\n`);
    expect((await run('lxc-info', ['-P', env.BERTH_LXC_PATH, '-n', spec.serverId, '-sH'])).stdout.trim()).toBe('FROZEN');
    expect(await thawLeftovers(paths)).toEqual([spec.serverId]);
    expect(await sh('echo alive > /root/alive && cat /root/alive')).toBe('alive'); // runs and writes again
    expect(await thawLeftovers(paths)).toEqual([]); // the mark is gone
  });

  it('a rollback to a snapshot that no longer fits the (smaller) plan is refused before the VPS stops', async () => {
    await sh('fallocate -l 1200M /root/big && sync');
    const snapshotId = newId('snapshot');
    await driver.snapshot(spec, snapshotId);
    await sh('rm /root/big && echo newer > /root/newer && sync');
    const smaller = { ...spec, limits: { ...spec.limits, diskGb: 1 } };
    await expect(driver.restoreSnapshot(smaller, snapshotId)).rejects.toThrow(/disk_in_use/);
    expect(await driver.state(spec.serverId)).toBe('running'); // never stopped
    expect(await sh('cat /root/newer')).toBe('newer'); // its disk as it was
    expect(await exists(paths.workImage(spec.serverId, `rollback-${snapshotId}`))).toBe(false); // no scratch left
    await driver.deleteSnapshot(spec.serverId, snapshotId);
  });

  it('destroy removes snapshots, a rescue disk and scratch a crashed backup left too', async () => {
    const snapshotId = newId('snapshot');
    await driver.snapshot(spec, snapshotId);
    const scratch = await driver.frozenCopy(spec, `backup-${newId('backup')}`); // a backup whose agent died mid-way
    await driver.rescue(spec);
    await driver.destroy(spec);
    expect(await exists(scratch)).toBe(false);
    expect(await driver.state(spec.serverId)).toBe('absent');
    expect(await exists(paths.snapshots(spec.serverId))).toBe(false);
    expect(await exists(paths.rescueImage(spec.serverId))).toBe(false);
    expect(await exists(paths.image(spec.serverId))).toBe(false);
  });
});
