import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv, ZAgentEnv } from '@berth/config';
import { canonicalJson, newId, type TMigrationTarget, type TServerSpec } from '@berth/contracts';
import type { ContainerDriver } from '../driver/driver.ts';
import { createLxcDriver } from '../driver/lxc/lxc-driver.ts';
import { testSpec } from '../driver/lxc/test-spec.ts';
import { run } from '../exec/run.ts';
import { handleMigrate } from '../handlers/migrate.ts';
import { prepareHost } from '../prepare-host.ts';
import { storagePaths } from '../storage/paths.ts';
import { createServerLock } from '../worker/server-lock.ts';
import { ensureTransferCert } from './transfer-cert.ts';
import { startTransferServer, type TTransferServer } from './transfer-server.ts';

// Real LXC, real disks, real HTTPS between two "hosts" that are two data dirs and lxc paths of this machine
// (the two-network-namespace rig of e2e/ proves the same through the whole stack). One network namespace
// here: the source's cleanup removes the filter elements of the VPS's port, which the target shares in this
// namespace, so the test re-applies them before talking to the moved VPS.
const env = loadEnv(ZAgentEnv.pick({ BERTH_DATA_DIR: true, BERTH_LXC_PATH: true }));
const templateMissing = !existsSync(storagePaths(env.BERTH_DATA_DIR).template('debian-12'));
const SLOT = 246;
const IP = `198.18.0.${SLOT}`;
const HOST_A = newId('host');
const HOST_B = newId('host');

