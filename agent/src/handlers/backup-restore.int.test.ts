import { existsSync } from 'node:fs';
import { mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv, ZAgentEnv } from '@berth/config';
import { newId, type TBackupRef, type TServerSpec } from '@berth/contracts';
import { InvalidSpecError } from '../driver/driver.ts';
import { createLxcDriver } from '../driver/lxc/lxc-driver.ts';
import { lxcAttach } from '../driver/lxc/lxc-cli.ts';
import { testSpec } from '../driver/lxc/test-spec.ts';
import { prepareHost } from '../prepare-host.ts';
import { storagePaths } from '../storage/paths.ts';
import { handleBackup } from './backup.ts';
import { handleBackupVerify } from './backup-verify.ts';
import { handleCreate } from './create.ts';
import { handleRestore } from './restore.ts';
import type { THandlerOutcome } from './types.ts';

// Issue 9's backup proofs on real LXC with a directory target: full then incremental backups of a running
// VPS (an incremental after a 10 MB change stores about 10 MB), a restore to a new VPS with another address
// (files and SSH host keys match), a restore onto the VPS itself, and a corrupted backup refused by its
// checksum with the VPS left as it was.
const env = loadEnv(ZAgentEnv.pick({ BERTH_DATA_DIR: true, BERTH_LXC_PATH: true }));
const paths = storagePaths(env.BERTH_DATA_DIR);
const templateMissing = !existsSync(paths.template('debian-12'));
const MB = 1024 * 1024;