describe.skipIf(templateMissing)('migration between two agents (real LXC, real transfer)', () => {
  const keys = generateKeyPairSync('ed25519');
  const verifyKey = keys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const token = (op: string, spec: TServerSpec, to: string, from: string, expS = 600) => {
    const claims = { v: 1, kind: 'transfer', op, sid: spec.serverId, from, to, exp: Math.floor(Date.now() / 1000) + expS,
      digest: createHash('sha256').update(canonicalJson(spec)).digest('hex') };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${sign(null, Buffer.from(body), keys.privateKey).toString('base64url')}`;
  };
  const bDir = '/var/lib/berth-migrate-test';
  const a = { hostId: HOST_A, dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH };
  const b = { hostId: HOST_B, dataDir: path.join(bDir, 'data'), lxcPath: path.join(bDir, 'lxc') };
  const driverA = createLxcDriver(a);
  const driverB = createLxcDriver(b);
  const servers: TTransferServer[] = [];
  let tmp = '';
  let specA: TServerSpec;
  let specB: TServerSpec;
  const progress: string[] = [];

  const ssh = async (cmd: string) =>
    (await run('ssh', ['-i', path.join(tmp, 'key'), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
      '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-o', 'LogLevel=ERROR', `root@${IP}`, cmd], { timeoutMs: 120_000 })).stdout.trim();
  const hostKey = async () => (await run('ssh-keyscan', ['-t', 'ed25519', IP])).stdout.trim().split(' ').slice(1).join(' ');
  const serve = async (h: typeof a, driver: ContainerDriver) => {
    const s = await startTransferServer({
      hostId: h.hostId, dataDir: h.dataDir, verifyKey, driver, lock: createServerLock(), cert: await ensureTransferCert(h.dataDir, h.hostId),
      listenHost: '127.0.0.1', port: 0, publicHost: '127.0.0.1', log: () => {},
    });
    servers.push(s);
    return s;
  };
  const target = (s: TTransferServer, spec: TServerSpec, to: string, from: string, op = newId('operation')): TMigrationTarget =>
    ({ hostId: to, url: s.url, certPem: s.certPem, token: token(op, spec, to, from), spec, start: false });
  const migrate = (driver: ContainerDriver, spec: TServerSpec, t: TMigrationTarget) =>
    handleMigrate({ driver, spec, migration: t, progress: async (step) => void progress.push(step) });

  beforeAll(async () => {
    await prepareHost(a);
    await mkdir(b.lxcPath, { recursive: true });
    await prepareHost(b);
    // Host b has the template too (as every host does): only what the VPS changed travels.
    if (!existsSync(storagePaths(b.dataDir).template('debian-12'))) {
      await copyFile(storagePaths(a.dataDir).template('debian-12'), storagePaths(b.dataDir).template('debian-12'));
    }
    tmp = await mkdtemp(path.join(tmpdir(), 'berth-migrate-test-'));
    await run('ssh-keygen', ['-q', '-N', '', '-t', 'ed25519', '-f', path.join(tmp, 'key')]);
    specA = testSpec(SLOT, { hostname: 'moving.example.test', access: { sshKeys: [(await readFile(path.join(tmp, 'key.pub'), 'utf8')).trim()], rootPasswordHash: null } });
    // The same VPS on host b: another uid range (ranges are per host), everything else equal.
    specB = { ...specA, idmap: { ...specA.idmap, uidBase: specA.idmap.uidBase + 65_536 } };
    await driverA.create(specA);
    await driverA.start(specA);
  }, 300_000);

  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const [d, s] of [[driverA, specA], [driverB, specB]] as const) if (s) await d.destroy(s).catch((e) => console.error('cleanup', e));
    if (tmp) await rm(tmp, { recursive: true, force: true });
    await run('umount', [storagePaths(b.dataDir).pool]).catch(() => {});
    await rm(bDir, { recursive: true, force: true });
  }, 300_000);

  it('refuses a transfer without a valid token, and the VPS keeps running on the source', async () => {
    const sB = await serve(b, driverB);
    const forged = { ...target(sB, specB, HOST_B, HOST_A), token: token(newId('operation'), specB, HOST_A, HOST_A) }; // signed for another host
    await expect(migrate(driverA, specA, forged)).rejects.toThrow(/401/);
    const tampered = target(sB, { ...specB, idmap: { ...specB.idmap, uidBase: specB.idmap.uidBase + 65_536 } }, HOST_B, HOST_A);
    tampered.spec = specB; // the token names another spec than the one sent
    expect(await driverA.state(specA.serverId)).toBe('running');
    await expect(migrate(driverA, specA, tampered)).rejects.toThrow(/403|not the one the panel signed/);
    // The failed commit started nothing on b and brought the VPS back on a.
    expect(await driverA.state(specA.serverId)).toBe('running');
    expect(await driverB.state(specB.serverId)).toBe('absent');
    expect(existsSync(`${storagePaths(b.dataDir).image(specB.serverId)}.incoming`)).toBe(false);
  });

  it('moves a running VPS with its data, address and SSH host key; the source copy is gone', async () => {
    await ssh('head -c 200M /dev/urandom > /root/data.bin && sync && sha256sum /root/data.bin > /root/data.sum');
    const sum = await ssh('cat /root/data.sum');
    const key = await hostKey();
    // A client keeps knocking on its SSH port while it moves: the gap is the downtime.
    let lastUp = 0;
    let longestGap = 0;
    let knocking = true;
    const knocker = (async () => {
      while (knocking) {
        const up = await new Promise<boolean>((resolve) => {
          const s = connect({ host: IP, port: 22, timeout: 200 });
          const done = (ok: boolean) => (s.destroy(), resolve(ok));
          s.once('connect', () => done(true)).once('timeout', () => done(false)).once('error', () => done(false));
        });
        const now = Date.now();
        if (up) {
          if (lastUp) longestGap = Math.max(longestGap, now - lastUp);
          lastUp = now;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const sB = servers[0]!;
    expect(await migrate(driverA, specA, target(sB, specB, HOST_B, HOST_A))).toBe('running');
    await driverB.applyNetwork(specB); // see the note at the top: one shared network namespace here
    await new Promise((r) => setTimeout(r, 1500));
    knocking = false;
    await knocker;
    console.log(`migration: SSH port unreachable for at most ${longestGap} ms; steps: ${progress.join(' | ')}`);

    expect(await driverA.state(specA.serverId)).toBe('absent');
    expect(existsSync(storagePaths(a.dataDir).image(specA.serverId))).toBe(false);
    expect(await driverB.state(specB.serverId)).toBe('running');
    expect(await ssh('sha256sum -c /root/data.sum && hostname')).toBe('/root/data.bin: OK\nmoving.example.test');
    expect(await ssh('cat /root/data.sum')).toBe(sum);
    expect(await hostKey()).toBe(key);
    // Root inside still owns its files, now through host b's uid range for it.
    expect(await ssh('stat -c %u /root/data.bin')).toBe('0');
    const pid = (await run('lxc-info', ['-P', b.lxcPath, '-n', specB.serverId, '-pH'])).stdout.trim();
    expect((await readFile(`/proc/${pid}/status`, 'utf8')).match(/^Uid:\s+(\d+)/m)?.[1]).toBe(String(specB.idmap.uidBase));
    expect(progress.some((p) => /running on the target \(offline \d+\.\d s\)/.test(p))).toBe(true);
  });

  it('moves a stopped VPS back cold, and a retried job after the move only cleans up', async () => {
    const sA = await serve(a, driverA);
    await driverB.stop(specB);
    const t = target(sA, specA, HOST_A, HOST_B);
    expect(await migrate(driverB, specB, t)).toBe('stopped');
    expect(await driverB.state(specB.serverId)).toBe('absent');
    expect(await driverA.state(specA.serverId)).toBe('stopped');
    // The same job again (BullMQ retry after a lost report): nothing left to move, the answer is the same.
    expect(await migrate(driverB, specB, t)).toBe('stopped');
    await driverA.start(specA);
    expect(await ssh('sha256sum -c /root/data.sum')).toBe('/root/data.bin: OK');
  });
});