describe.skipIf(templateMissing)('backups and restores (real containers)', () => {
  const driver = createLxcDriver({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH, readyTimeoutMs: 60_000 });
  const progress = async () => {};
  let dir = '';
  let a: TServerSpec;
  let b: TServerSpec;
  const refs: TBackupRef[] = [];
  const sh = async (s: TServerSpec, script: string) => {
    const r = await lxcAttach({ lxcPath: env.BERTH_LXC_PATH, name: s.serverId, logFile: '/dev/null' }, ['/bin/sh', '-c', script], 60_000);
    if (r.code !== 0) throw new Error(`in ${s.hostname}: ${script}: exit ${r.code}: ${r.stdout}`);
    return r.stdout.trim();
  };
  const target = () => ({ kind: 'dir' as const, path: dir });
  const backup = async (kind: 'full' | 'incremental') => {
    const backupId = newId('backup');
    const out = await handleBackup({ driver, spec: a, progress, backup: { backupId, kind, target: target(), parent: kind === 'incremental' ? refs.at(-1)! : null } }) as THandlerOutcome;
    refs.push({ backupId, serverId: a.serverId, manifestSha256: String(out.result!.manifestSha256) });
    return out;
  };

  beforeAll(async () => {
    await prepareHost({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH });
    dir = await mkdtemp('/var/tmp/berth-backup-test-');
    a = testSpec(237, { hostname: 'orig.example.test' });
    b = testSpec(238, { hostname: 'copy.example.test' });
    await driver.create(a);
    await driver.start(a);
  }, 180_000);

  afterAll(async () => {
    for (const s of [a, b]) if (s) await driver.destroy(s).catch((e) => console.error('cleanup destroy failed', e));
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('backs up a running VPS in full, then incrementally: a 10 MB change stores about 10 MB', async () => {
    await sh(a, 'mkdir -p /srv && head -c 60000000 /dev/urandom > /srv/big && echo v1 > /root/note && sync');
    const full = await backup('full');
    expect(full.state).toBe('running');
    expect(full.result!.kind).toBe('full');
    expect(Number(full.result!.storedBytes)).toBeGreaterThan(60 * 1e6 * 0.95); // random data does not compress
    expect(await sh(a, 'cat /root/note')).toBe('v1'); // thawed

    await sh(a, 'head -c 10485760 /dev/urandom > /srv/delta && echo v2 > /root/note && sync');
    const inc = await backup('incremental');
    expect(inc.result!.kind).toBe('incremental');
    const stored = Number(inc.result!.storedBytes);
    console.log(`incremental after a 10 MB change: ${(stored / MB).toFixed(1)} MB stored, ${inc.result!.newChunks} of ${inc.result!.totalChunks} chunks`);
    expect(stored).toBeGreaterThan(10 * MB);
    expect(stored).toBeLessThan(14 * MB); // the 10 MB plus ext4 metadata and journal blocks
    // The scratch copy is gone; nothing but the backups was written outside the VPS.
    expect(await readdir(paths.work).catch(() => [])).not.toContainEqual(expect.stringContaining(a.serverId));
  });

  it('restores the incremental to a new VPS with its own address: same files, same SSH host keys', async () => {
    await handleCreate({ driver, spec: b, progress, restore: { target: target(), backup: refs.at(-1)! } });
    expect(await driver.state(b.serverId)).toBe('running');
    for (const cmd of ['sha256sum /srv/big /srv/delta', 'cat /root/note', 'cat /etc/ssh/ssh_host_ed25519_key.pub /etc/ssh/ssh_host_ecdsa_key.pub']) {
      expect(await sh(b, cmd)).toBe(await sh(a, cmd));
    }
    expect(await sh(b, 'hostname')).toBe('copy.example.test');
    expect(await sh(b, 'ip -4 -o addr show dev eth0')).toContain(b.network.ipv4); // its own address, not a's
    expect(await sh(b, 'cat /etc/machine-id')).not.toBe(await sh(a, 'cat /etc/machine-id')); // its own journal and DHCP identity
  });

  it('restores onto the VPS itself: what was deleted since is back', async () => {
    const machineId = await sh(a, 'cat /etc/machine-id');
    await sh(a, 'rm /srv/big /srv/delta && echo v3 > /root/note');
    await handleRestore({ driver, spec: a, progress, restore: { target: target(), backup: refs.at(-1)! } });
    expect(await sh(a, 'cat /root/note')).toBe('v2');
    expect(await sh(a, 'cat /etc/machine-id')).toBe(machineId); // onto itself: still itself
    expect(await sh(a, 'sha256sum /srv/big /srv/delta')).toBe(await sh(b, 'sha256sum /srv/big /srv/delta'));
  });

  it('refuses a restore whose rebuilt disk would eat into the pool\'s reserve, before writing anything', async () => {
    await sh(a, 'echo current > /root/note');
    const full = createLxcDriver({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH, poolReservePct: 100 });
    const err = await handleRestore({ driver: full, spec: a, progress, restore: { target: target(), backup: refs.at(-1)! } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidSpecError); // not retried
    expect(String(err)).toMatch(new RegExp(`no room on this host's storage pool for restoring backup ${refs.at(-1)!.backupId}: .* free, \\d+\\.\\d GB needed`));
    expect(await readdir(paths.work).catch(() => [])).not.toContainEqual(expect.stringContaining(a.serverId)); // no scratch
    expect(await driver.state(a.serverId)).toBe('running');
    expect(await sh(a, 'cat /root/note')).toBe('current');
  });

  it('refuses a corrupted backup by its checksum and leaves the VPS as it was; a verify finds it first', async () => {
    await sh(a, 'echo untouched > /root/note');
    const verify = () => handleBackupVerify({ driver, spec: a, progress, restore: { target: target(), backup: refs.at(-1)! } }) as Promise<THandlerOutcome>;
    const sound = await verify();
    expect(sound.state).toBe('running'); // the VPS runs on
    expect(Number(sound.result!.checkedChunks)).toBeGreaterThan(60); // the full's 60 MB and the 10 MB change, at least
    // One flipped byte in the middle of the full backup's pack, which the incremental builds on.
    const pack = path.join(dir, a.serverId, refs[0]!.backupId, 'chunks.pack');
    const fh = await open(pack, 'r+');
    const at = Math.floor((await stat(pack)).size / 2);
    const byte = Buffer.alloc(1);
    await fh.read(byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0xff;
    await fh.write(byte, 0, 1, at);
    await fh.close();
    const found = await verify().catch((e: unknown) => e);
    expect(found).toBeInstanceOf(InvalidSpecError); // not retried
    expect(String(found)).toContain(`backup_corrupt(${refs[0]!.backupId}): backup ${refs.at(-1)!.backupId} failed verification`);
    const err = await handleRestore({ driver, spec: a, progress, restore: { target: target(), backup: refs.at(-1)! } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidSpecError); // not retried
    expect(String(err)).toMatch(/corrupt|checksum|sha256/i);
    expect(String(err)).toContain(`backup_corrupt(${refs[0]!.backupId})`); // the full's pack: the panel takes it and the incremental out of use
    expect(await driver.state(a.serverId)).toBe('running');
    expect(await sh(a, 'cat /root/note')).toBe('untouched');
    // A manifest that differs from the digest the panel recorded is refused too.
    const forged = { ...refs.at(-1)!, manifestSha256: '0'.repeat(64) };
    await expect(handleRestore({ driver, spec: a, progress, restore: { target: target(), backup: forged } })).rejects.toBeInstanceOf(InvalidSpecError);
    expect(await sh(a, 'cat /root/note')).toBe('untouched');
  });
});
